/* Page behaviours wired from data attributes: the Content-Security-Policy forbids inline
   scripts and onclick= handlers, so every template declares intent and this file acts on it. */
(function () {
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print]");
    if (target) {
      event.preventDefault();
      window.print();
      return;
    }
    target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A "select all" checkbox ticks every checkbox named by its data-check-all attribute.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("[data-check-all]")) {
      var selector = 'input[type=checkbox][name="' + box.getAttribute("data-check-all") + '"]';
      document.querySelectorAll(selector).forEach(function (c) { c.checked = box.checked; });
    }
    // A select whose option values are query strings navigates when changed.
    if (box.matches("select[data-navigate-query]")) {
      window.location.search = box.value;
    }
  });
})();
