// The screening index's "Open a saved screening": the file is read on the device, its
// protocol found in its text, and it is opened on that screening's page, held in a module
// variable while instant navigation goes there (never stored). Without instant navigation
// the index says which page to open it on and links there.

import { el } from "./dom.js";
import { acceptFiles, readFileText } from "./screening-file.js";
import { isSealed, sealedOf } from "./screening-seal.js";

/**
 * A file read on the screening index, held in memory on the way to its screening's page.
 * @type {{ protocol: string, text: string } | null}
 */
let handed = null;

/**
 * The text of a file handed over for this protocol's page, once; or null.
 * @param {string} protocol
 * @returns {string | null}
 */
export function takeHanded(protocol) {
  if (!handed || handed.protocol !== protocol) return null;
  const { text } = handed;
  handed = null;
  return text;
}

/**
 * @param {HTMLElement} line
 * @param {string | null} text
 * @param {Array<Node | string>} [more]
 */
function say(line, text, more = []) {
  line.hidden = text === null;
  line.replaceChildren(...(text === null ? [] : [text, ...more]));
}

/**
 * The protocol a file says it is for, read from its text without the engine (which checks
 * the whole file on that screening's page), or null.
 * @param {string} text
 */
export function protocolOf(text) {
  if (isSealed(text)) return sealedOf(text)?.protocol ?? null;
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
  const begin = lines.lastIndexOf("-----BEGIN SCREENING DATA-----");
  const end = lines.indexOf("-----END SCREENING DATA-----", begin);
  if (begin < 0 || end < 0) return null;
  try {
    const id = JSON.parse(lines.slice(begin + 1, end).join("\n"))?.protocol?.id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/**
 * The screening index's "Open a saved screening": read the file here, find its screening's
 * page among the index's links and open it there (held in memory across instant navigation).
 * @param {HTMLElement} root
 */
export function bindIndexOpen(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "true";
  const input = /** @type {HTMLInputElement | null} */ (root.querySelector("input[type=file]"));
  const message = /** @type {HTMLElement | null} */ (root.querySelector("[data-screening-open-error]"));
  if (!input || !message) return;
  acceptFiles(root, input, async (file) => {
    say(message, null);
    const text = await readFileText(file);
    const protocol = protocolOf(text);
    const link = protocol
      ? /** @type {HTMLAnchorElement | null} */ (
          [...document.querySelectorAll("article a[href]")].find((a) =>
            /** @type {HTMLAnchorElement} */ (a).pathname.match(new RegExp(`/${protocol}(/|\\.html)$`)),
          ) ?? null
        )
      : null;
    if (!protocol) {
      return say(message, "This file is not a saved screening. Choose a file made with Save on a screening page.");
    }
    if (!link) return say(message, `This file is a saved screening for a screening this site does not publish.`);
    const config = document.getElementById("__config")?.textContent ?? "";
    if (!config.includes("navigation.instant")) {
      return say(message, `This file is a saved screening for ${link.textContent}. Go to `, [
        el("a", { href: link.href }, link.textContent ?? ""),
        " and open it there.",
      ]);
    }
    handed = { protocol, text };
    link.click();
  });
}
