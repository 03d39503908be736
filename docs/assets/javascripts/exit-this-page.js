// "Exit this page", after the GOV.UK Design System pattern: a button on every page, and
// the Shift key pressed three times within five seconds. Exiting clears any screening
// answers, hides the page at once and puts a neutral site in place of the first page of
// this site in the tab's history, so that Back does not return to any page of the site.

import { el, onEachPage } from "./dom.js";

/**
 * The neutral site readers are sent to: `exit_to` in partnership.yml, which the build
 * writes on every page's body (`data-exit-to`) and into the link shown without script.
 * @returns {string}
 */
function neutralUrl() {
  return document.body.dataset.exitTo || "about:blank";
}

const PRESSES = 3;
// How long a step back through the history may take before the exit leaves from here.
const STEP_BACK_MS = 3000;
const WINDOW_MS = 5000;

// Set on the tab while an exit passes through an earlier page of the site; that page
// finishes the exit as soon as it loads. Cleared at once: nothing else is kept.
const EXIT_MARK = "cse-exit-this-page";

/** @type {number[]} */
let presses = [];
let exiting = false;

/** The earliest entry of the unbroken run of this site's pages in the tab's history. */
function firstSiteEntry() {
  const navigation = window.navigation;
  if (!navigation || typeof navigation.entries !== "function" || !navigation.currentEntry) return null;
  const entries = navigation.entries();
  const first = entries[0];
  return first && first.key !== navigation.currentEntry.key ? first : null;
}

function leave() {
  window.name = "";
  window.location.replace(neutralUrl());
}

/** Step back to the first page of the site, then replace it with the neutral site. */
function leaveHistory() {
  const first = firstSiteEntry();
  if (!first) {
    leave();
    return;
  }
  window.name = EXIT_MARK;
  let result;
  try {
    result = window.navigation.traverseTo(first.key);
  } catch {
    leave();
    return;
  }
  if (first.sameDocument) {
    // A page of this document: carry on here once the step back has happened.
    result.committed?.then(leave, leave);
    return;
  }
  // Another document finishes the exit when it loads. Its promises may settle as this page
  // goes away, so they decide nothing; if the step back never happens, leave from here.
  result.committed?.catch(() => {});
  result.finished?.catch(() => {});
  setTimeout(leave, STEP_BACK_MS);
}

/** @param {Event} [event] */
function exitPage(event) {
  if (event) event.preventDefault();
  if (exiting) return;
  exiting = true;
  // Answers live only in the page: wipe them before anything else.
  for (const form of document.querySelectorAll("form")) form.reset();
  for (const output of document.querySelectorAll("[data-screening-output]")) output.replaceChildren();
  document.dispatchEvent(new CustomEvent("cse:exit"));
  document.body.classList.add("exit-this-page--exiting");
  document.body.append(el("div", { class: "exit-this-page__overlay", role: "alert" }, "Loading."));
  leaveHistory();
}

// Arriving on a page while an exit passes through it: hide it and finish the exit.
function finishExit() {
  if (window.name !== EXIT_MARK) return false;
  exiting = true;
  document.body.classList.add("exit-this-page--exiting");
  leave();
  return true;
}
window.addEventListener("pageshow", finishExit);

/**
 * Right after the skip link, as a child of the page's body: fixed in the top corner above
 * the theme's header, menu, search and the presentation (site.css), so it takes one tap
 * whatever is open, and is first in the order of the Tab key.
 * @param {Element} container
 * @param {Element | null} skip
 */
function place(container, skip) {
  if (container.parentElement === document.body) return;
  if (skip && skip.parentElement === document.body) skip.after(container);
  else document.body.prepend(container);
}

/** The host of a search dialog kept in a shadow root (Zensical's), if the page has one. */
function searchHost() {
  return [...document.body.children].find((node) => node.shadowRoot?.querySelector("dialog")) ?? null;
}

/**
 * Zensical opens its search as a modal dialog in a shadow root, and a modal dialog makes
 * everything outside it inert, whatever its z-index. While that dialog is open the button
 * is moved into it (with the site's style sheet, which its shadow root does not otherwise
 * see), and put back when it closes, so it still takes one tap.
 * @param {Element} container
 * @param {Element} skip
 */
function followSearchDialog(container, skip) {
  const host = searchHost();
  if (!host) {
    const waiting = new MutationObserver(() => {
      if (!searchHost()) return;
      waiting.disconnect();
      followSearchDialog(container, skip);
    });
    waiting.observe(document.body, { childList: true });
    return;
  }
  const root = host.shadowRoot;
  if (!root || root.querySelector("link[data-exit-this-page]")) return;
  const sheet = /** @type {HTMLLinkElement | null} */ (
    document.querySelector('link[rel="stylesheet"][href*="site.css"]')
  );
  if (sheet) root.append(el("link", { rel: "stylesheet", href: sheet.href, "data-exit-this-page": "" }));
  const follow = () => {
    const open = root.querySelector("dialog[open]");
    if (open && container.parentNode !== open) open.append(container);
    else if (!open && container.parentNode !== document.body) place(container, skip);
  };
  new MutationObserver(follow).observe(root, { subtree: true, attributes: true, attributeFilter: ["open"] });
}

function build() {
  if (finishExit()) return;
  // Inside an open search dialog it stays until the dialog closes.
  if (searchHost()?.shadowRoot?.querySelector(".exit-this-page")) return;
  const existing = document.querySelector(".exit-this-page");
  if (existing) {
    place(existing, document.querySelector(".exit-this-page__skip"));
    return;
  }
  const skip = el("a", { class: "exit-this-page__skip", href: neutralUrl() }, "Exit this page");
  skip.addEventListener("click", exitPage);
  const button = el(
    "a",
    { class: "exit-this-page__button", href: neutralUrl(), role: "button", draggable: "false" },
    el("span", { class: "exit-this-page__hidden" }, "Emergency"),
    " Exit this page",
  );
  button.addEventListener("click", exitPage);
  const live = el("div", { class: "exit-this-page__hidden", "aria-live": "polite", "data-exit-announcer": "" });
  // The shortcut, told beside the button in small print (read after it, not part of its name).
  const shortcut = el("p", { class: "exit-this-page__shortcut" }, "or press Shift 3 times");
  const container = el("div", { class: "exit-this-page" }, button, shortcut, live);
  document.body.prepend(skip);
  place(container, skip);
  followSearchDialog(container, skip);

  document.addEventListener("keyup", (event) => {
    if (event.key !== "Shift") {
      presses = [];
      return;
    }
    const now = Date.now();
    presses = presses.filter((time) => now - time < WINDOW_MS);
    presses.push(now);
    const left = PRESSES - presses.length;
    if (left <= 0) {
      live.textContent = "Exiting page.";
      exitPage();
    } else {
      live.textContent = `Shift, press ${left} more ${left === 1 ? "time" : "times"} to exit.`;
    }
  });
}

// Instant navigation may redraw the header: put the button back each time.
onEachPage(build);
