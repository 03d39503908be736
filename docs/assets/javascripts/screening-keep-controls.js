// What Save and Open share: the page's controls for them, a message line, the engine's
// start awaited (Save waits a little; Open waits for it) and the words said meanwhile.
// Nothing runs on import.

import { engine } from "./screening-engine.js";

export const NEEDS_ENGINE =
  "Saved screenings are opened by the scoring engine, which has not started in this browser. Use Print summary or Download summary to keep the answers.";
const START_WAIT_MS = 3000; // Save waits this long for an engine that is starting
export const WAITING = "Waiting for the scoring engine to start in this browser…";

/** Whether the engine is ready, once it has started or failed. @returns {Promise<boolean>} */
export function engineReady() {
  if (engine.state === "ready" || engine.state === "failed") return Promise.resolve(engine.state === "ready");
  return new Promise((resolve) => {
    const watch = () => {
      if (engine.state !== "ready" && engine.state !== "failed") return;
      engine.watchers.delete(watch);
      resolve(engine.state === "ready");
    };
    engine.watchers.add(watch);
  });
}

/** Whether the engine is ready, or becomes ready within a few seconds. @returns {Promise<boolean>} */
export function engineSoon() {
  return Promise.race([engineReady(), new Promise((resolve) => setTimeout(() => resolve(false), START_WAIT_MS))]);
}

/**
 * The page's controls for saving and opening, found once.
 * @param {HTMLElement} root
 */
export function partsOf(root) {
  const find = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
  return {
    open: find("[data-screening-open]"),
    file: /** @type {HTMLInputElement} */ (find("[data-screening-open-file]")),
    unlock: find("[data-screening-open-passphrase]"),
    passphrase: /** @type {HTMLInputElement} */ (find("#screening-open-passphrase")),
    openError: find("[data-screening-open-error]"),
    openStatus: find("[data-screening-open-status]"),
    savePass: /** @type {HTMLInputElement} */ (find("#screening-save-passphrase")),
    saveRepeat: /** @type {HTMLInputElement} */ (find("#screening-save-repeat")),
    saveError: find("[data-screening-save-error]"),
    saveStatus: find("[data-screening-save-status]"),
    history: find("[data-screening-history]"),
    /** A protected file waiting for its passphrase. @type {string | null} */
    locked: null,
  };
}
/** @typedef {ReturnType<typeof partsOf>} Parts */

/**
 * Show one message in a line (or hide it, with null).
 * @param {HTMLElement} line
 * @param {string | null} text
 * @param {Array<Node | string>} [more]
 */
export function say(line, text, more = []) {
  line.hidden = text === null;
  line.replaceChildren(...(text === null ? [] : [text, ...more]));
}
