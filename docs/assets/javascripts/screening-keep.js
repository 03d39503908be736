// Keeping a screening as a file the practitioner holds: Save (the engine's record, or
// without the engine the page's own with the level not worked out; optionally protected
// with a passphrase), Copy for a case note, and the timeline of levels of a review. Opening
// a saved screening is screening-open.js's; the opened record carried as `previous` is
// screening-previous.js's. Files are written on the device only: nothing is fetched, sent
// or stored, and a passphrase is used once and dropped.

import { toNode } from "./dom.js";
import { engine, saveRecord } from "./screening-engine.js";
import { acceptFiles, download, site } from "./screening-file.js";
import { NEEDS_ENGINE, WAITING, engineSoon, partsOf, say } from "./screening-keep-controls.js";
import { markSaved } from "./screening-memory.js";
import { openFile, takeText, unlock } from "./screening-open.js";
import { renderPanel, settled } from "./screening-panel.js";
import { forgetPrevious, hasPrevious, withPrevious } from "./screening-previous.js";
import { summary } from "./screening-summary.js";
import { summaryText } from "./screening-report.js";
import { WITHOUT_LEVEL, unscoredRecordOf } from "./screening-record-unscored.js";
import { readRequest } from "./screening-request.js";
import { takeHanded } from "./screening-index-open.js";
import { seal } from "./screening-seal.js";
import { timelineTree } from "./screening-timeline.js";

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */
/** @typedef {import("../../../schemas/contract").ScreeningResult} ScreeningResult */
/** @typedef {import("./screening-keep-controls.js").Parts} Parts */

export const NOT_SAME = "The two passphrases are not the same. Type the passphrase again in both boxes.";

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
    if (hasPrevious(view)) return say(parts.saveError, NEEDS_ENGINE);
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
  document.addEventListener("cse:exit", forgetPrevious, { once: true });
  const text = takeHanded(view.id);
  if (text !== null) void takeText(view, parts, text);
}
