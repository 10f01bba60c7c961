// The participants page. Progressive enhancement: without this file the shared link can be
// selected and copied by hand, and "Revoke" asks on a confirmation page of its own.
(function () {
  "use strict";

  function setUpCopy() {
    var button = document.querySelector("[data-copy]");
    if (!button || !navigator.clipboard) {
      return;
    }
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        status.textContent = "";
        // A fresh text each time, so screen readers announce a second copy too.
        window.setTimeout(function () {
          status.textContent = button.getAttribute("data-copied");
        }, 50);
      }).catch(function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
  }

  function setUpRevokeDialog() {
    var dialog = document.getElementById("revoke-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      return; // the server's confirmation page asks instead
    }
    var opener = null;
    Array.prototype.forEach.call(document.querySelectorAll("[data-confirm-revoke]"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        opener = button;
        dialog.querySelector("[data-revoke-name]").textContent = button.getAttribute("data-confirm-revoke");
        dialog.querySelector("[data-revoke-id]").value = button.form.querySelector("input[name=invitation]").value;
        dialog.showModal();
      });
    });
    dialog.querySelector("[data-dialog-cancel]").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (opener) {
        opener.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopy();
    setUpRevokeDialog();
  });
})();
