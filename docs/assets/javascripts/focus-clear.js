// Keyboard focus is never hidden under the page's sticky parts (WCAG 2.2, 2.4.11): the
// theme's header, Exit this page and the theme's "Back to top" button at the top, the
// screening's level bar at the foot. Their heights become the root's scroll padding, so
// when the Tab key moves focus the browser's own scrolling stops short of them. A text box
// reached by Tab is the one exception the padding cannot cover (the browser brings only its
// caret into view): the rest of its box is brought clear too. No click, link or
// navigation is listened to or changed, and nothing else is moved.

import { onEachPage } from "./dom.js";

// Room left between a sticky part and the focused control: its outline, and for a text box
// the border and padding above its caret (the browser brings the caret into view, not the box).
const GAP_PX = 24;

/**
 * The lowest bottom edge of the parts fixed or stuck at the top of the window (measured
 * from the top of the window, as they sit when stuck).
 * @returns {number}
 */
export function topCover() {
  let bottom = 0;
  for (const part of document.querySelectorAll(".md-header, .exit-this-page, .md-top")) {
    const style = getComputedStyle(part);
    if (style.display === "none") continue;
    const offset = Number.parseFloat(style.top) || 0;
    bottom = Math.max(bottom, offset + /** @type {HTMLElement} */ (part).offsetHeight);
  }
  return bottom;
}

/**
 * The height of the level bar stuck at the foot of the window (0 while it is hidden).
 * @returns {number}
 */
export function bottomCover() {
  let height = 0;
  for (const bar of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-screening-bar]"))) {
    if (!bar.hidden) height = Math.max(height, bar.offsetHeight);
  }
  return height;
}

function update() {
  const root = document.documentElement.style;
  root.scrollPaddingTop = `${Math.ceil(topCover()) + GAP_PX}px`;
  const bottom = bottomCover();
  root.scrollPaddingBottom = bottom ? `${Math.ceil(bottom) + GAP_PX}px` : "";
}

/** @type {ResizeObserver | null} */
let watching = null;

// Each page's parts are watched for a change of size (the level bar appears with the first
// result; the header wraps as the window narrows).
function watch() {
  watching?.disconnect();
  if (typeof ResizeObserver === "function") {
    watching = new ResizeObserver(update);
    for (const part of document.querySelectorAll(".md-header, .exit-this-page, [data-screening-bar]")) {
      watching.observe(part);
    }
  }
  update();
}

/**
 * Whether a box lies partly under the parts stuck at the top or the foot of the window.
 * @param {DOMRect} box
 */
function covered(box) {
  const bottom = bottomCover();
  return box.top < topCover() || (bottom > 0 && box.bottom > window.innerHeight - bottom);
}

// Set by a press of Tab, used by the focus it moves and then forgotten.
let tabbed = false;

/** @param {KeyboardEvent} event */
function onKeyDown(event) {
  tabbed = event.key === "Tab";
}

/** @param {FocusEvent} event */
function onFocusIn(event) {
  if (!tabbed) return;
  tabbed = false;
  const target = event.target;
  if (!(target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement)) return;
  // After the browser's own scrolling, in the same frame.
  requestAnimationFrame(() => {
    if (document.activeElement !== target || target.closest("[data-screening-bar]")) return;
    if (covered(target.getBoundingClientRect())) target.scrollIntoView({ block: "nearest" });
  });
}

window.addEventListener("resize", update, { passive: true });
document.addEventListener("keydown", onKeyDown, { capture: true, passive: true });
document.addEventListener("focusin", onFocusIn);
onEachPage(watch);
