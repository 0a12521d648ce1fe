// Site-wide behaviour, one small file (the Content-Security-Policy allows no inline script):
// 1. the main menu folds behind one button on narrow screens (static/css/app.css,
//    "Narrow screens"); without this script the menu simply stays open;
// 2. a table that scrolls sideways inside its box can be focused and scrolled
//    with the keyboard (WCAG 2.1.1; axe "scrollable-region-focusable").
(function () {
  "use strict";
  function focusableScrollers() {
    document.querySelectorAll("table.data, .chart-box, .scroll-box").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
    var button = document.querySelector(".menu-toggle");
    var header = document.querySelector(".topbar");
    if (!button || !header) return;
    header.classList.add("foldable");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      header.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("open")) {
        button.setAttribute("aria-expanded", "false");
        header.classList.remove("open");
        button.focus();
      }
    });
  });
})();
