// Reading the screening form (as the page template writes it) into the engine's request:
// the answers, what was seen, strengths, the judgement and the record, nothing worked out.

import assert from "node:assert/strict";
import { test } from "node:test";
import { readRequest } from "../../docs/assets/javascripts/screening-request.js";
import { screeningForm, tick, type } from "./helpers.js";

test("an untouched form: every tick box no, each option question at its default, no judgement", () => {
  const form = screeningForm("dfe-step-by-step");
  const request = readRequest(form);
  const boxes = [...form.querySelectorAll("input[data-item][type=checkbox]")];
  const choices = [...form.querySelectorAll("fieldset.screening-choice")];
  assert.ok(boxes.length > 0 && choices.length > 0);
  assert.equal(Object.keys(request.answers).length, boxes.length + choices.length);
  for (const box of boxes) assert.equal(request.answers[/** @type {HTMLInputElement} */ (box).name], false);
  for (const choice of choices) {
    const preset = /** @type {HTMLInputElement | null} */ (choice.querySelector("input[checked]"));
    assert.ok(preset, `${choice.id} has a default`);
    assert.equal(request.answers[preset.name], preset.value);
  }
  assert.deepEqual(request.seen, {});
  assert.equal(request.strengths, "");
  assert.deepEqual(request.judgement, { level: null, reason: "", confirmed: false });
  assert.deepEqual(request.record, { child: "", practitioner: "", agency: "" });
});

test("a judgement at another level goes to the engine with its reason and confirmation, trimmed", () => {
  const form = screeningForm("pan-lancashire");
  tick(form, "item-phones");
  type(form, "item-phones-seen", "  Two phones, Monday 9:00 \n");
  type(form, "item-truanting-seen", "   ");
  tick(form, "judgement-level-1");
  type(form, "judgement-reason", " Police attended. ");
  tick(form, "judgement-confirm");
  type(form, "strengths", "Close to her grandmother.");
  type(form, "record-child", " REF-0042 ");
  const request = readRequest(form);
  assert.equal(request.answers.phones, true);
  assert.equal(request.answers.truanting, false);
  assert.deepEqual(request.seen, { phones: "Two phones, Monday 9:00" }, "an empty note is not sent");
  assert.deepEqual(request.judgement, { level: "level-1", reason: "Police attended.", confirmed: true });
  assert.equal(request.strengths, "Close to her grandmother.");
  assert.deepEqual(request.record, { child: "REF-0042", practitioner: "", agency: "" });
});

test("choosing to agree again sends no level, whatever reason is left in the box", () => {
  const form = screeningForm("pan-lancashire");
  tick(form, "judgement-level-3");
  type(form, "judgement-reason", "changed my mind");
  tick(form, "judgement-computed");
  assert.deepEqual(readRequest(form).judgement, { level: null, reason: "changed my mind", confirmed: false });
});

test("an option answer is sent as the option's id", () => {
  const form = screeningForm("all-wales-seraf");
  const option = /** @type {HTMLInputElement} */ (form.querySelector("input[data-item][type=radio]:not([checked])"));
  tick(form, option.id);
  assert.equal(readRequest(form).answers[option.name], option.value);
});
