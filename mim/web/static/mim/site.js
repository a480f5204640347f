// The few behaviours the pages share; plain JavaScript, no build step. Every page works
// without it: the menu then simply stays open.
(function () {
  "use strict";

  // The main menu folds away on a narrow screen, so a page starts near the top of a
  // phone. The stylesheet decides when it folds; this only opens and closes it.
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (menu) {
    var show = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    };
    header.classList.add("menu-folds");
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  }

  // A table wider than the screen scrolls inside its .table-wrap; a keyboard user must be
  // able to reach that scroll too, so a wrap that scrolls becomes focusable (WCAG 2.1.1).
  var wraps = function () {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.dataset.focusable === undefined) {
        wrap.dataset.focusable = wrap.hasAttribute("tabindex") ? "always" : "";
      }
      if (wrap.dataset.focusable === "always") {
        return;
      }
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  };
  document.addEventListener("DOMContentLoaded", wraps);
  window.addEventListener("resize", wraps);
}());
