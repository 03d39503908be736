// Presentation mode for case studies on a projector: one section at a time, in large
// text, moved with the keyboard (arrows, Page Up/Down, Space, Home, End; Escape stops).
// The facilitator notes are never a slide: "Presenter notes" opens them in a window of
// their own, for the trainer's screen, and that window follows the slides.

import { el, headingText, onEachPage } from "./dom.js";

/**
 * The presentation on show.
 * @typedef {object} Presenting
 * @property {HTMLElement[]} sections
 * @property {HTMLElement[]} notes
 * @property {HTMLElement} stage
 * @property {HTMLElement} more
 * @property {HTMLElement} counter
 * @property {HTMLElement} status
 * @property {HTMLButtonElement} previous
 * @property {HTMLButtonElement} next
 * @property {HTMLElement} overlay
 * @property {HTMLElement} opener
 * @property {string} title
 * @property {number} index
 * @property {Window | null} [presenter]
 */

/** @type {Presenting | null} */
let state = null;

// The stage's text starts large and steps down until the section fits, never below this.
const LARGEST_PX = 40;
const SMALLEST_PX = 20;

/** @param {Element} section */
function sectionTitle(section) {
  return headingText(section.querySelector("h2, h3")) || "";
}

/** @param {HTMLElement} stage */
function fit(stage) {
  const base = Math.min(LARGEST_PX, Math.max(SMALLEST_PX, window.innerWidth * 0.024));
  let size = base;
  stage.style.fontSize = `${size}px`;
  while (stage.scrollHeight > stage.clientHeight + 1 && size > SMALLEST_PX) {
    size = Math.max(SMALLEST_PX, size * 0.92);
    stage.style.fontSize = `${size}px`;
  }
}

/** Say when the section is longer than the screen, until the reader reaches its end. */
function updateMore() {
  if (!state) return;
  const { stage, more } = state;
  const below = stage.scrollHeight - stage.clientHeight - stage.scrollTop > 2;
  more.hidden = !below;
}

/** @param {number} index */
function show(index) {
  if (!state) return;
  const { sections, stage, counter, previous, next } = state;
  state.index = Math.max(0, Math.min(sections.length - 1, index));
  const copy = /** @type {HTMLElement} */ (sections[state.index].cloneNode(true));
  copy.removeAttribute("data-present-section");
  for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
  for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  stage.replaceChildren(copy);
  stage.scrollTop = 0;
  fit(stage);
  updateMore();
  counter.textContent = `${state.index + 1} of ${sections.length}`;
  previous.disabled = state.index === 0;
  next.disabled = state.index === sections.length - 1;
  updatePresenter();
  stage.focus();
}

// The presenter's window: built from this page (same origin), never shown to the room.
function presenterView() {
  if (!state) return null;
  const { presenter } = state;
  if (presenter && !presenter.closed) return presenter;
  const view = window.open("", "cse-presenter-notes", "popup,width=640,height=720");
  if (!view) {
    state.status.textContent =
      "The browser blocked the presenter window: allow pop-ups for this site to see the notes.";
    return null;
  }
  const doc = view.document;
  doc.title = `Presenter notes: ${state.title}`;
  for (const sheet of /** @type {NodeListOf<HTMLLinkElement>} */ (
    document.querySelectorAll('link[rel="stylesheet"]')
  )) {
    doc.head.append(el("link", { rel: "stylesheet", href: sheet.href }));
  }
  doc.body.className = "presenter-notes md-typeset";
  state.presenter = view;
  return view;
}

function updatePresenter() {
  if (!state) return;
  const { presenter, sections, notes, index, title } = state;
  if (!presenter || presenter.closed) return;
  const doc = presenter.document;
  const upcoming = sections[index + 1];
  const make = (
    /** @type {string} */ tag,
    /** @type {Record<string, string>} */ attributes,
    /** @type {string[]} */ ...children
  ) => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const copies = notes.map((section) => doc.importNode(section, true));
  for (const copy of copies) {
    for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
    for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  }
  doc.body.replaceChildren(
    make("p", { class: "presenter-notes__title" }, `Presenter notes: ${title}`),
    make(
      "p",
      { class: "presenter-notes__now" },
      `On the screen: ${index + 1} of ${sections.length}, ${sectionTitle(sections[index])}.`,
      upcoming ? ` Next: ${sectionTitle(upcoming)}.` : " This is the last section.",
    ),
    ...copies,
  );
}

function openPresenter() {
  if (presenterView()) updatePresenter();
}

function stop() {
  if (!state) return;
  const { overlay, opener, presenter } = state;
  window.removeEventListener("keydown", onKey, true);
  window.removeEventListener("resize", onResize);
  overlay.remove();
  document.body.classList.remove("presenting");
  if (presenter && !presenter.closed) presenter.close();
  state = null;
  opener.focus();
}

function onResize() {
  if (!state) return;
  fit(state.stage);
  updateMore();
}

/** @param {KeyboardEvent} event */
function onKey(event) {
  if (!state) return;
  const { index, sections } = state;
  /** @type {Record<string, () => void>} */
  const keys = {
    ArrowRight: () => show(index + 1),
    PageDown: () => show(index + 1),
    " ": () => show(index + 1),
    ArrowLeft: () => show(index - 1),
    PageUp: () => show(index - 1),
    Home: () => show(0),
    End: () => show(sections.length - 1),
    Escape: stop,
  };
  const action = keys[event.key];
  if (!action || (event.key === " " && event.target instanceof HTMLButtonElement)) return;
  event.preventDefault();
  action();
}

/** @param {HTMLElement} opener */
function start(opener) {
  const sections = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-present-section]")]);
  if (!sections.length) return;
  const notes = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-present-notes]")]);
  const title = headingText(document.querySelector("h1")) || document.title;
  const stage = el("div", { class: "presentation__stage md-typeset", tabindex: "-1", "aria-live": "polite" });
  const more = el("p", { class: "presentation__more", hidden: "" }, "More below: press the Down arrow or scroll.");
  const counter = el("p", { class: "presentation__counter" });
  const status = el("p", { class: "presentation__status", role: "status" });
  const previous = el("button", { type: "button", class: "md-button" }, "Previous");
  const next = el("button", { type: "button", class: "md-button md-button--primary" }, "Next");
  const close = el("button", { type: "button", class: "md-button" }, "Stop presenting");
  const controls = el("div", { class: "presentation__controls" }, previous, counter, next);
  if (notes.length) {
    const notesButton = el("button", { type: "button", class: "md-button" }, "Presenter notes");
    notesButton.addEventListener("click", openPresenter);
    controls.append(notesButton);
  }
  controls.append(close);
  previous.addEventListener("click", () => show((state?.index ?? 0) - 1));
  next.addEventListener("click", () => show((state?.index ?? 0) + 1));
  close.addEventListener("click", stop);
  stage.addEventListener("scroll", updateMore, { passive: true });
  const overlay = el(
    "div",
    { class: "presentation", role: "dialog", "aria-modal": "true", "aria-label": `Presenting: ${title}` },
    el("p", { class: "presentation__title" }, title),
    stage,
    more,
    controls,
    status,
  );
  document.body.append(overlay);
  document.body.classList.add("presenting");
  state = {
    sections,
    notes,
    stage,
    more,
    counter,
    status,
    previous: /** @type {HTMLButtonElement} */ (previous),
    next: /** @type {HTMLButtonElement} */ (next),
    overlay,
    opener,
    title,
    index: 0,
  };
  window.addEventListener("keydown", onKey, true);
  window.addEventListener("resize", onResize);
  show(0);
}

function bind() {
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll("[data-present]:not([data-bound])")
  )) {
    button.dataset.bound = "true";
    button.hidden = false;
    button.addEventListener("click", () => start(button));
  }
}

onEachPage(bind);
