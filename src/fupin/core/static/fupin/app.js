/* fupin: the little the shell needs in the browser. Pages work without it; it only makes them nicer.
 *
 * - [data-menu-toggle]   opens/closes the sidebar on a phone (the menu button and the backdrop)
 * - [data-confirm]       on a button, link or form: asks before going on; the attribute's text is the
 *                        question (empty: the page's default, <body data-confirm-default>)
 * - [data-autosubmit]    on a select: submits its form when changed (e.g. the page-size choice)
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setMenu(open) {
    document.body.classList.toggle("menu-open", open);
    document.querySelectorAll("[data-menu-toggle][aria-expanded]").forEach(function (el) {
      el.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function question(el) {
    return el.getAttribute("data-confirm") || document.body.getAttribute("data-confirm-default") || "?";
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      setMenu(!document.body.classList.contains("menu-open"));
      return;
    }
    var asking = event.target.closest("a[data-confirm], button[data-confirm], input[data-confirm]");
    if (asking && !window.confirm(question(asking))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
    // A click outside an open user menu closes it.
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(question(form))) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      if (select.form.requestSubmit) select.form.requestSubmit();
      else select.form.submit();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      setMenu(false);
      document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
        menu.removeAttribute("open");
      });
    }
  });
})();
