// The dashboard's dialogs and refreshes. app.js opens, traps and closes <dialog>s; HTMX loads and
// submits them. This adds what the dashboard needs on top: close the action dialog when the server
// says it is done (the changed sections have already been swapped in), confirm briefly, and keep
// the keyboard focus somewhere sensible when the element that had it was replaced.
(function () {
  "use strict";

  const DIALOG_ID = "dashboard-action";
  let placeholder = null;
  let toastTimer = null;

  function dialog() {
    return document.getElementById(DIALOG_ID);
  }

  function content() {
    return document.getElementById(DIALOG_ID + "-content");
  }

  function focusFirstField(root) {
    const target =
      root.querySelector(".has-error input, .has-error select, .has-error textarea") ||
      root.querySelector("[autofocus], input:not([type=hidden]), select, textarea") ||
      root.querySelector(".modal-foot .btn-primary, .modal-foot button");
    if (target) target.focus();
  }

  function toast(message) {
    const box = document.getElementById("dashboard-toast");
    if (!box) return;
    box.textContent = message;
    box.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      box.classList.remove("show");
    }, 4000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = content();
    if (box) placeholder = box.innerHTML;
  });

  // The dialog's content arrived (a form, a form with errors, a note): focus its first field.
  document.addEventListener("htmx:afterSwap", function (event) {
    const box = content();
    if (box && event.detail.target === box && !box.querySelector("[data-action-done]")) focusFirstField(box);
  });

  // The server took the action: the sections it changed are already swapped out of band.
  document.body.addEventListener("dashboard-done", function (event) {
    const d = dialog();
    if (d && d.open) d.close();
    toast((event.detail && event.detail.message) || "Done.");
  });

  document.addEventListener(
    "close",
    function (event) {
      const d = event.target;
      if (d.id !== DIALOG_ID) return;
      // The button that opened the dialog may sit in a section that was just replaced: focus its
      // successor (same id) rather than losing focus to the top of the page.
      const opener = d._opener;
      if (opener && !opener.isConnected && opener.id) {
        const again = document.getElementById(opener.id);
        if (again) again.focus();
      }
      // Next time it opens it says "Loading…" rather than showing the last action's form.
      const box = content();
      if (box && placeholder !== null) box.innerHTML = placeholder;
    },
    true
  );

  // The notes checkbox replaced its own section: put the focus back on the new checkbox.
  document.addEventListener("htmx:afterSettle", function (event) {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (elt && elt.id === "include-tickets" && !elt.isConnected) {
      const again = document.getElementById("include-tickets");
      if (again) again.focus();
    }
  });

  // Escape hides a contact's address tooltip without moving focus (it returns on the next hover).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const trigger = event.target.closest && event.target.closest(".tip-trigger");
    if (trigger) trigger.closest(".tip").classList.add("tip-dismissed");
  });
  document.addEventListener("focusout", function (event) {
    const tip = event.target.closest && event.target.closest(".tip");
    if (tip) tip.classList.remove("tip-dismissed");
  });
  document.addEventListener("mouseout", function (event) {
    const tip = event.target.closest && event.target.closest(".tip");
    if (tip && !tip.contains(event.relatedTarget)) tip.classList.remove("tip-dismissed");
  });
})();
