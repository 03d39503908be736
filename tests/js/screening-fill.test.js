// Filling the screening form from a request (answers kept in memory or opened from a file):
// reading the filled form gives back exactly that request, for every protocol's form.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { fillForm } from "../../docs/assets/javascripts/screening-fill.js";
import { readRequest } from "../../docs/assets/javascripts/screening-request.js";
import { screeningForm } from "./helpers.js";

const PROTOCOLS = readdirSync(new URL("./fixtures/forms/", import.meta.url))
  .filter((name) => name.endsWith(".html"))
  .map((name) => name.replace(/\.html$/, ""))
  .sort();

/**
 * A request that differs from the blank form everywhere it can: every tick box ticked, each
 * option question at an option other than its default, a note for every item, a judgement
 * at the last level with a reason and confirmation, and every record field.
 * @param {HTMLFormElement} form
 */
function everythingGiven(form) {
  /** @type {Record<string, boolean | string>} */
  const answers = {};
  /** @type {Record<string, string>} */
  const seen = {};
  for (const input of /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input[data-item]")])) {
    if (input.type === "checkbox") answers[input.name] = true;
    else if (!input.hasAttribute("checked")) answers[input.name] = input.value;
  }
  for (const note of /** @type {HTMLTextAreaElement[]} */ ([...form.querySelectorAll("[data-seen-for]")])) {
    seen[/** @type {string} */ (note.dataset.seenFor)] = `Seen for ${note.dataset.seenFor}, Monday 9:00`;
  }
  const levels = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input[name='judgement-level']")]);
  /** @type {Record<string, string>} */
  const record = {};
  for (const input of /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("[data-record]")])) {
    record[/** @type {string} */ (input.dataset.record)] = `The ${input.dataset.record}`;
  }
  return {
    answers,
    seen,
    strengths: "Close to her grandmother.\nGoes to football.",
    judgement: { level: levels[levels.length - 1].value, reason: "Police attended.", confirmed: true },
    record,
  };
}

test("the fixtures cover every protocol", () => {
  assert.deepEqual(PROTOCOLS, ["all-wales-seraf", "dfe-step-by-step", "pan-lancashire", "sandwell-nwg"]);
});

for (const protocol of PROTOCOLS) {
  test(`${protocol}: a form filled with everything reads back as exactly that`, () => {
    const form = screeningForm(protocol);
    const wanted = everythingGiven(form);
    const read = readRequest(fillForm(form, wanted));
    const blank = readRequest(screeningForm(protocol));
    assert.deepEqual(read, { ...wanted, answers: { ...blank.answers, ...wanted.answers } });
    for (const [name, value] of Object.entries(wanted.answers)) {
      assert.notEqual(blank.answers[name], value, `${name} differs from the blank form, so the test can fail`);
    }
  });

  test(`${protocol}: what a request leaves out is blanked, whatever the form held`, () => {
    const blank = readRequest(screeningForm(protocol));
    const form = screeningForm(protocol);
    fillForm(form, everythingGiven(form));
    assert.deepEqual(readRequest(fillForm(form, { answers: {} })), blank);
    fillForm(form, everythingGiven(form));
    assert.deepEqual(readRequest(fillForm(form, blank)), blank);
  });

  test(`${protocol}: one answer and one note, the rest as the page starts`, () => {
    const form = screeningForm(protocol);
    const box = /** @type {HTMLInputElement} */ (form.querySelector("input[data-item][type=checkbox]"));
    const blank = readRequest(screeningForm(protocol));
    const wanted = {
      ...blank,
      answers: { ...blank.answers, [box.name]: true },
      seen: { [box.name]: "At the bus station" },
      record: { ...blank.record, child: "REF-0042" },
    };
    fillForm(form, everythingGiven(form));
    assert.deepEqual(readRequest(fillForm(form, wanted)), wanted);
    assert.equal(/** @type {HTMLInputElement} */ (form.querySelector("#record-child")).value, "REF-0042");
  });
}

test("an option the form does not have leaves the question at its default; agreeing is no level", () => {
  const form = screeningForm("all-wales-seraf");
  const blank = readRequest(screeningForm("all-wales-seraf"));
  const choice = /** @type {HTMLInputElement} */ (form.querySelector("input[data-item][type=radio]"));
  const read = readRequest(
    fillForm(form, { answers: { [choice.name]: "no-such-option" }, judgement: { level: "no-such-level" } }),
  );
  assert.equal(read.answers[choice.name], blank.answers[choice.name]);
  assert.deepEqual(read.judgement, { level: null, reason: "", confirmed: false });
});
