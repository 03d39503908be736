// The screening form read into one request for the engine (the JSON contract of
// screening.json_api): the answers, what was seen and when for each item, strengths, the
// practitioner's own judgement and the optional record fields. Nothing is worked out here:
// whether the judgement stands, needs a reason or needs confirmation is the engine's answer.

/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */

/**
 * The form's controls of one kind.
 * @param {HTMLFormElement} form
 * @param {string} selector
 * @returns {HTMLInputElement[]}
 */
function controls(form, selector) {
  return /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll(selector)]);
}

/**
 * @param {HTMLFormElement} form
 * @param {string} selector
 */
function text(form, selector) {
  const control = /** @type {HTMLInputElement | HTMLTextAreaElement | null} */ (form.querySelector(selector));
  return control ? control.value.trim() : "";
}

/**
 * The request for the form as it stands.
 * @param {HTMLFormElement} form
 * @returns {Required<Omit<ScreeningRequest, "previous">>} (a page never sends a saved record)
 */
export function readRequest(form) {
  /** @type {ScreeningRequest["answers"]} */
  const answers = {};
  for (const input of controls(form, "input[data-item]")) {
    if (input.type === "checkbox") answers[input.name] = input.checked;
    else if (input.type === "radio" && input.checked) answers[input.name] = input.value;
  }
  /** @type {Record<string, string>} */
  const seen = {};
  for (const note of controls(form, "[data-seen-for]")) {
    const given = note.value.trim();
    if (given) seen[/** @type {string} */ (note.dataset.seenFor)] = given;
  }
  const chosen = controls(form, "input[name='judgement-level']").find((input) => input.checked);
  const confirm = /** @type {HTMLInputElement | null} */ (form.querySelector("#judgement-confirm"));
  /** @type {Record<string, string>} */
  const record = {};
  for (const input of controls(form, "[data-record]")) {
    record[/** @type {string} */ (input.dataset.record)] = input.value.trim();
  }
  return {
    answers,
    seen,
    strengths: text(form, "#strengths"),
    judgement: {
      level: chosen && chosen.value ? chosen.value : null,
      reason: text(form, "#judgement-reason"),
      confirmed: Boolean(confirm && confirm.checked),
    },
    record,
  };
}
