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

/* A select with a search box (core/widgets.py SearchableSelect). <input type="search" data-filter-select="ID">:
   typing hides the options of select#ID whose text does not hold every word typed (letter case and accents
   aside); Enter chooses the option when one is left instead of sending the form. <select data-filter-by=
   "NAME">: an option with data-filter-value is shown only while the form's field NAME has that value (an
   application's reference codes follow its kind). The box is sent hidden: without JavaScript it stays
   hidden and the select works as any other. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function searchBox(select) {
    if (!select.id) {
      return null;
    }
    var boxes = document.querySelectorAll("input[data-filter-select]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].getAttribute("data-filter-select") === select.id) {
        return boxes[i];
      }
    }
    return null;
  }

  // Show the options that fit both filters; `dropMismatch`: a chosen option the other field no longer
  // allows is unchosen (not when the page loads: a stored value stays as it is until the user acts).
  function filterOptions(select, dropMismatch) {
    var box = searchBox(select);
    var words = box ? fold(box.value).split(/\s+/).filter(Boolean) : [];
    var byName = select.getAttribute("data-filter-by");
    var controller = byName && select.form ? select.form.elements.namedItem(byName) : null;
    var wanted = controller ? controller.value : "";
    Array.prototype.forEach.call(select.options, function (option) {
      var value = option.getAttribute("data-filter-value");
      var fits = !wanted || value === null || value === wanted;
      if (!fits && option.selected && dropMismatch) {
        select.value = "";
      }
      var text = fold(option.text);
      var matches = option.value === "" || words.every(function (word) {
        return text.indexOf(word) !== -1;
      });
      option.hidden = !(fits && matches);
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }

  function selectFor(box) {
    var select = document.getElementById(box.getAttribute("data-filter-select"));
    return select instanceof HTMLSelectElement ? select : null;
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.hasAttribute("data-filter-select")) {
      var select = selectFor(box);
      if (select) {
        filterOptions(select, false);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !(box instanceof HTMLInputElement) || !box.hasAttribute("data-filter-select")) {
      return;
    }
    event.preventDefault();
    var select = selectFor(box);
    if (!select) {
      return;
    }
    var left = Array.prototype.filter.call(select.options, function (option) {
      return !option.hidden && option.value !== "";
    });
    if (left.length === 1 && !left[0].selected) {
      select.value = left[0].value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    select.focus();
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.form || !field.name) {
      return;
    }
    Array.prototype.forEach.call(field.form.querySelectorAll("select[data-filter-by]"), function (select) {
      if (select.getAttribute("data-filter-by") === field.name) {
        filterOptions(select, true);
      }
    });
  });

  function setUp(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[data-filter-select]"), function (box) {
      var select = selectFor(box);
      if (select) {
        box.hidden = false;
        filterOptions(select, false);
      }
    });
    Array.prototype.forEach.call(root.querySelectorAll("select[data-filter-by]"), function (select) {
      filterOptions(select, false);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  } else {
    setUp(document);
  }
  // Content htmx swaps in (a form loaded into the page) gets its boxes too.
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element && event.target !== document.body) {
      setUp(event.target);
    }
  });
  // htmx leaves the page as it is when a request fails (4xx/5xx, or no answer at all); without this the
  // click seems to do nothing. The error pages answer htmx with a short message: show its text.
  function showRequestError(xhr) {
    var area = document.getElementById("request-errors");
    if (!area) {
      return;
    }
    var text = "";
    var type = xhr ? xhr.getResponseHeader("Content-Type") || "" : "";
    if (xhr && xhr.responseText && type.indexOf("text/html") === 0) {
      var fragment = new DOMParser().parseFromString(xhr.responseText, "text/html");
      text = (fragment.body.textContent || "").replace(/\s+/g, " ").trim();
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "request-error");
    var message = document.createElement("span");
    message.textContent = text || area.getAttribute("data-fallback");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", area.getAttribute("data-close") || "Close");
    alert.appendChild(message);
    alert.appendChild(close);
    area.replaceChildren(alert);
  }
  document.addEventListener("htmx:responseError", function (event) {
    showRequestError(event.detail.xhr);
  });
  document.addEventListener("htmx:sendError", function () {
    showRequestError(null);
  });
  // A table wider than the screen scrolls sideways inside its box; say so above it, since a phone
  // shows no scroll bar until one swipes.
  function markScrollingTables(root) {
    var hint = document.body.getAttribute("data-scroll-hint");
    (root || document).querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var note = box.previousElementSibling;
      var hasNote = note && note.classList.contains("scroll-hint");
      if (scrolls && !hasNote && hint) {
        note = document.createElement("div");
        note.className = "scroll-hint small text-body-secondary mb-1";
        note.setAttribute("data-testid", "scroll-hint");
        note.textContent = hint;
        box.parentNode.insertBefore(note, box);
      } else if (!scrolls && hasNote) {
        note.remove();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      markScrollingTables();
    });
  } else {
    markScrollingTables();
  }
  document.addEventListener("htmx:load", function () {
    markScrollingTables();
  });
  window.addEventListener("resize", function () {
    markScrollingTables();
  });
  // A slider says the value it is set to while it moves (<input type="range" data-show-value="output id">).
  document.addEventListener("input", function (event) {
    var slider = event.target;
    if (!(slider instanceof HTMLInputElement) || !slider.hasAttribute("data-show-value")) {
      return;
    }
    var output = document.getElementById(slider.getAttribute("data-show-value"));
    if (output) {
      output.textContent = Number(slider.value).toLocaleString(document.documentElement.lang || undefined);
    }
  });
})();
