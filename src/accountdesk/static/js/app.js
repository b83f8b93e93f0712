// accountdesk page behaviour: keyboard shortcuts, <dialog> modals, confirmations and selects that
// submit their form. Everything else is HTMX. The Content-Security-Policy allows no inline script
// or on* attribute: behaviour is bound here from data-* attributes.
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    const tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  // A dialog's first place for the hands: the first field with an error, else its first field;
  // never its close button. A dialog still loading its form (HTMX) holds focus itself until then.
  function firstField(root) {
    return (
      root.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea") ||
      root.querySelector("[autofocus], input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])")
    );
  }

  function focusDialog(dialog) {
    const field = firstField(dialog);
    if (field) {
      field.focus();
      return;
    }
    const action = dialog.querySelector(".modal-body button, .modal-foot button, .modal-body a[href]");
    if (action) {
      action.focus();
      return;
    }
    if (!dialog.hasAttribute("tabindex")) dialog.setAttribute("tabindex", "-1");
    dialog.focus();
  }

  function openDialog(dialog, opener) {
    if (!dialog || dialog.open) return;
    dialog._opener = opener || document.activeElement;
    dialog.showModal();
    focusDialog(dialog);
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

  // <form data-confirm="Remove …?">: ask before submitting (a plain post or an HTMX one).
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit>: choosing a value submits its form.
  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
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
  // The customer's tabs: links to pages that behave as an ARIA tab list. Left/Right/Home/End move
  // between them (roving tabindex: one Tab stop for the bar), Enter or Space opens the page.
  const TAB_FLAG = "accountdesk:focus-tab";

  function setUpTabs(list) {
    const tabs = Array.from(list.querySelectorAll("a[href]"));
    if (tabs.length === 0) return;
    const current = tabs.find(function (tab) { return tab.getAttribute("aria-current") === "page"; }) || tabs[0];
    const nav = list.closest("nav");
    list.setAttribute("role", "tablist");
    if (nav && nav.getAttribute("aria-label")) list.setAttribute("aria-label", nav.getAttribute("aria-label"));
    tabs.forEach(function (tab) {
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", tab === current ? "true" : "false");
      tab.setAttribute("tabindex", tab === current ? "0" : "-1");
      tab.setAttribute("aria-controls", "tab-panel");
    });
    const panel = document.querySelector("[data-tab-panel]");
    if (panel) {
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", current.id);
    }
    list.addEventListener("keydown", function (event) {
      const index = tabs.indexOf(document.activeElement);
      if (index < 0) return;
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
      else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      else if (event.key === " ") {
        event.preventDefault();
        tabs[index].click();
        return;
      }
      if (!next) return;
      event.preventDefault();
      tabs[index].setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
      next.scrollIntoView({block: "nearest", inline: "nearest"});
    });
    // Opening a tab from the bar brings focus back to the bar on the new page.
    list.addEventListener("click", function (event) {
      if (event.target.closest("a[role=tab]")) {
        try { sessionStorage.setItem(TAB_FLAG, "1"); } catch (e) { /* storage off: focus the heading */ }
      }
    });
    return current;
  }

  // A customer page puts focus on its heading (screen readers announce whose account this is), or
  // on the current tab when it was opened from the tab bar.
  function focusOnLoad(currentTab) {
    let fromTabs = false;
    try {
      fromTabs = sessionStorage.getItem(TAB_FLAG) === "1";
      sessionStorage.removeItem(TAB_FLAG);
    } catch (e) { /* storage off */ }
    if (document.querySelector("dialog[open]")) return;
    if (fromTabs && currentTab) {
      currentTab.focus();
      return;
    }
    // A link to a place in the page (#notes) keeps its place.
    if (window.location.hash) return;
    const heading = document.querySelector("[data-focus-on-load]");
    if (heading) heading.focus({preventScroll: true});
  }

  document.addEventListener("click", function (event) {
    const skip = event.target.closest("[data-skip-to-tabs]");
    if (!skip) return;
    const current = document.querySelector("[data-tabs] [role=tab][tabindex='0']");
    if (current) {
      event.preventDefault();
      current.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    const tabList = document.querySelector("[data-tabs]");
    const currentTab = tabList ? setUpTabs(tabList) : null;
    openMarked(document);
    showCurrentTab();
    showBackButtons();
    focusOnLoad(currentTab);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    openMarked(event.target);
    // A dialog's form arrived (or came back with errors, its button gone with the old form): put
    // focus on its first field; but never take it from a field someone is typing in.
    const dialog = event.target.closest && event.target.closest("dialog[open]");
    if (!dialog) return;
    const active = document.activeElement;
    if (active === dialog || !dialog.contains(active) || active.hasAttribute("data-close-dialog")) focusDialog(dialog);
  });
})();
