// Shared by the Node tests of the browser code: the fixtures (tests/js/fixtures/, written by
// `python -m tools.js_fixtures` from the engine and the page template) and a small
// DOM (linkedom) to read forms and draw element trees in.

import { readFileSync, readdirSync } from "node:fs";
import { parseHTML } from "linkedom";

const FIXTURES = new URL("./fixtures/", import.meta.url);

/** @typedef {import("../../schemas/contract").ScreeningResult} ScreeningResult */
/** @typedef {import("../../schemas/contract").ScreeningRequest} ScreeningRequest */
/**
 * @typedef {{ name: string, protocol: string, request: ScreeningRequest,
 *   reply: import("../../schemas/contract").ScreeningReply }} ResultFixture
 */

/**
 * @param {string | URL} url
 * @returns {any}
 */
export function readJson(url) {
  return JSON.parse(readFileSync(url, "utf8"));
}

/** Every engine result fixture. @returns {ResultFixture[]} */
export function resultFixtures() {
  const folder = new URL("results/", FIXTURES);
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ name: name.replace(/\.json$/, ""), ...readJson(new URL(name, folder)) }));
}

/**
 * One result fixture's result (the engine must have scored it).
 * @param {string} name
 * @returns {ScreeningResult}
 */
export function result(name) {
  const found = resultFixtures().find((fixture) => fixture.name === name);
  if (!found) throw new Error(`no result fixture ${name}`);
  if (!found.reply.ok) throw new Error(`the engine did not score ${name}: ${found.reply.error.message}`);
  return found.reply.result;
}

/** A blank document. */
export function blankDocument() {
  return parseHTML("<!doctype html><html><head><title>t</title></head><body></body></html>").document;
}

/**
 * A protocol's screening form as the page template writes it, in a document of its own,
 * with each control as a browser starts it (checked where the markup says so).
 * @param {string} protocol
 * @returns {HTMLFormElement}
 */
export function screeningForm(protocol) {
  const html = readFileSync(new URL(`forms/${protocol}.html`, FIXTURES), "utf8");
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input"))) {
    input.checked = input.hasAttribute("checked");
  }
  return /** @type {HTMLFormElement} */ (document.querySelector("form"));
}

/**
 * Tick a control as a reader would: a radio button unticks the others of its group.
 * @param {HTMLFormElement} form
 * @param {string} id
 */
export function tick(form, id) {
  const input = /** @type {HTMLInputElement | null} */ (form.querySelector(`#${id}`));
  if (!input) throw new Error(`the form has no control #${id}`);
  if (input.type === "radio") {
    for (const other of /** @type {NodeListOf<HTMLInputElement>} */ (
      form.querySelectorAll(`input[type=radio][name="${input.name}"]`)
    )) {
      other.checked = false;
    }
  }
  input.checked = true;
}

/**
 * Type into a text control.
 * @param {HTMLFormElement} form
 * @param {string} id
 * @param {string} text
 */
export function type(form, id, text) {
  const input = /** @type {HTMLInputElement | null} */ (form.querySelector(`#${id}`));
  if (!input) throw new Error(`the form has no control #${id}`);
  input.value = text;
}
