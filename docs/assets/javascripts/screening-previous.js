// The opened record of each screening, carried as `previous` in every request so the
// engine's result says what changed: in the tab's memory only, like the answers, until
// Exit this page. Nothing runs on import.

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */
/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */

/**
 * The opened record of each screening (by protocol id), its whole text, carried as
 * `previous`: in the tab's memory only, like the answers, until Exit this page.
 * @type {Map<string, string>}
 */
const previous = new Map();

/**
 * The request with the opened record as `previous`, when there is one.
 * @param {ScreeningView} view
 * @param {ScreeningRequest} request
 * @returns {ScreeningRequest}
 */
export function withPrevious(view, request) {
  const text = previous.get(view.id);
  return text ? { ...request, previous: text } : request;
}

/**
 * Carry an opened record's whole text as the screening's previous one.
 * @param {ScreeningView} view
 * @param {string} text
 */
export function keepPrevious(view, text) {
  previous.set(view.id, text);
}

/** Whether a record was opened on this screening. @param {ScreeningView} view */
export function hasPrevious(view) {
  return previous.has(view.id);
}

/** Forget every opened record ("Exit this page"). */
export function forgetPrevious() {
  previous.clear();
}
