// Opening a saved screening (a file chosen, dropped or handed over from the screening
// index, protected with a passphrase or not): the engine reads the record and, if it opens,
// the form is filled from it and the record becomes the previous screening; otherwise the
// reader is told why and the form is left exactly as it was. Files are read on the device
// only, and a passphrase is used once and dropped. Nothing runs on import.

import { el } from "./dom.js";
import { engine, openRecord } from "./screening-engine.js";
import { readFileText } from "./screening-file.js";
import { fillForm } from "./screening-fill.js";
import { NEEDS_ENGINE, WAITING, engineReady, say } from "./screening-keep-controls.js";
import { markSaved } from "./screening-memory.js";
import { keepPrevious } from "./screening-previous.js";
import { isSealed, unseal } from "./screening-seal.js";

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */
/** @typedef {import("./screening-keep-controls.js").Parts} Parts */

export const NEEDS_PASSPHRASE = "Enter the passphrase this file was protected with.";

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
  keepPrevious(view, text);
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
export async function openFile(view, parts, file) {
  say(parts.openError, null);
  say(parts.openStatus, null);
  await takeText(view, parts, await readFileText(file));
}

/**
 * @param {ScreeningView} view
 * @param {Parts} parts
 * @param {string} text
 */
export async function takeText(view, parts, text) {
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
export async function unlock(view, parts) {
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
