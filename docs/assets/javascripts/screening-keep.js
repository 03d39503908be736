// Keeping a screening as a file the practitioner holds, and opening it again for a review:
// Save (the engine's record, or without the engine the page's own with the level not
// worked out; optionally protected with a passphrase), Copy for a case note,
// Open a saved screening (file picker or drop), and the review that follows: the opened
// record is the previous screening, carried in every request, so the engine's result says
// what changed, with a timeline of levels. Files are read and written on the device only:
// nothing is fetched, sent or stored, and a passphrase is used once and dropped.

import { el, toNode } from "./dom.js";
import { engine, openRecord, saveRecord } from "./screening-engine.js";
import { acceptFiles, download, readFileText, site } from "./screening-file.js";
import { fillForm } from "./screening-fill.js";
import { markSaved } from "./screening-memory.js";
import { renderPanel, settled } from "./screening-panel.js";
import { summary } from "./screening-summary.js";
import { summaryText } from "./screening-report.js";
import { WITHOUT_LEVEL, unscoredRecordOf } from "./screening-record-unscored.js";
import { readRequest } from "./screening-request.js";
import { takeHanded } from "./screening-index-open.js";
import { isSealed, seal, unseal } from "./screening-seal.js";
import { timelineTree } from "./screening-timeline.js";

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */
/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */
/** @typedef {import("../../../schemas/contract").ScreeningResult} ScreeningResult */

export const NEEDS_ENGINE =
  "Saved screenings are opened by the scoring engine, which has not started in this browser. Use Print summary or Download summary to keep the answers.";
const START_WAIT_MS = 3000; // Save waits this long for an engine that is starting
export const NOT_SAME = "The two passphrases are not the same. Type the passphrase again in both boxes.";
const WAITING = "Waiting for the scoring engine to start in this browser…";
export const NEEDS_PASSPHRASE = "Enter the passphrase this file was protected with.";

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

/** Whether the engine is ready, once it has started or failed. @returns {Promise<boolean>} */
function engineReady() {
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
function engineSoon() {
  return Promise.race([engineReady(), new Promise((resolve) => setTimeout(() => resolve(false), START_WAIT_MS))]);
}

/**
 * The page's controls for saving and opening, found once.
 * @param {HTMLElement} root
 */
function partsOf(root) {
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
function say(line, text, more = []) {
  line.hidden = text === null;
  line.replaceChildren(...(text === null ? [] : [text, ...more]));
}

/**
 * The address of another protocol's screening page, beside this one.
 * @param {ScreeningView} view
 * @param {string} protocol
 */
function pageOf(view, protocol) {
  const here = view.root.dataset.screening ?? "";
  const path = location.pathname;
  const relative = path.endsWith(`/${here}/`) ? `../${protocol}/` : `${protocol}.html`;
  return new URL(relative, location.href).href;
}

/**
 * Read a record's text with the engine and, if it opens, fill the form from it; otherwise
 * say why and leave the form exactly as it was.
 * @param {ScreeningView} view
 * @param {Parts} parts
 * @param {string} text
 */
async function openText(view, parts, text) {
  if (engine.state !== "ready") say(parts.openStatus, WAITING);
  if (!(await engineReady())) return say(parts.openError, NEEDS_ENGINE);
  say(parts.openStatus, null);
  const reply = await openRecord(view.protocolUrl, text);
  if (!reply.ok) {
    const other = reply.error.type === "RecordError" ? reply.error.protocol : null;
    /** @type {Array<Node | string>} */
    const link = other ? [" ", el("a", { href: pageOf(view, other) }, "Go to that screening")] : [];
    say(parts.openError, reply.error.message, link);
    parts.file.focus();
    return;
  }
  const opened = reply.opened;
  fillForm(view.form, opened.request);
  previous.set(view.id, text);
  parts.unlock.hidden = true;
  parts.locked = null;
  const count = opened.screenings === 1 ? "1 screening" : `${opened.screenings} screenings`;
  const when = new Date(opened.saved).toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" });
  /** @type {Node[]} */
  const setAside = opened.set_aside.length
    ? [el("ul", {}, ...opened.set_aside.map((entry) => el("li", {}, entry.says)))]
    : [];
  say(
    parts.openStatus,
    `Opened the screening saved on ${when} (the file holds ${count}). Its answers are in the form, and it is ` +
      "now the previous screening: as you update the answers, the result shows what has changed." +
      (setAside.length ? " Answers set aside, as this version of the screening no longer has them:" : ""),
    setAside,
  );
  // Scored and kept in memory as any change is, so the result now compares with the
  // record; the answers are those of a saved file, so leaving asks nothing until they change.
  view.form.dispatchEvent(new Event("input", { bubbles: true }));
  markSaved(view.id);
}

/**
 * A file chosen or dropped on a screening page.
 * @param {ScreeningView} view
 * @param {Parts} parts
 * @param {Blob} file
 */
async function openFile(view, parts, file) {
  say(parts.openError, null);
  say(parts.openStatus, null);
  await takeText(view, parts, await readFileText(file));
}

/**
 * @param {ScreeningView} view
 * @param {Parts} parts
 * @param {string} text
 */
async function takeText(view, parts, text) {
  if (isSealed(text)) {
    parts.locked = text;
    parts.unlock.hidden = false;
    parts.passphrase.value = "";
    parts.passphrase.focus();
    return;
  }
  await openText(view, parts, text);
}

/**
 * Open the protected file waiting, with the passphrase typed.
 * @param {ScreeningView} view
 * @param {Parts} parts
 */
async function unlock(view, parts) {
  say(parts.openError, null);
  if (!parts.locked) return;
  if (!parts.passphrase.value) return say(parts.openError, NEEDS_PASSPHRASE);
  let text;
  try {
    text = await unseal(parts.locked, parts.passphrase.value);
  } catch (error) {
    say(parts.openError, error instanceof Error ? error.message : String(error));
    parts.passphrase.focus();
    return;
  }
  parts.passphrase.value = "";
  await openText(view, parts, text);
}

/**
 * Save: the engine's record of the form as it stands (with every earlier screening of the
 * opened record), or without the engine the page's record of the answers with the level not
 * worked out; protected if a passphrase is given, as one file.
 * @param {ScreeningView} view
 * @param {Parts} parts
 */
async function save(view, parts) {
  say(parts.saveError, null);
  say(parts.saveStatus, null);
  const passphrase = parts.savePass.value;
  if (passphrase !== parts.saveRepeat.value) {
    say(parts.saveError, NOT_SAME);
    parts.saveRepeat.focus();
    return;
  }
  if (engine.state !== "ready") say(parts.saveStatus, WAITING);
  const scored = await engineSoon();
  say(parts.saveStatus, null);
  const savedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  let file;
  if (scored) {
    await settled(view);
    if (renderPanel(view, true).length) {
      /** @type {HTMLElement | null} */ (view.output.querySelector(".screening-error-summary"))?.focus();
      return;
    }
    const reply = await saveRecord(view.protocolUrl, withPrevious(view, readRequest(view.form)), savedAt, site());
    if (!reply.ok) return say(parts.saveError, reply.error.message);
    file = reply.file;
  } else {
    // Only the engine adds to an opened record; it opened it, so this is rare.
    if (previous.has(view.id)) return say(parts.saveError, NEEDS_ENGINE);
    try {
      file = unscoredRecordOf(view.form, readRequest(view.form), summary(view).sections, savedAt, site());
    } catch (error) {
      return say(parts.saveError, error instanceof Error ? error.message : String(error));
    }
  }
  let text = file.text;
  if (passphrase) {
    const about = { protocol: view.root.dataset.screening ?? "", title: view.form.getAttribute("aria-label") ?? "" };
    text = await seal(text, passphrase, { ...about, site: `${site().name} (${site().url})` });
  }
  parts.savePass.value = "";
  parts.saveRepeat.value = "";
  download(text, file.name);
  const how = passphrase ? ", protected with your passphrase" : "";
  const more = scored ? "" : WITHOUT_LEVEL;
  say(parts.saveStatus, `Saved as ${file.name}${how}. Keep it where your agency keeps case records.${more}`);
  markSaved(view.id); // no prompt before leaving until the answers change again
}

/**
 * The summary as plain text on the clipboard, for a case-recording system's note.
 * @param {ScreeningView} view
 * @param {Parts} parts
 */
async function copyForCaseNote(view, parts) {
  say(parts.saveError, null);
  await settled(view);
  try {
    await navigator.clipboard.writeText(summaryText(summary(view)).replace(/\r\n/g, "\n"));
    say(parts.saveStatus, "Copied the summary as plain text: paste it into the case note.");
  } catch {
    say(parts.saveError, "This browser did not allow copying. Use Download summary, and copy from the file.");
  }
}

/**
 * Show the timeline of levels when the result carries a history; otherwise nothing.
 * @param {ScreeningView} view
 * @param {ScreeningResult} result
 */
export function showHistory(view, result) {
  const box = view.root.querySelector("[data-screening-history]");
  if (!box) return;
  const levels = view.form.querySelectorAll("input[name='judgement-level']").length - 1;
  box.replaceChildren(...(result.history ? [toNode(timelineTree(result.history, levels))] : []));
}

/**
 * Bind a screening page's Save, Copy and Open controls; open a file handed over from the
 * screening index.
 * @param {ScreeningView} view
 */
export function bindKeep(view) {
  const parts = partsOf(view.root);
  if (!parts.open || !parts.file) return;
  acceptFiles(parts.open, parts.file, (file) => void openFile(view, parts, file));
  view.root.querySelector("[data-screening-open-unlock]")?.addEventListener("click", () => void unlock(view, parts));
  parts.passphrase.addEventListener("keydown", (event) => {
    if (event.key === "Enter") void unlock(view, parts);
  });
  view.root.querySelector("[data-screening-save-button]")?.addEventListener("click", () => void save(view, parts));
  view.root.querySelector("[data-screening-copy]")?.addEventListener("click", () => void copyForCaseNote(view, parts));
  // "Exit this page" forgets the opened record with everything else.
  document.addEventListener("cse:exit", () => previous.clear(), { once: true });
  const text = takeHanded(view.id);
  if (text !== null) void takeText(view, parts, text);
}
