// Each screening's answers, kept in this tab's memory while the reader moves about the site
// (the theme's instant navigation keeps this module alive from page to page), so that a
// page drawn again (a link within the page, Back, Forward, another page and back) shows
// the answers as they were left. Nothing is written to any storage: the memory goes with
// "Clear answers", "Exit this page" or the tab. While some answers are not yet saved,
// reloading, leaving the site or closing the tab asks first (the browser's own prompt).

/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */

/**
 * What one screening holds: the form as read (readRequest), the training case note on
 * show (if any), the form as it was when last saved, and the blank form.
 * @typedef {{ request: ScreeningRequest, note: Element | null, saved: string, blank: string }} Kept
 */

/** @type {Map<string, Kept>} */
const kept = new Map();
let exited = false;

/** @param {Kept} entry */
function unsaved(entry) {
  const now = JSON.stringify(entry.request);
  return now !== entry.blank && now !== entry.saved;
}

/** Whether any screening holds answers that are not saved. */
export function hasUnsaved() {
  return [...kept.values()].some(unsaved);
}

/** @param {BeforeUnloadEvent} event */
function askFirst(event) {
  if (!hasUnsaved()) return;
  event.preventDefault();
  // Older browsers show the prompt only when a value is returned.
  event.returnValue = "";
}

// Listening only while something could be lost, so a page with nothing to lose can still
// go into the browser's back-forward cache.
let listening = false;
function watchUnload() {
  const want = !exited && hasUnsaved();
  if (want === listening) return;
  listening = want;
  if (want) window.addEventListener("beforeunload", askFirst);
  else window.removeEventListener("beforeunload", askFirst);
}

/**
 * What the memory holds for a screening, if anything.
 * @param {string} protocolId
 * @returns {Kept | undefined}
 */
export function recall(protocolId) {
  return kept.get(protocolId);
}

/**
 * Keep a screening's form as it now stands.
 * @param {string} protocolId
 * @param {ScreeningRequest} request
 * @param {string} blank the blank form's request, as JSON
 * @param {Element | null} note the training case note on show
 */
export function remember(protocolId, request, blank, note) {
  if (exited) return;
  const before = kept.get(protocolId);
  kept.set(protocolId, { request, note, blank, saved: before ? before.saved : blank });
  watchUnload();
}

/**
 * The screening's answers as they stand are saved (or are not the reader's to lose, such
 * as a training case just opened): nothing to ask about until they change.
 * @param {string} protocolId
 */
export function markSaved(protocolId) {
  const entry = kept.get(protocolId);
  if (entry) entry.saved = JSON.stringify(entry.request);
  watchUnload();
}

/** Forget every screening at once ("Exit this page"): nothing is kept and nothing asks. */
export function forgetAll() {
  exited = true;
  kept.clear();
  watchUnload();
}
