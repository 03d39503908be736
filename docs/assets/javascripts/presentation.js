// Presentation mode for case studies on a projector: one section at a time, in large
// text, moved with the keyboard (arrows, Page Up/Down, Space, Home, End; Escape stops).
// A section longer than the screen at the size for its width is split into more slides
// (a framework's result by its sections, or a long list by its lines) rather than shrunk.
// The facilitator notes are never a slide: "Presenter notes" opens them in a window of
// their own, for the trainer's screen, and that window follows the slides.

import { el, headingText, onEachPage } from "./dom.js";

/**
 * One slide: a section of the page, whole (`keep` null) or only some of its parts, each
 * `[block, line]` (a whole block when `line` is null), as part `part` of `parts`.
 * @typedef {{ section: HTMLElement, keep: Array<[number, number | null]> | null, part: number, parts: number }} Slide
 */

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

// The stage's text starts large and steps down until the section fits, never below this.
const LARGEST_PX = 40;
const SMALLEST_PX = 20;

/** @param {Slide} slide */
function slideTitle(slide) {
  const title = headingText(slide.section.querySelector("h2, h3")) || "";
  return slide.parts > 1 ? `${title} (${slide.part} of ${slide.parts})` : title;
}

/** The size of the text on the stage for this window's width. */
function baseSize() {
  return Math.min(LARGEST_PX, Math.max(SMALLEST_PX, window.innerWidth * 0.024));
}

/** @param {HTMLElement} stage */
function overflows(stage) {
  return stage.scrollHeight > stage.clientHeight + 1;
}

/**
 * Shrinks the text only for a slide that cannot be split further (never below SMALLEST_PX).
 * @param {HTMLElement} stage
 */
function fit(stage) {
  let size = baseSize();
  stage.style.fontSize = `${size}px`;
  while (overflows(stage) && size > SMALLEST_PX) {
    size = Math.max(SMALLEST_PX, size * 0.92);
    stage.style.fontSize = `${size}px`;
  }
}

/**
 * The parts a section splits into: a framework's result sections, or the blocks after a
 * section's heading.
 * @param {Element} section
 * @returns {Element[]}
 */
function blocksOf(section) {
  const reports = section.querySelectorAll(".case-report");
  if (reports.length) return [...reports];
  return [...section.children].filter((child, index) => !(index === 0 && /^H[1-6]$/.test(child.tagName)));
}

/**
 * The lines of a block (the items of its list), for a block too long for one slide.
 * @param {Element} block
 * @returns {Element[]}
 */
function linesOf(block) {
  return [...block.querySelectorAll(":scope > li, :scope > ul > li, :scope > ol > li")];
}

/**
 * A copy of a slide's section holding only the slide's parts, ready for the stage.
 * @param {Slide} slide
 * @returns {HTMLElement}
 */
function render(slide) {
  const copy = /** @type {HTMLElement} */ (slide.section.cloneNode(true));
  copy.removeAttribute("data-present-section");
  for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
  for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  const keep = slide.keep;
  if (!keep) return copy;
  blocksOf(copy).forEach((block, b) => {
    if (keep.some(([kb, line]) => kb === b && line === null)) return;
    const kept = keep.flatMap(([kb, line]) => (kb === b && line !== null ? [line] : []));
    if (!kept.length) {
      block.remove();
      return;
    }
    linesOf(block).forEach((line, l) => {
      if (!kept.includes(l)) line.remove();
    });
    // A numbered list carries on with its own numbers.
    const list = block.matches("ol") ? block : block.querySelector(":scope > ol");
    if (list) list.setAttribute("start", String(Math.min(...kept) + 1));
  });
  const heading = copy.querySelector("h2, h3");
  if (heading && slide.parts > 1) heading.append(` (${slide.part} of ${slide.parts})`);
  return copy;
}

/**
 * Whether a slide fits the stage at the size for this width.
 * @param {HTMLElement} stage
 * @param {Slide} slide
 */
function fitsWhole(stage, slide) {
  stage.style.fontSize = `${baseSize()}px`;
  stage.replaceChildren(render(slide));
  return !overflows(stage);
}

/**
 * A section's slides: one if it fits, or as few as hold its parts in order, each part a
 * block, or a block's lines when the block alone is too long.
 * @param {HTMLElement} stage
 * @param {HTMLElement} section
 * @returns {Slide[]}
 */
function slidesOf(stage, section) {
  /** @type {Slide} */
  const whole = { section, keep: null, part: 1, parts: 1 };
  const blocks = blocksOf(section);
  if (blocks.length === 0 || fitsWhole(stage, whole)) return [whole];
  /** @type {Array<[number, number | null]>} */
  const units = [];
  blocks.forEach((block, b) => {
    const lines = linesOf(block);
    if (lines.length > 1 && !fitsWhole(stage, { section, keep: [[b, null]], part: 1, parts: 2 })) {
      lines.forEach((_, l) => units.push([b, l]));
    } else {
      units.push([b, null]);
    }
  });
  /** @type {Array<Array<[number, number | null]>>} */
  const groups = [];
  /** @type {Array<[number, number | null]>} */
  let current = [];
  for (const unit of units) {
    const trial = [...current, unit];
    if (current.length && !fitsWhole(stage, { section, keep: trial, part: 1, parts: 2 })) {
      groups.push(current);
      current = [unit];
    } else {
      current = trial;
    }
  }
  if (current.length) groups.push(current);
  return groups.map((keep, index) => ({ section, keep, part: index + 1, parts: groups.length }));
}

/**
 * Every section's slides, for the stage as it is now.
 * @param {HTMLElement} stage
 * @param {HTMLElement[]} sections
 */
function slidesFor(stage, sections) {
  return sections.flatMap((section) => slidesOf(stage, section));
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
  const { slides, stage, counter, previous, next } = state;
  state.index = Math.max(0, Math.min(slides.length - 1, index));
  stage.replaceChildren(render(slides[state.index]));
  stage.scrollTop = 0;
  fit(stage);
  updateMore();
  counter.textContent = `${state.index + 1} of ${slides.length}`;
  previous.disabled = state.index === 0;
  next.disabled = state.index === slides.length - 1;
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
  const { presenter, slides, notes, index, title } = state;
  if (!presenter || presenter.closed) return;
  const doc = presenter.document;
  const upcoming = slides[index + 1];
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
    // The notes are closed on the page; in the trainer's own window they are open.
    if (copy instanceof HTMLDetailsElement) copy.open = true;
    for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
    for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  }
  doc.body.replaceChildren(
    make("p", { class: "presenter-notes__title" }, `Presenter notes: ${title}`),
    make(
      "p",
      { class: "presenter-notes__now" },
      `On the screen: ${index + 1} of ${slides.length}, ${slideTitle(slides[index])}.`,
      upcoming ? ` Next: ${slideTitle(upcoming)}.` : " This is the last section.",
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
