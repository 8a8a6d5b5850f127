/* fupin outbox: forms that survive no signal (issue 12; docs/architecture.md, "Offline capture").
 *
 * A <form method="post" data-offline="label"> is posted by this script (fetch, multipart):
 * - without signal (navigator.onLine false, or the fetch fails on the network) the form — every
 *   field, its photos as Blobs, the time, the label — is kept in the phone's outbox (IndexedDB), the
 *   page says 已保存在手机上,有信号时自动提交 and the top bar's 待发送 badge counts it;
 * - with a signal the server's answer decides, as for a replay (judge): saved → on to the page it
 *   leads to; refused → the form again with the server's errors (its photos kept); signed out → kept.
 * The outbox is sent when the signal returns (the online event, every page, every 30 s while an
 * entry waits), one entry at a time, with a fresh CSRF token (core:outbox_token), and only by the
 * user who wrote it. What the server refuses stays as 被退回 with its reason: the user opens it (the
 * same form, filled from the entry), corrects and resends, or deletes it. Nothing leaves the outbox
 * but by the server's yes or the user's delete; a stale version is the server's no like any other.
 *
 * Events on the form, for a page's own script (the visit form's draft): "outbox:queued" (kept on the
 * phone, the form was reset), "outbox:replaced" (the refused form was replaced by the server's).
 * The badge (core/_outbox.html) carries the settings and the words; /outbox/ lists the entries.
 */
(function () {
  "use strict";
  const badge = document.getElementById("outbox-badge");
  if (!badge || !window.indexedDB || !window.fetch || !window.Promise) return;

  const cfg = badge.dataset;
  const OUTBOX_URL = badge.getAttribute("href");
  const LOGIN_PATHS = (cfg.loginPaths || "").split(/\s+/).filter(Boolean);
  const USER_KEY = "fupin-outbox-user";
  const CARRY_KEY = "fupin-outbox-carry";
  const LEASE_KEY = "fupin-outbox-lease";
  const RETRY_MS = 30 * 1000;
  const KEEP_SENT_MS = 3 * 24 * 3600 * 1000;
  const MAX_LATER = 6; // server errors in a row before an entry is handed back to the user
  const OPEN = ["queued", "sending", "login", "refused"];
  const TAGS = { queued: "tag-blue", sending: "tag-blue", login: "tag-orange", refused: "tag-red", sent: "tag-green" };

  function say(key, values) {
    return (cfg[key] || "").replace(/\{(\w+)\}/g, (all, name) => (values && name in values ? values[name] : all));
  }

  // Who the entries are for: the user signed in on this page; on a page shown signed out (the kept
  // outbox page without signal) the last user signed in on this phone.
  const user = (function () {
    try {
      if (cfg.user) localStorage.setItem(USER_KEY, cfg.user);
      return cfg.user || localStorage.getItem(USER_KEY) || "";
    } catch (error) {
      return cfg.user || "";
    }
  })();

  // --- the phone's outbox: one IndexedDB store of entries --------------------------------------
  // {id, user, label, action, page, fields: [{name, value} | {name, file: Blob, filename, type}],
  //  created, state: queued|sending|login|refused|sent, reason, tries, tried, retryAt, sent, result}
  let opening = null;
  function database() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open("fupin-outbox", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("entries", { keyPath: "id", autoIncrement: true });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      }).catch((error) => {
        opening = null;
        throw error;
      });
    }
    return opening;
  }
  async function run(mode, work) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("entries", mode);
      const request = work(tx.objectStore("entries"));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }
  const store = {
    all: () => run("readonly", (s) => s.getAll()),
    get: (id) => run("readonly", (s) => s.get(id)),
    put: (entry) => run("readwrite", (s) => s.put(entry)),
    remove: (id) => run("readwrite", (s) => s.delete(id)),
  };
  async function mine() {
    const entries = await store.all();
    return entries.filter((e) => user && e.user === user);
  }

  // Other tabs of this phone hear of every change (their badge and list follow).
  const channel = window.BroadcastChannel ? new BroadcastChannel("fupin-outbox") : null;
  function changed(quiet) {
    if (channel && !quiet) channel.postMessage("changed");
    refresh();
  }
  if (channel) channel.onmessage = () => refresh();

  // --- a form: captured, sent, judged -----------------------------------------------------------
  function actionOf(form) {
    return new URL(form.getAttribute("action") || location.href, location.href).href.split("#")[0];
  }

  async function capture(form, submitter) {
    let data;
    try {
      data = submitter ? new FormData(form, submitter) : new FormData(form);
    } catch (error) {
      data = new FormData(form);
    }
    if (submitter && submitter.name && !data.getAll(submitter.name).includes(submitter.value)) {
      data.append(submitter.name, submitter.value); // a browser whose FormData ignores the submitter
    }
    const fields = [];
    for (const [name, value] of data.entries()) {
      if (name === "csrfmiddlewaretoken") continue; // a fresh one is sent
      if (typeof value === "string") {
        fields.push({ name, value });
      } else if (value.name || value.size) {
        // A copy of the photo's bytes: the original may leave the phone's gallery before the signal comes.
        const bytes = await (value.arrayBuffer ? value.arrayBuffer() : new Response(value).arrayBuffer());
        fields.push({ name, file: new Blob([bytes], { type: value.type }), filename: value.name, type: value.type });
      }
    }
    const entry = {
      user,
      label: form.dataset.offline || document.title,
      action: actionOf(form),
      page: location.href.split("#")[0],
      fields,
      created: Date.now(),
      state: "queued",
      reason: "",
      tries: 0,
      // Sent with every try: the server keeps what a key's first accepted try answered, so a try whose
      // answer was lost to the signal is not written twice when it is sent again (core.idempotency).
      key: newKey(),
    };
    if (form.dataset.outboxEntry) entry.id = Number(form.dataset.outboxEntry); // a corrected entry replaces itself
    return entry;
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function send(entry, token) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    for (const field of entry.fields) {
      if (field.file) body.append(field.name, field.file, field.filename);
      else body.append(field.name, field.value);
    }
    return fetch(entry.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      cache: "no-store",
      // X-Fupin-Outbox: a refused step answers 409 with its reasons rather than a redirect (core.steps).
      headers: Object.assign(
        { "X-CSRFToken": token, "X-Fupin-Outbox": "1" },
        entry.key ? { "X-Fupin-Idempotency-Key": entry.key } : {}
      ),
    });
  }

  // A fresh CSRF token and who is signed in: {csrf, user}; user null when signed out; null without network.
  async function whoIsSignedIn() {
    let response;
    try {
      response = await fetch(cfg.tokenUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
    } catch (error) {
      return null;
    }
    try {
      const answer = await response.json();
      return { csrf: answer.csrf, user: answer.user === null ? null : String(answer.user) };
    } catch (error) {
      return { csrf: "", user: null }; // the sign-in or two-factor page instead of the answer
    }
  }

  function text(node) {
    return (node && node.textContent ? node.textContent : "").replace(/\s+/g, " ").trim();
  }

  // The server's reasons, in its words: a refused step's text, or a page's errors (label: error).
  function reasonsOf(doc, body, status) {
    const reasons = [];
    const add = (reason) => {
      reason = (reason || "").replace(/[ \t]+/g, " ").trim();
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    };
    if (!doc) {
      body.split("\n").forEach(add);
    } else {
      const main = doc.querySelector("main") || doc.body;
      main.querySelectorAll(".message-error, .field-error").forEach((el) => add(text(el)));
      main.querySelectorAll(".errorlist").forEach((list) => {
        if (list.closest(".message-error, .field-error")) return;
        const label = list.closest(".form-row") && list.closest(".form-row").querySelector("label");
        const name = text(label).replace(/[:：*\s]+$/, "");
        list.querySelectorAll("li").forEach((li) => add(name ? `${name}:${text(li)}` : text(li)));
      });
      if (!reasons.length && status >= 400) {
        add(text(main.querySelector("h1")));
        add(text(main.querySelector("h1 ~ p")));
      }
    }
    if (!reasons.length) add(say("tStatus", { status }));
    return reasons.join("\n");
  }

  // What a POST's answer means: done (saved), refused (with reasons), login (signed out: nothing
  // was written), later (the server is in trouble: try again), csrf (a stale token: ask again).
  async function judge(response) {
    const path = new URL(response.url, location.href).pathname;
    if (LOGIN_PATHS.some((p) => path.startsWith(p))) return { kind: "login" };
    const type = response.headers.get("Content-Type") || "";
    const body = await response.text().catch(() => "");
    const doc = type.includes("html") ? new DOMParser().parseFromString(body, "text/html") : null;
    const status = response.status;
    if (status >= 500 || status === 408 || status === 429) return { kind: "later", reason: say("tServer", { status }) };
    if (status === 403 && /CSRF/.test(body)) return { kind: "csrf" };
    const flagged = response.headers.get("X-Fupin-Refused") === "1";
    // A page shown again with errors, or a redirect to a page saying an error (a step refused the
    // old way), is a refusal as much as a 4xx is.
    const errors =
      doc &&
      doc.querySelector(
        response.redirected ? "main .messages .message-error" : "main .message-error, main .errorlist, main .has-error",
      );
    if (flagged || status >= 400 || errors) return { kind: "refused", reason: reasonsOf(doc, body, status), doc };
    return { kind: "done", url: response.url, doc };
  }

  async function sendAndJudge(entry, token) {
    let outcome = await judge(await send(entry, token));
    if (outcome.kind === "csrf") {
      const who = await whoIsSignedIn();
      if (!who) throw new TypeError("offline");
      if (!who.user) return { kind: "login" };
      outcome = await judge(await send(entry, who.csrf));
      if (outcome.kind === "csrf") outcome = { kind: "refused", reason: say("tStatus", { status: 403 }) };
    }
    return outcome;
  }

  // --- the page: notices, the badge, messages carried over a navigation -------------------------
  function notice(form, message, level, link) {
    let note = form.outboxNote;
    if (!note || !note.isConnected) {
      note = document.createElement("div");
      note.setAttribute("role", "status");
      form.parentNode.insertBefore(note, form);
      form.outboxNote = note;
    }
    note.className = `message message-${level} outbox-notice`;
    note.textContent = message;
    if (link) {
      const a = document.createElement("a");
      a.href = OUTBOX_URL;
      a.textContent = say("tView");
      note.append(a);
    }
    return note;
  }

  function flash(items) {
    const main = document.getElementById("main");
    if (!main || !items.length) return;
    let box = main.querySelector(":scope > .messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "messages";
      const crumb = main.querySelector(":scope > .breadcrumb");
      if (crumb) crumb.after(box);
      else main.prepend(box);
    }
    for (const item of items) {
      const div = document.createElement("div");
      div.className = `message message-${/^(success|info|warning|error)$/.test(item.level) ? item.level : "info"}`;
      div.setAttribute("role", "status");
      div.textContent = item.text;
      box.append(div);
    }
  }

  // A form sent by fetch leaves the server's "saved" message on the page fetch followed to; it is
  // carried to the same page opened for real.
  function carry(outcome) {
    const items = outcome.doc
      ? Array.from(outcome.doc.querySelectorAll("main .messages .message")).map((el) => ({
          level: (/message-(\w+)/.exec(el.className) || [])[1],
          text: text(el),
        }))
      : [];
    try {
      if (items.length) sessionStorage.setItem(CARRY_KEY, JSON.stringify({ url: outcome.url, items }));
    } catch (error) {
      /* storage off: the message is lost, the record is saved */
    }
  }
  function showCarried() {
    let carried = null;
    try {
      carried = JSON.parse(sessionStorage.getItem(CARRY_KEY) || "null");
      sessionStorage.removeItem(CARRY_KEY);
    } catch (error) {
      return;
    }
    if (carried && carried.url === location.href.split("#")[0]) flash(carried.items);
  }

  let hasDue = false;
  async function refresh() {
    let entries;
    try {
      entries = await mine();
    } catch (error) {
      return;
    }
    const now = Date.now();
    for (const e of entries) {
      if (e.state === "sent" && now - (e.sent || 0) > KEEP_SENT_MS) await store.remove(e.id).catch(() => {});
    }
    const open = entries.filter((e) => OPEN.includes(e.state));
    hasDue = open.some((e) => e.state === "queued");
    badge.hidden = open.length === 0;
    badge.querySelector("[data-outbox-count]").textContent = String(open.length);
    badge.classList.toggle("outbox-badge-alert", open.some((e) => e.state === "refused" || e.state === "login"));
    drawList(entries.filter((e) => e.state !== "sent" || now - (e.sent || 0) <= KEEP_SENT_MS));
  }

  // --- submitting a form ------------------------------------------------------------------------
  async function keep(form, entry, state, reason) {
    entry.state = state;
    entry.reason = reason || "";
    try {
      entry.id = await store.put(entry);
    } catch (error) {
      notice(form, say("tNoStore"), "error");
      return;
    }
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    delete form.dataset.outboxEntry;
    form.reset();
    notice(form, say(state === "login" ? "tLogin" : "tQueued"), state === "login" ? "warning" : "success", true);
    form.dispatchEvent(new CustomEvent("outbox:queued", { bubbles: true, detail: { id: entry.id } }));
    changed();
  }

  function findForm(doc, form) {
    const candidates = Array.from(doc.querySelectorAll("form"));
    const action = actionOf(form);
    return (
      (form.id && candidates.find((f) => f.id === form.id)) ||
      candidates.find((f) => f.hasAttribute("data-offline") && actionOf(f) === action) ||
      null
    );
  }

  // Refused with a signal: the server's form in place of this one (its errors under the fields),
  // the photos chosen kept; or, when the answer has no form (a step's 409), its reasons above it.
  function showRefused(form, outcome) {
    const fresh = outcome.doc && findForm(outcome.doc, form);
    if (!fresh) {
      notice(form, outcome.reason, "error");
      return form;
    }
    const replacement = document.importNode(fresh, true);
    form.querySelectorAll("input[type=file]").forEach((old) => {
      const twin = Array.from(replacement.querySelectorAll("input[type=file]")).find((i) => i.name === old.name);
      if (twin && old.files && old.files.length) {
        try {
          twin.files = old.files;
        } catch (error) {
          /* an old browser: the photos are chosen again */
        }
      }
    });
    if (form.dataset.outboxEntry) replacement.dataset.outboxEntry = form.dataset.outboxEntry;
    if (form.outboxNote) form.outboxNote.remove();
    form.replaceWith(replacement);
    if (!replacement.querySelector(".message-error, .errorlist")) notice(replacement, outcome.reason, "error");
    replacement.dispatchEvent(new CustomEvent("outbox:replaced", { bubbles: true }));
    replacement.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true })); // pickers set themselves up
    (replacement.querySelector(".message-error, .has-error, .errorlist") || replacement).scrollIntoView({ block: "center" });
    return replacement;
  }

  function buttonsOf(form) {
    return form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]");
  }

  async function submit(form, submitter) {
    if (form.dataset.outboxBusy) return;
    form.dataset.outboxBusy = "1";
    let leaving = false;
    try {
      let entry;
      try {
        entry = await capture(form, submitter); // before the buttons are disabled: the submitter's value counts
      } catch (error) {
        leaving = true; // cannot read the form (a file gone): the browser posts it as ever
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      buttonsOf(form).forEach((b) => { b.disabled = true; });
      if (navigator.onLine === false) return await keep(form, entry, "queued");
      notice(form, say("tSending"), "info");
      const token = (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
      let outcome;
      try {
        outcome = await sendAndJudge(entry, token);
      } catch (error) {
        return await keep(form, entry, "queued"); // no network after all
      }
      if (outcome.kind === "login") return await keep(form, entry, "login");
      if (outcome.kind === "later") return await keep(form, entry, "queued", outcome.reason);
      if (outcome.kind === "done") {
        leaving = true;
        if (entry.id) await store.remove(entry.id).catch(() => {});
        carry(outcome);
        location.assign(outcome.url);
        return;
      }
      if (form.outboxNote) form.outboxNote.remove();
      form = showRefused(form, outcome);
    } finally {
      if (!leaving) {
        delete form.dataset.outboxBusy;
        buttonsOf(form).forEach((b) => { b.disabled = false; });
        if (form.outboxNote && form.outboxNote.textContent === say("tSending")) form.outboxNote.remove();
      }
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline")) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    event.preventDefault();
    submit(form, event.submitter || null);
  });

  // --- replay: the outbox sent when the signal returns ------------------------------------------
  function due(entry, now) {
    return entry.state === "login" || (entry.state === "queued" && !(entry.retryAt > now));
  }

  async function withLease(work) {
    // One tab sends at a time: Web Locks, or a lease in localStorage where there are none.
    if (navigator.locks) {
      return navigator.locks.request("fupin-outbox", { ifAvailable: true }, (lock) => (lock ? work(true) : null));
    }
    const now = Date.now();
    if (Number(localStorage.getItem(LEASE_KEY) || 0) > now) return null;
    localStorage.setItem(LEASE_KEY, String(now + 10 * 60 * 1000));
    try {
      return await work(false);
    } finally {
      localStorage.removeItem(LEASE_KEY);
    }
  }

  async function replay(locked) {
    const now = Date.now();
    const waiting = (await mine()).filter((e) => due(e, now) || e.state === "sending").sort((a, b) => a.created - b.created);
    if (!waiting.length || navigator.onLine === false) return;
    const who = await whoIsSignedIn();
    if (!who) return; // still no signal
    if (who.user === null) {
      for (const e of waiting) {
        if (e.state === "queued") await store.put(Object.assign(e, { state: "login", reason: "" }));
      }
      changed();
      return;
    }
    if (who.user !== user) return; // another user signed in since: these entries wait for theirs
    let sent = 0;
    let refused = 0;
    for (const waited of waiting) {
      const entry = await store.get(waited.id); // deleted or corrected meanwhile?
      if (!entry) continue;
      if (entry.state === "sending") {
        // A send cut off (the tab closed mid-way): whether the server saved it is unknown, so the
        // user decides rather than a second copy going out unasked.
        if (locked || now - (entry.tried || 0) > 10 * 60 * 1000) {
          await store.put(Object.assign(entry, { state: "refused", reason: say("tInterrupted") }));
          refused += 1;
          changed();
        }
        continue;
      }
      if (!due(entry, Date.now())) continue;
      Object.assign(entry, { state: "sending", tried: Date.now(), tries: (entry.tries || 0) + 1 });
      await store.put(entry);
      changed();
      let outcome;
      try {
        outcome = await sendAndJudge(entry, who.csrf);
      } catch (error) {
        await store.put(Object.assign(entry, { state: "queued" })); // the signal went again
        changed();
        break;
      }
      if (outcome.kind === "login") {
        await store.put(Object.assign(entry, { state: "login", reason: "" }));
        changed();
        break;
      }
      if (outcome.kind === "later") {
        const later = { state: "queued", reason: outcome.reason, retryAt: Date.now() + RETRY_MS * 2 ** entry.tries };
        if (entry.tries >= MAX_LATER) later.state = "refused";
        await store.put(Object.assign(entry, later));
        changed();
        break;
      }
      if (outcome.kind === "refused") {
        await store.put(Object.assign(entry, { state: "refused", reason: outcome.reason }));
        refused += 1;
        changed();
        continue;
      }
      // Saved: only a note of it stays (no fields, no photos), for a few days.
      await store.put({
        id: entry.id,
        user: entry.user,
        label: entry.label,
        action: entry.action,
        page: entry.page,
        created: entry.created,
        files: entry.fields.filter((f) => f.file).length,
        bytes: entry.fields.reduce((n, f) => n + (f.file ? f.file.size : 0), 0),
        state: "sent",
        sent: Date.now(),
        result: outcome.url,
        reason: "",
        fields: [],
      });
      sent += 1;
      changed();
    }
    const said = [];
    if (sent) said.push({ level: "success", text: say("tSent", { n: sent }) });
    if (refused) said.push({ level: "error", text: say("tRefusedN", { n: refused }) });
    flash(said);
  }

  let replaying = null;
  function replaySoon() {
    if (!replaying && user) {
      replaying = withLease(replay)
        .catch(() => {})
        .then(() => { replaying = null; });
    }
    return replaying;
  }

  // --- reopening a refused entry on its form (/…/#outbox-12, from the outbox page) ----------------
  function fill(form, entry) {
    const values = new Map();
    const files = new Map();
    for (const field of entry.fields) {
      const into = field.file ? files : values;
      if (!into.has(field.name)) into.set(field.name, []);
      into.get(field.name).push(field.file ? field : field.value);
    }
    const seen = new Map();
    Array.from(form.elements).forEach((el) => {
      const type = (el.type || "").toLowerCase();
      // The page's own hidden fields win: a fresh version (a stale one would only be refused again),
      // the place, the record. So do buttons and the CSRF token.
      if (!el.name || el.disabled || ["hidden", "submit", "button", "reset"].includes(type)) return;
      if (type === "file") {
        const list = files.get(el.name);
        if (list && window.DataTransfer) {
          const chosen = new DataTransfer();
          list.forEach((f) => chosen.items.add(new File([f.file], f.filename, { type: f.type })));
          el.files = chosen.files;
        }
        return;
      }
      const list = values.get(el.name) || [];
      if (type === "checkbox" || type === "radio") {
        el.checked = list.includes(el.value);
      } else if (el.multiple && el.options) {
        Array.from(el.options).forEach((o) => { o.selected = list.includes(o.value); });
      } else {
        const i = seen.get(el.name) || 0;
        seen.set(el.name, i + 1);
        if (i < list.length) el.value = list[i];
      }
    });
  }

  async function reopen() {
    const match = /^#outbox-(\d+)$/.exec(location.hash);
    if (!match) return;
    const entry = await store.get(Number(match[1])).catch(() => null);
    if (!entry || entry.user !== user || !entry.fields || !entry.fields.length) return;
    const forms = Array.from(document.querySelectorAll("form[data-offline]"));
    const form = forms.find((f) => actionOf(f) === entry.action) || forms[0];
    if (!form) return;
    fill(form, entry);
    form.dataset.outboxEntry = String(entry.id);
    // The version rule: the form now carries the record's current version. If someone changed the
    // record since the entry was written, say so: sending it again is a choice, never a silent overwrite.
    const kept = entry.fields.find((f) => f.name === "version");
    const current = form.querySelector("input[name=version]");
    const moved = kept && current && kept.value !== current.value;
    notice(form, [say("tEditing"), entry.reason, moved ? say("tChanged") : ""].filter(Boolean).join("\n"), "warning");
    form.dispatchEvent(new Event("change", { bubbles: true }));
    form.scrollIntoView({ block: "start" });
  }

  // --- the outbox page ----------------------------------------------------------------------------
  const list = document.getElementById("outbox-list");
  const lang = document.documentElement.lang || "zh-CN";
  function when(ms) {
    try {
      return new Date(ms).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
    } catch (error) {
      return new Date(ms).toLocaleString();
    }
  }
  function size(bytes) {
    return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
  }

  function drawEntry(template, entry) {
    const node = template.content.firstElementChild.cloneNode(true);
    const part = (name) => node.querySelector(`[data-field="${name}"]`);
    const action = (name) => node.querySelector(`[data-action="${name}"]`);
    node.dataset.id = String(entry.id);
    node.dataset.state = entry.state;
    part("label").textContent = entry.label;
    const tag = part("state");
    tag.textContent = say(`tState${entry.state.charAt(0).toUpperCase()}${entry.state.slice(1)}`);
    tag.className = `tag ${TAGS[entry.state] || ""}`;
    const meta = [say("tSavedAt", { time: when(entry.created) })];
    const files = entry.fields.filter((f) => f.file);
    if (files.length) meta.push(say("tFiles", { n: files.length, size: size(files.reduce((n, f) => n + f.file.size, 0)) }));
    else if (entry.files) meta.push(say("tFiles", { n: entry.files, size: size(entry.bytes || 0) }));
    if (entry.state === "sent") meta.push(say("tSentAt", { time: when(entry.sent) }));
    part("meta").textContent = meta.join(" · ");
    part("reason").textContent = entry.reason || "";
    if (entry.state === "refused" && entry.fields.length) {
      action("open").href = `${entry.page}#outbox-${entry.id}`;
      action("open").hidden = false;
    }
    if (entry.state === "login") {
      action("login").href = `${cfg.loginUrl}?next=${encodeURIComponent(OUTBOX_URL)}`;
      action("login").hidden = false;
    }
    if (entry.state === "sent" && entry.result) {
      action("result").href = entry.result;
      action("result").hidden = false;
    }
    action("resend").hidden = entry.state !== "refused" || !entry.fields.length;
    action("discard").hidden = entry.state === "sending" || entry.state === "sent";
    return node;
  }

  function drawList(entries) {
    const template = document.getElementById("outbox-entry");
    if (!list || !template) return;
    entries.sort((a, b) => b.created - a.created);
    list.replaceChildren(...entries.map((e) => drawEntry(template, e)));
    document.querySelector("[data-outbox-empty]").hidden = entries.length > 0;
  }

  // The kept copy answers any page asked for without signal: it says that page could not be opened,
  // and offers it again once there is a signal.
  const standIn = Boolean(list) && location.pathname !== OUTBOX_URL;
  function drawNetwork() {
    const offline = navigator.onLine === false;
    document.querySelector("[data-outbox-network]").textContent = say(offline ? "tOffline" : "tOnline");
    document.querySelector("[data-outbox-nopage]").hidden = !standIn || !offline;
    document.querySelector("[data-outbox-reopen]").hidden = !standIn || offline;
  }

  if (list) {
    drawNetwork();
    window.addEventListener("offline", drawNetwork);
    window.addEventListener("online", drawNetwork);
    list.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const id = Number(button.closest("[data-id]").dataset.id);
      if (button.dataset.action === "discard") {
        await store.remove(id);
      } else if (button.dataset.action === "resend") {
        const entry = await store.get(id);
        if (entry) await store.put(Object.assign(entry, { state: "queued", reason: "", tries: 0, retryAt: 0 }));
        replaySoon();
      }
      changed();
    });
    document.querySelector("[data-outbox-send]").addEventListener("click", async () => {
      for (const entry of await mine()) {
        if (entry.state === "queued" && entry.retryAt) await store.put(Object.assign(entry, { retryAt: 0 }));
      }
      replaySoon();
    });
  }

  // --- starting up --------------------------------------------------------------------------------
  showCarried();
  refresh();
  reopen();
  replaySoon();
  window.addEventListener("online", replaySoon);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") replaySoon();
  });
  setInterval(() => {
    if (hasDue && navigator.onLine !== false) replaySoon();
  }, RETRY_MS);
  if (cfg.user && cfg.swUrl && "serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: "/" }).catch(() => {});
  }
})();
