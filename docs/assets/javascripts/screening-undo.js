// "Clear answers" clears everything the reader entered, training case included, and offers
// an undo held in memory only (nothing is stored); the undo goes with the next answer.

import { el } from "./dom.js";

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */

/** @param {ScreeningView} view */
function snapshot(view) {
  const controls = /** @type {HTMLInputElement[]} */ ([...view.form.elements].filter((c) => "name" in c && c.name));
  return {
    controls: controls.map((control) => ({
      control,
      was: control.type === "checkbox" || control.type === "radio" ? control.checked : control.value,
    })),
    note: view.root.querySelector(".screening-case"),
    hash: window.location.hash,
  };
}

/**
 * Clear the form, keeping what it held for "Undo clear answers".
 * @param {ScreeningView} view
 * @param {() => void} update score the form again
 */
export function clearAnswers(view, update) {
  const saved = snapshot(view);
  view.form.reset();
  saved.note?.remove();
  if (saved.hash) history.replaceState(history.state, "", window.location.pathname + window.location.search);
  view.errorsShown = new Set();
  update();
  const undo = el("button", { type: "button", class: "md-button screening-undo__button" }, "Undo clear answers");
  undo.addEventListener("click", () => {
    for (const { control, was } of saved.controls) {
      if (typeof was === "boolean") control.checked = was;
      else control.value = was;
    }
    if (saved.note) view.root.prepend(saved.note);
    if (saved.hash) history.replaceState(history.state, "", saved.hash);
    view.undo.replaceChildren("Answers restored.");
    update();
    /** @type {HTMLElement | null} */ (view.form.querySelector(".screening-clear"))?.focus();
  });
  view.undo.replaceChildren("Answers cleared. ", undo);
  undo.focus();
}
