// A case study's sections as slides: each section whole when it fits the stage at the size
// for the screen's width, or split (a framework's result by its sections, a long list by its
// lines) rather than shrunk; the copy of a section the stage shows. Nothing runs on import.

import { headingText } from "./dom.js";

/**
 * One slide: a section of the page, whole (`keep` null) or only some of its parts, each
 * `[block, line]` (a whole block when `line` is null), as part `part` of `parts`.
 * @typedef {{ section: HTMLElement, keep: Array<[number, number | null]> | null, part: number, parts: number }} Slide
 */

// The stage's text starts large and steps down until the section fits, never below this.
const LARGEST_PX = 40;
const SMALLEST_PX = 20;

/** @param {Slide} slide */
export function slideTitle(slide) {
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
export function fit(stage) {
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
export function render(slide) {
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
export function slidesFor(stage, sections) {
  return sections.flatMap((section) => slidesOf(stage, section));
}
