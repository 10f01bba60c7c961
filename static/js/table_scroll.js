// "The table scrolls sideways" only where it does (templates/reports/advisers/dashboard.html).
// Without this file the cue shows on every narrow screen (static/css/app.css).
(function () {
  "use strict";

  function update() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-scroll-cue]"), function (cue) {
      var region = cue.nextElementSibling;
      if (region) {
        cue.setAttribute("data-overflow", region.scrollWidth > region.clientWidth + 1 ? "yes" : "no");
      }
    });
  }

  window.addEventListener("resize", update);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
