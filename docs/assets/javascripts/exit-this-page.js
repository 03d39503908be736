// "Exit this page", after the GOV.UK Design System pattern: a button on every page, and
// the Shift key pressed three times within five seconds. Exiting clears any screening
// answers, hides the page at once and replaces it with a neutral site, so that the Back
// button does not return here.

import { el, onEachPage } from "./dom.js";

// The neutral site readers are sent to. A partnership may choose another.
const NEUTRAL_URL = "https://www.bbc.co.uk/weather";
const PRESSES = 3;
const WINDOW_MS = 5000;

let presses = [];
let exiting = false;

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
  window.location.replace(NEUTRAL_URL);
}

function place(container) {
  // In the header, so it is on screen everywhere without covering the page's content.
  const header = document.querySelector(".md-header__inner");
  if (header && container.parentElement !== header) header.append(container);
  else if (!header && !container.isConnected) document.body.append(container);
}

function build() {
  const existing = document.querySelector(".exit-this-page");
  if (existing) {
    place(existing);
    return;
  }
  const skip = el(
    "a",
    { class: "exit-this-page__skip", href: NEUTRAL_URL },
    "Exit this page",
  );
  skip.addEventListener("click", exitPage);
  const button = el(
    "a",
    { class: "exit-this-page__button", href: NEUTRAL_URL, role: "button", draggable: "false" },
    el("span", { class: "exit-this-page__hidden" }, "Emergency"),
    " Exit this page",
  );
  button.addEventListener("click", exitPage);
  const live = el("div", { class: "exit-this-page__hidden", "aria-live": "polite", "data-exit-announcer": "" });
  const container = el("div", { class: "exit-this-page" }, button, live);
  document.body.prepend(skip);
  place(container);

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
