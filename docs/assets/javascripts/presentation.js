// Presentation mode for case studies on a projector: one section at a time, in large
// text, moved with the keyboard (arrows, Page Up/Down, Space, Home, End; Escape stops).
// A section longer than the screen at the size for its width is split into more slides
// rather than shrunk (presentation-slides.js). The facilitator notes are never a slide:
// "Presenter notes" opens them in a window of their own, for the trainer's screen, and that
// window follows the slides (presentation-notes.js). The entry module: it binds each page's
// "Present" button when imported.

import { el, headingText, onEachPage } from "./dom.js";
import { presenterView, updatePresenter } from "./presentation-notes.js";
import { fit, render, slidesFor } from "./presentation-slides.js";

/** @typedef {import("./presentation-slides.js").Slide} Slide */

/**
 * The presentation on show.
 * @typedef {object} Presenting
 * @property {HTMLElement[]} sections
 * @property {Slide[]} slides
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
  const { slides, stage, counter, previous, next } = state;
  state.index = Math.max(0, Math.min(slides.length - 1, index));
  stage.replaceChildren(render(slides[state.index]));
  stage.scrollTop = 0;
  fit(stage);
  updateMore();
  counter.textContent = `${state.index + 1} of ${slides.length}`;
  previous.disabled = state.index === 0;
  next.disabled = state.index === slides.length - 1;
  updatePresenter(state);
  stage.focus();
}

function openPresenter() {
  if (state && presenterView(state)) updatePresenter(state);
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

// A new width splits the sections anew; the slide on show stays the section on show.
function onResize() {
  if (!state) return;
  const section = state.slides[state.index].section;
  state.slides = slidesFor(state.stage, state.sections);
  show(
    Math.max(
      0,
      state.slides.findIndex((slide) => slide.section === section),
    ),
  );
}

/** @param {KeyboardEvent} event */
function onKey(event) {
  if (!state) return;
  const { index, slides } = state;
  /** @type {Record<string, () => void>} */
  const keys = {
    ArrowRight: () => show(index + 1),
    PageDown: () => show(index + 1),
    " ": () => show(index + 1),
    ArrowLeft: () => show(index - 1),
    PageUp: () => show(index - 1),
    Home: () => show(0),
    End: () => show(slides.length - 1),
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
    slides: slidesFor(stage, sections),
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
