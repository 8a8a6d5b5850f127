// The visit form survives a lost signal. Submitting without signal is the outbox's (fupin/outbox.js:
// the form has data-offline, so it is kept on the phone and sent when the signal returns). What this
// script adds is the draft: every keystroke is kept in localStorage, restored when the form is
// opened again, and cleared once the visit is saved (the visit's page says so) or kept in the outbox
// (which holds it from then on). And the 获取当前位置 button.
(function () {
  "use strict";
  var saved = document.querySelector("[data-clear-draft]");
  if (saved) {
    try { localStorage.removeItem(saved.getAttribute("data-clear-draft")); } catch (e) { /* storage off */ }
  }

  function setup(form) {
    var key = form.getAttribute("data-draft-key");
    var note = form.querySelector("[data-draft-note]");
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
    });
    function store() {
      var draft = {};
      fields.forEach(function (el) { draft[el.name] = el.value; });
      try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* full or disabled */ }
    }
    function restore() {
      var raw;
      try { raw = localStorage.getItem(key); } catch (e) { return; }
      if (!raw) return;
      var draft;
      try { draft = JSON.parse(raw); } catch (e) { return; }
      var restored = false;
      fields.forEach(function (el) {
        // The server's values win (a re-rendered form after a refusal); the draft fills what is empty.
        if (draft[el.name] && !el.value.trim()) { el.value = draft[el.name]; restored = true; }
      });
      if (restored && note) { note.textContent = form.getAttribute("data-draft-restored"); note.hidden = false; }
    }
    restore();
    form.addEventListener("input", store);
    form.addEventListener("change", store);
    form.addEventListener("submit", store);
    form.addEventListener("outbox:queued", function () {
      try { localStorage.removeItem(key); } catch (e) { /* storage off */ }
      if (note) note.hidden = true;
    });

    var locate = form.querySelector("[data-locate]");
    var status = form.querySelector("[data-locate-status]");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        status.textContent = locate.getAttribute("data-locating");
        navigator.geolocation.getCurrentPosition(function (pos) {
          form.elements.latitude.value = pos.coords.latitude.toFixed(6);
          form.elements.longitude.value = pos.coords.longitude.toFixed(6);
          status.textContent = "";
          store();
        }, function () { status.textContent = locate.getAttribute("data-failed"); }, { timeout: 15000 });
      });
    } else if (locate) {
      locate.hidden = true;
    }
  }

  var form = document.getElementById("visit-form");
  if (form) setup(form);
  // A refused visit comes back as the server's form in place of this one: set that one up the same way.
  document.addEventListener("outbox:replaced", function (event) {
    if (event.target.id === "visit-form") setup(event.target);
  });
})();
