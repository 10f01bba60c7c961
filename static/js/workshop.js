// Presentation mode for the workshop page (templates/reports/workshop.html, ?present=1):
// one section at a time, next/previous with buttons and the arrow keys, full screen through
// the Fullscreen API where the browser has it. Without this file the page is one long page.
(function () {
  "use strict";

  function setUp() {
    var root = document.querySelector("[data-presentation]");
    if (!root) {
      return;
    }
    var slides = Array.prototype.slice.call(root.querySelectorAll("[data-slide]"));
    var prev = root.querySelector("[data-prev]");
    var next = root.querySelector("[data-next]");
    var status = root.querySelector("[data-status]");
    var full = root.querySelector("[data-fullscreen]");
    var template = root.getAttribute("data-status-template") || "%(n)s / %(total)s";
    if (slides.length === 0) {
      return;
    }
    root.classList.add("workshop--slides");
    var current = 0;

    function heading(slide) {
      return slide.querySelector("h1, h2");
    }

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(slides.length - 1, index));
      slides.forEach(function (slide, i) {
        slide.hidden = i !== current;
      });
      prev.disabled = current === 0;
      next.disabled = current === slides.length - 1;
      var title = heading(slides[current]);
      status.textContent =
        template.replace("%(n)s", String(current + 1)).replace("%(total)s", String(slides.length)) +
        (title ? ": " + title.textContent.trim() : "");
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#slide-" + (current + 1));
      }
      if (moveFocus && title) {
        // The heading (tabindex=-1) takes focus so a screen reader starts reading the new
        // section; a button that became disabled would otherwise drop focus to <body>.
        title.focus();
      }
    }

    prev.hidden = false;
    next.hidden = false;
    prev.addEventListener("click", function () {
      show(current - 1, true);
    });
    next.addEventListener("click", function () {
      show(current + 1, true);
    });

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var target = event.target;
      // Arrow keys keep their own meaning in form fields and in a table that scrolls sideways.
      if (target && target.closest && target.closest("input, select, textarea, [role=region]")) {
        return;
      }
      var key = event.key;
      if (key === "ArrowRight" || key === "PageDown") {
        show(current + 1, true);
      } else if (key === "ArrowLeft" || key === "PageUp") {
        show(current - 1, true);
      } else if (key === "Home") {
        show(0, true);
      } else if (key === "End") {
        show(slides.length - 1, true);
      } else {
        return;
      }
      event.preventDefault();
    });

    if (full && document.fullscreenEnabled) {
      full.hidden = false;
      full.addEventListener("click", function () {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else {
          document.documentElement.requestFullscreen().catch(function () {
            // Refused (an iframe or a browser setting): the page stays as it is.
          });
        }
      });
      document.addEventListener("fullscreenchange", function () {
        full.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
      });
    }

    var match = /^#slide-(\d+)$/.exec(window.location.hash);
    show(match ? parseInt(match[1], 10) - 1 : 0, false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
