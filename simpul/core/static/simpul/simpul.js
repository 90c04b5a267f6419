/* Simpul's few behaviours of its own. They live in this file, not inline in the pages, because the
   Content-Security-Policy runs no inline script (settings.SIMPUL_CONTENT_SECURITY_POLICY). */
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing an option sends its form, as a plain submission.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });

  // <details data-fold-on-phone>: on a phone the group starts folded, unless it is marked data-changed;
  // without JavaScript every group stays as the page sent it.
  function foldOnPhone() {
    if (!window.matchMedia("(max-width: 575.98px)").matches) {
      return;
    }
    document.querySelectorAll("details[data-fold-on-phone]:not([data-changed])").forEach(function (group) {
      group.open = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", foldOnPhone);
  } else {
    foldOnPhone();
  }
})();
