// A training case opened from the case-study library travels in the URL fragment, which
// browsers never send to a server: "#case=ID&title=TITLE&answers=item,item,item:option",
// written by build_scripts/case_studies.py (CaseStudy.fragment); the two are tied by the
// vectors in tests/js/vectors/case-fragment.json. Real screenings never write to the URL.

import { el } from "./dom.js";

/**
 * @typedef {{ id: string, title: string, answers: { item: string, option: string | null }[] }} TrainingCase
 */

/**
 * The training case a URL fragment opens, or null when it opens none.
 * @param {string} hash the fragment, with or without its "#"
 * @returns {TrainingCase | null}
 */
export function parseCaseFragment(hash) {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const id = params.get("case");
  if (!id) return null;
  const answers = (params.get("answers") || "")
    .split(",")
    .filter(Boolean)
    .map((entry) => {
      const [item, option] = entry.split(":");
      return { item, option: option || null };
    });
  return { id, title: params.get("title") || id.replace(/-/g, " "), answers };
}

/**
 * Tick a training case's answers in the form and say on the page that it is one, with the
 * way back to the case.
 * @param {import("./screening-panel.js").ScreeningView} view
 * @param {TrainingCase} found
 */
export function openTrainingCase(view, found) {
  view.form.reset();
  const unknown = [];
  for (const { item, option } of found.answers) {
    const input = /** @type {HTMLInputElement | null} */ (
      view.form.querySelector(
        option
          ? `input[data-item][name="${CSS.escape(item)}"][value="${CSS.escape(option)}"]`
          : `input[data-item][type=checkbox][name="${CSS.escape(item)}"]`,
      )
    );
    if (input) input.checked = true;
    else unknown.push(option ? `${item}:${option}` : item);
  }
  const back = new URL(`../../trainers/cases/${encodeURIComponent(found.id)}/`, window.location.href).href;
  const note = el(
    "p",
    { class: "screening-case", role: "note", tabindex: "-1" },
    el("strong", {}, "Training case: "),
    el("span", { "data-screening-case-title": "" }, found.title),
    ". These answers are a made-up case from the case-study library, not a real child's. ",
    el("a", { href: back }, `Back to the case: ${found.title}`),
  );
  if (unknown.length) note.append(` Some answers did not match this form: ${unknown.join(", ")}.`);
  view.root.querySelector(".screening-case")?.remove();
  view.root.prepend(note);
  // Open at the top, whatever scroll position instant navigation would restore.
  window.scrollTo(0, 0);
  requestAnimationFrame(() => window.scrollTo(0, 0));
}
