// Reading a saved screening's file on the device: from a file picker or dropped on its area;
// and giving the reader a file made on the device. Files are read with the File API and made
// as a Blob: nothing is fetched, sent or stored.

import { el } from "./dom.js";
import { isSealed } from "./screening-seal.js";

// A plain record is at most 2 MB (the engine's limit); a protected one is about a third
// larger. A larger file is read only as far as the engine needs to say it is too large.
const MOST = 2_000_000;
const MOST_SEALED = 3_000_000;

/**
 * The file's text: whole when within its limit, else its first MOST + 1 bytes, which the
 * engine refuses as too large with its own message.
 * @param {Blob} file
 * @returns {Promise<string>}
 */
export async function readFileText(file) {
  if (file.size <= MOST) return file.text();
  const start = await file.slice(0, 4096).text();
  if (file.size <= MOST_SEALED && isSealed(start + "\n")) return file.text();
  return file.slice(0, MOST + 1).text();
}

/**
 * Call `take` with each file chosen with `input` or dropped on `zone`.
 * @param {HTMLElement} zone
 * @param {HTMLInputElement} input
 * @param {(file: File) => void} take
 */
export function acceptFiles(zone, input, take) {
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    input.value = "";
    if (file) take(file);
  });
  const over = (/** @type {DragEvent} */ event) => {
    if (![...(event.dataTransfer?.types ?? [])].includes("Files")) return;
    event.preventDefault();
    zone.classList.add("screening-open--over");
  };
  zone.addEventListener("dragenter", over);
  zone.addEventListener("dragover", over);
  zone.addEventListener("dragleave", (event) => {
    if (!(event.relatedTarget instanceof Node && zone.contains(event.relatedTarget))) {
      zone.classList.remove("screening-open--over");
    }
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("screening-open--over");
    const file = event.dataTransfer?.files?.[0];
    if (file) take(file);
  });
}

/** The site, as the record names it. */
export function site() {
  const parts = document.title.split(" - ");
  return { name: parts[parts.length - 1].trim() || location.host, url: new URL("../../", import.meta.url).href };
}

/**
 * Give the reader a file, made on the device.
 * @param {string} text
 * @param {string} name
 */
export function download(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
