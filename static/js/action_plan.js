// The action plan editor (templates/reports/action_plan.html): text boxes that grow with
// their text, and "Add a line" without a round trip. Without this file the button posts the
// form and the page comes back with one more line (reports/views/action_plan.py).
(function () {
  "use strict";

  var growsByItself = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

  function autogrow(textarea) {
    if (growsByItself) {
      return;
    }
    function fit() {
      textarea.style.height = "auto";
      textarea.style.height = textarea.scrollHeight + 2 + "px";
    }
    textarea.addEventListener("input", fit);
    fit();
  }

  function setUp() {
    var form = document.querySelector("form[data-action-plan]");
    if (!form) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll("textarea[data-autogrow]"), autogrow);
    var button = form.querySelector("[data-add-line]");
    var template = form.querySelector("template[data-line-template]");
    var lines = form.querySelector("[data-lines]");
    var total = form.querySelector('input[name="plan-TOTAL_FORMS"]');
    var max = form.querySelector('input[name="plan-MAX_NUM_FORMS"]');
    var status = form.querySelector("[data-line-status]");
    if (!button || !template || !lines || !total) {
      return;
    }
    button.addEventListener("click", function (event) {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        return; // the server says why
      }
      event.preventDefault();
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__n__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var line = holder.firstElementChild;
      lines.appendChild(line);
      total.value = String(index + 1);
      Array.prototype.forEach.call(line.querySelectorAll("textarea[data-autogrow]"), autogrow);
      if (status) {
        status.textContent = button.getAttribute("data-added-text") || "";
      }
      var first = line.querySelector("textarea, input:not([type=hidden])");
      if (first) {
        first.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
