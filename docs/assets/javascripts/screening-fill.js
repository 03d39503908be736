// The inverse of readRequest: the screening form set to exactly what a request holds (the
// answers, what was seen, strengths, the judgement and the record fields), so that answers
// kept in memory or opened from a saved file come back as the reader left them. Whatever
// the request does not mention goes back to its blank state: a tick box unticked, a text box
// empty, an option question at the option the page starts with. No event is fired: the
// caller scores the form again when it is ready.

/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */

/**
 * @param {HTMLFormElement} form
 * @param {string} selector
 * @returns {HTMLInputElement[]}
 */
function controls(form, selector) {
  return /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll(selector)]);
}

/**
 * Set a text control, if the form has it.
 * @param {HTMLFormElement} form
 * @param {string} selector
 * @param {string | undefined} value
 */
function setText(form, selector, value) {
  const control = /** @type {HTMLInputElement | HTMLTextAreaElement | null} */ (form.querySelector(selector));
  if (control) control.value = value ?? "";
}

/**
 * Tick the one radio button of a group whose value is `value`, or the group's own default
 * (the one the markup ticks) when no button has it.
 * @param {HTMLInputElement[]} group
 * @param {string | null | undefined} value
 */
function choose(group, value) {
  const wanted = group.find((input) => value !== null && value !== undefined && input.value === value);
  const fallback = group.find((input) => input.hasAttribute("checked"));
  for (const input of group) input.checked = input === (wanted ?? fallback);
}

/**
 * Set every control of the screening form to what `request` holds, and blank the rest.
 * @param {HTMLFormElement} form
 * @param {Partial<ScreeningRequest>} request
 * @returns {HTMLFormElement} the same form
 */
export function fillForm(form, request) {
  const answers = request.answers ?? {};
  /** @type {Map<string, HTMLInputElement[]>} */
  const groups = new Map();
  for (const input of controls(form, "input[data-item]")) {
    if (input.type === "checkbox") input.checked = answers[input.name] === true;
    else if (input.type === "radio") groups.set(input.name, [...(groups.get(input.name) ?? []), input]);
  }
  for (const [name, group] of groups) {
    const answer = answers[name];
    choose(group, typeof answer === "string" ? answer : null);
  }
  const seen = request.seen ?? {};
  for (const note of controls(form, "[data-seen-for]")) {
    note.value = seen[/** @type {string} */ (note.dataset.seenFor)] ?? "";
  }
  setText(form, "#strengths", request.strengths);
  const judgement = request.judgement ?? { level: null, reason: "", confirmed: false };
  const levels = controls(form, "input[name='judgement-level']");
  const level = judgement.level ?? "";
  for (const input of levels) input.checked = input.value === level;
  if (!levels.some((input) => input.checked)) choose(levels, null);
  setText(form, "#judgement-reason", judgement.reason);
  const confirm = /** @type {HTMLInputElement | null} */ (form.querySelector("#judgement-confirm"));
  if (confirm) confirm.checked = Boolean(judgement.confirmed);
  const record = /** @type {Record<string, string | undefined>} */ (request.record ?? {});
  for (const input of controls(form, "[data-record]")) {
    input.value = record[/** @type {string} */ (input.dataset.record)] ?? "";
  }
  return form;
}
