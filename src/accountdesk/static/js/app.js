// accountdesk page behaviour: keyboard shortcuts and <dialog> modals. Everything else is HTMX.
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    const tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function openDialog(dialog, opener) {
    if (!dialog || dialog.open) return;
    dialog._opener = opener || document.activeElement;
    dialog.showModal();
    const first = dialog.querySelector("[autofocus], input:not([type=hidden]), select, textarea, button");
    if (first) first.focus();
  }

  function focusables(dialog) {
    return Array.from(
      dialog.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])")
    ).filter((el) => !el.disabled && el.offsetParent !== null);
  }

  document.addEventListener("keydown", function (event) {
    const open = document.querySelector("dialog[open]");
    if (open && event.key === "Tab") {
      // showModal() makes the page inert, but focus can still leave to the browser chrome: keep it inside.
      const items = focusables(open);
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        last.focus();
        event.preventDefault();
      } else if (!event.shiftKey && document.activeElement === last) {
        first.focus();
        event.preventDefault();
      }
      return;
    }
    if (open || isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      const search = document.querySelector("[data-global-search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (event.key === "?") {
      openDialog(document.getElementById("shortcuts-dialog"));
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-history-back]")) {
      window.history.back();
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      const menu = opener.closest("details.user-menu");
      if (menu) menu.open = false;
      openDialog(document.getElementById(opener.dataset.openDialog), opener);
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      const dialog = closer.closest("dialog");
      if (dialog) dialog.close();
      return;
    }
    // A click on the backdrop (the dialog element itself, outside its box) closes it.
    if (event.target.tagName === "DIALOG" && event.target.open) {
      const box = event.target.getBoundingClientRect();
      const inside =
        event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) event.target.close();
    }
    // Close the user menu when clicking elsewhere.
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  document.addEventListener("close", function (event) {
    const dialog = event.target;
    if (dialog.tagName === "DIALOG" && dialog._opener && dialog._opener.focus) dialog._opener.focus();
  }, true);

  // A dialog rendered open by the server (a form that came back with errors) opens as a modal.
  function openMarked(root) {
    (root || document).querySelectorAll("dialog[data-open-on-load]").forEach(function (dialog) {
      openDialog(dialog);
    });
  }
  // The tab bar scrolls sideways on narrower screens: bring the current tab into view.
  function showCurrentTab() {
    const current = document.querySelector(".tabs [aria-current='page']");
    if (current) current.scrollIntoView({block: "nearest", inline: "center"});
  }
  // Error pages offer "Back" only when there is a page to go back to.
  function showBackButtons() {
    if (window.history.length < 2) return;
    document.querySelectorAll("[data-history-back]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { openMarked(document); showCurrentTab(); showBackButtons(); });
  document.addEventListener("htmx:afterSwap", function (event) { openMarked(event.target); });
})();
