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
    // <dialog data-reset-on-close>: next time it opens it says "Loading…", not the last content.
    if (dialog.tagName === "DIALOG" && dialog._initial !== undefined) dialog.innerHTML = dialog._initial;
  }, true);

  // A dialog rendered open by the server (a form that came back with errors) opens as a modal.
  function openMarked(root) {
    (root || document).querySelectorAll("dialog[data-open-on-load]").forEach(function (dialog) {
      openDialog(dialog);
    });
  }
  // A table longer or wider than its box scrolls inside it. With nothing in it to focus (no link, no
  // button) the keyboard could not scroll it: the box gets a Tab stop and its card's title as name.
  function focusableScrollers(root) {
    root.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
      const scrolls = wrap.scrollHeight > wrap.clientHeight || wrap.scrollWidth > wrap.clientWidth;
      if (!scrolls || wrap.querySelector("a[href], button, input, select, textarea, [tabindex]")) return;
      const title = wrap.closest(".card") && wrap.closest(".card").querySelector(".card-head h2");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", title ? title.textContent.trim() + ", table" : "Table");
    });
  }
  // Error pages offer "Back" only when there is a page to go back to.
  function showBackButtons() {
    if (window.history.length < 2) return;
    document.querySelectorAll("[data-history-back]").forEach(function (button) { button.hidden = false; });
  }
  // The customer's tab bar (customers/tab_base.html). A group of tabs comes as a <details> menu, so
  // it opens without script too; here it becomes a disclosure button (the WAI-ARIA disclosure
  // navigation pattern): Enter or Space opens and closes it, ArrowDown opens it on its first link
  // (ArrowUp on its last), the arrows, Home and End move through its links, Escape closes it and
  // returns to its button. Left and Right move between the bar's places; one menu is open at a time.
  const TAB_FLAG = "accountdesk:focus-tab";

  function upgradeGroup(details) {
    const summary = details.querySelector(":scope > summary");
    const menu = details.querySelector(":scope > .tab-menu");
    const group = document.createElement("div");
    group.className = details.className;
    const button = document.createElement("button");
    button.type = "button";
    button.className = summary.className;
    button.id = summary.id;
    if (summary.hasAttribute("aria-current")) button.setAttribute("aria-current", summary.getAttribute("aria-current"));
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", menu.id);
    while (summary.firstChild) button.appendChild(summary.firstChild);
    menu.hidden = true;
    group.append(button, menu);
    details.replaceWith(group);
  }

  function groupButton(group) {
    return group.querySelector(":scope > .tab-group-button");
  }

  function setGroupOpen(group, open) {
    groupButton(group).setAttribute("aria-expanded", open ? "true" : "false");
    group.querySelector(":scope > .tab-menu").hidden = !open;
  }

  function isGroupOpen(group) {
    return groupButton(group).getAttribute("aria-expanded") === "true";
  }

  function closeGroups(bar, except) {
    bar.querySelectorAll(".tab-group").forEach(function (group) {
      if (group !== except && isGroupOpen(group)) setGroupOpen(group, false);
    });
  }

  // Where the bar's keyboard focus belongs: the open tab's link, or the button of its group.
  function currentPlace(bar) {
    const current = bar.querySelector("[aria-current='page']");
    if (!current) return null;
    const group = current.closest(".tab-group");
    return group ? groupButton(group) : current;
  }

  function step(items, item, key) {
    const index = items.indexOf(item);
    if (key === "Home") return items[0];
    if (key === "End") return items[items.length - 1];
    if (key === "ArrowDown" || key === "ArrowRight") return items[(index + 1) % items.length];
    if (key === "ArrowUp" || key === "ArrowLeft") return items[(index - 1 + items.length) % items.length];
    return null;
  }

  function setUpTabBar(bar) {
    bar.querySelectorAll("details[data-tab-group]").forEach(upgradeGroup);
    const places = Array.from(bar.querySelectorAll(".tabs > li > a[href], .tabs > li > .tab-group > button"));

    bar.addEventListener("click", function (event) {
      const button = event.target.closest(".tab-group-button");
      if (button) {
        const group = button.parentElement;
        closeGroups(bar, group);
        setGroupOpen(group, !isGroupOpen(group));
        return;
      }
      // Opening a tab from the bar brings focus back to the bar on the new page.
      if (event.target.closest("a[href]")) {
        try { sessionStorage.setItem(TAB_FLAG, "1"); } catch (e) { /* storage off: focus the heading */ }
      }
    });

    bar.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
      const target = event.target;
      const group = target.closest(".tab-group");
      if (group && event.key === "Escape" && isGroupOpen(group)) {
        event.preventDefault();
        setGroupOpen(group, false);
        groupButton(group).focus();
        return;
      }
      if (group && target !== groupButton(group)) {
        const links = Array.from(group.querySelectorAll(".tab-menu a[href]"));
        if (event.key === " ") {
          event.preventDefault();
          target.click();
          return;
        }
        const across = event.key === "ArrowLeft" || event.key === "ArrowRight";
        const next = across ? step(places, groupButton(group), event.key) : step(links, target, event.key);
        if (next) {
          event.preventDefault();
          if (across) setGroupOpen(group, false);
          next.focus();
        }
        return;
      }
      if (group && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        closeGroups(bar, group);
        setGroupOpen(group, true);
        const links = group.querySelectorAll(".tab-menu a[href]");
        links[event.key === "ArrowDown" ? 0 : links.length - 1].focus();
        return;
      }
      if (places.indexOf(target) < 0 || event.key === "ArrowDown" || event.key === "ArrowUp") return;
      const next = step(places, target, event.key);
      if (next) {
        event.preventDefault();
        closeGroups(bar);
        next.focus();
      }
    });

    // A menu closes when focus or a click goes elsewhere.
    bar.addEventListener("focusout", function (event) {
      const group = event.target.closest(".tab-group");
      if (group && !group.contains(event.relatedTarget) && event.relatedTarget) setGroupOpen(group, false);
    });
    document.addEventListener("click", function (event) {
      if (!bar.contains(event.target)) closeGroups(bar);
    });
  }

  // A customer page puts focus on its heading (screen readers announce whose account this is), or
  // on the tab bar's current place when it was opened from the tab bar.
  function focusOnLoad(bar) {
    let fromTabs = false;
    try {
      fromTabs = sessionStorage.getItem(TAB_FLAG) === "1";
      sessionStorage.removeItem(TAB_FLAG);
    } catch (e) { /* storage off */ }
    if (document.querySelector("dialog[open]")) return;
    const place = bar && currentPlace(bar);
    if (fromTabs && place) {
      place.focus();
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
    const bar = document.querySelector("[data-tab-bar]");
    const place = bar && (currentPlace(bar) || bar.querySelector("a[href], button"));
    if (place) {
      event.preventDefault();
      place.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("dialog[data-reset-on-close]").forEach(function (dialog) {
      dialog._initial = dialog.innerHTML;
    });
    const bar = document.querySelector("[data-tab-bar]");
    if (bar) setUpTabBar(bar);
    openMarked(document);
    focusableScrollers(document);
    showBackButtons();
    focusOnLoad(bar);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    openMarked(event.target);
    focusableScrollers(event.target);
    // A dialog's form arrived (or came back with errors, its button gone with the old form): put
    // focus on its first field; but never take it from a field someone is typing in.
    const dialog = event.target.closest && event.target.closest("dialog[open]");
    if (!dialog) return;
    const active = document.activeElement;
    if (active === dialog || !dialog.contains(active) || active.hasAttribute("data-close-dialog")) focusDialog(dialog);
  });
})();
