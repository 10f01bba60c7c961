// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move focus to the error summary so keyboard and screen reader users hear what went wrong.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // Show a follow-up question only when the answer it depends on is one that applies.
  function setUpFollowUps() {
    var followUps = document.querySelectorAll("[data-condition-field]");
    Array.prototype.forEach.call(followUps, function (block) {
      var name = block.getAttribute("data-condition-field");
      var values = block.getAttribute("data-condition-values").split(" ");
      var inputs = document.querySelectorAll('input[name="' + name + '"]');
      function update() {
        var checked = document.querySelector('input[name="' + name + '"]:checked');
        var show = checked !== null && values.indexOf(checked.value) !== -1;
        block.hidden = !show;
      }
      Array.prototype.forEach.call(inputs, function (input) {
        input.addEventListener("change", update);
      });
      var note = block.querySelector(".follow-up__note");
      if (note) {
        note.hidden = true; // the note is for pages without this script
      }
      update();
    });
  }

  // The language switcher submits as soon as a language is chosen with the mouse or touch.
  // Stepping through the closed list with the arrow keys changes the value on some systems:
  // that does not leave the page; Enter (or the button, kept for everyone) does.
  function setUpLanguageSwitch() {
    var form = document.querySelector("form[data-submit-on-change]");
    if (!form) {
      return;
    }
    var select = form.querySelector("select");
    var stepping = false;
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && stepping) {
        event.preventDefault();
        form.submit();
        return;
      }
      stepping = /^(Arrow|Page|Home|End)/.test(event.key) || event.key.length === 1;
    });
    select.addEventListener("mousedown", function () { stepping = false; });
    select.addEventListener("change", function () {
      if (!stepping) {
        form.submit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    setUpFollowUps();
    setUpLanguageSwitch();
  });
})();

// Batch export: poll the status as JSON and move the progress bar.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-export-status]");
    if (!box || !window.fetch) {
      return;
    }
    var state = box.getAttribute("data-export-state");
    if (state === "done" || state === "failed") {
      return;
    }
    var timer = window.setInterval(function () {
      fetch(box.getAttribute("data-export-status"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          box.querySelector("[data-export-done]").textContent = data.done;
          box.querySelector("[data-export-total]").textContent = data.total;
          var bar = box.querySelector("[data-export-progress]");
          bar.max = Math.max(data.total, 1);
          bar.value = data.done;
          if (data.status === "done" || data.status === "failed") {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () { window.clearInterval(timer); });
    }, 1500);
  });
})();
