/* Cascading division picker (see regions/widgets.py). Plain JS, no framework: each <select data-level>
   loads the children of the choice above it from /api/regions/{code}/children; the hidden input
   always holds the deepest choice (or the root). A form with data-region-autosubmit submits on change. */
(function () {
  "use strict";

  function clear(select) {
    while (select.options.length > 1) select.remove(1);
    select.value = "";
    select.disabled = true;
  }

  function init(picker) {
    var api = picker.dataset.api;
    var hidden = picker.querySelector('input[type="hidden"]');
    var status = picker.querySelector(".region-picker-status");
    var selects = Array.prototype.slice.call(picker.querySelectorAll("select[data-level]"));

    function deepest() {
      for (var i = selects.length - 1; i >= 0; i--) if (selects[i].value) return selects[i].value;
      return picker.dataset.root || "";
    }

    function load(select, code) {
      picker.classList.remove("region-picker-error");
      status.textContent = "";
      fetch(api + encodeURIComponent(code) + "/children", {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (items) {
          items.forEach(function (item) { select.add(new Option(item.short_name, item.code)); });
          select.disabled = items.length === 0;
        })
        .catch(function () {
          picker.classList.add("region-picker-error");
          status.textContent = picker.dataset.error;
        });
    }

    selects.forEach(function (select, i) {
      select.addEventListener("change", function () {
        for (var j = i + 1; j < selects.length; j++) clear(selects[j]);
        if (select.value && selects[i + 1]) load(selects[i + 1], select.value);
        hidden.value = deepest();
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  document.querySelectorAll(".region-picker").forEach(init);
  document.querySelectorAll("form[data-region-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches('.region-picker input[type="hidden"]')) form.submit();
    });
  });
})();
