/* Cascading division picker (see regions/widgets.py). Plain JS, no framework: each <select data-level>
   loads the children of the choice above it from /api/regions/{code}/children; the hidden input
   always holds the deepest choice, or, when nothing below the root is chosen, the root if the field
   allows the root's level (data-root-value) and nothing otherwise. A form with
   data-region-autosubmit submits on change.

   The base layout loads this script deferred on every page. It still waits for the document when
   run early, sets each picker up once (a second run or an htmx swap does not double the handlers),
   and sets up pickers that htmx brings in later. */
(function () {
  "use strict";

  function clear(select) {
    while (select.options.length > 1) select.remove(1);
    select.value = "";
    select.disabled = true;
  }

  function init(picker) {
    if (picker.dataset.pickerReady) return;
    picker.dataset.pickerReady = "1";
    var api = picker.dataset.api;
    var hidden = picker.querySelector('input[type="hidden"]');
    var status = picker.querySelector(".region-picker-status");
    var selects = Array.prototype.slice.call(picker.querySelectorAll("select[data-level]"));

    function deepest() {
      for (var i = selects.length - 1; i >= 0; i--) if (selects[i].value) return selects[i].value;
      return picker.dataset.rootValue || "";
    }

    function load(select, code) {
      picker.classList.remove("region-picker-error");
      status.textContent = "";
      picker.setAttribute("aria-busy", "true");
      select.dataset.loading = code;
      fetch(api + encodeURIComponent(code) + "/children", {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (items) {
          // A newer choice above may have cleared this select meanwhile: fill it only if still wanted.
          if (select.dataset.loading !== code) return;
          items.forEach(function (item) { select.add(new Option(item.short_name, item.code)); });
          select.disabled = items.length === 0;
        })
        .catch(function () {
          picker.classList.add("region-picker-error");
          status.textContent = picker.dataset.error;
        })
        .then(function () { picker.removeAttribute("aria-busy"); });
    }

    selects.forEach(function (select, i) {
      select.addEventListener("change", function () {
        for (var j = i + 1; j < selects.length; j++) {
          clear(selects[j]);
          delete selects[j].dataset.loading;
        }
        if (select.value && selects[i + 1]) load(selects[i + 1], select.value);
        hidden.value = deepest();
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    // The server already rendered the root when allowed; keep a hand-filled empty value consistent.
    if (!hidden.value) hidden.value = deepest();
  }

  function initAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(".region-picker")) init(scope);
    scope.querySelectorAll(".region-picker").forEach(init);
  }

  // One delegated listener: forms marked data-region-autosubmit submit when a picker's value changes.
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-region-autosubmit]");
    if (form && event.target.matches('.region-picker input[type="hidden"]')) form.submit();
  });
  document.addEventListener("htmx:load", function (event) { initAll(event.target); });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  } else {
    initAll(document);
  }
})();
