// The record the page writes when the engine has not started: for each fixture, the form
// set to the engine's request and written by the page's writer gives the very file the
// engine's reference writer gave (tests/js/fixtures/records/, from tools.js_fixtures),
// so the two writers cannot drift apart.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { fillForm } from "../../docs/assets/javascripts/screening-fill.js";
import {
  MAX_RECORD_BYTES,
  TOO_LARGE,
  fileName,
  timeInWords,
  unscoredRecord,
  unscoredRecordOf,
} from "../../docs/assets/javascripts/screening-record-unscored.js";
import { readRequest } from "../../docs/assets/javascripts/screening-request.js";
import { readJson, screeningForm } from "./helpers.js";

const FOLDER = new URL("./fixtures/records/", import.meta.url);
const FIXTURES = readdirSync(FOLDER)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => ({ name, ...readJson(new URL(name, FOLDER)) }));

/** The JSON between the markers. @param {string} text */
function dataOf(text) {
  const begin = "-----BEGIN SCREENING DATA-----\n";
  return JSON.parse(text.slice(text.indexOf(begin) + begin.length, text.indexOf("\n-----END SCREENING DATA-----\n")));
}

test("there is a fixture for every protocol", () => {
  assert.deepEqual(FIXTURES.map((fixture) => fixture.protocol).sort(), [
    "all-wales-seraf",
    "dfe-step-by-step",
    "pan-lancashire",
    "sandwell-nwg",
  ]);
});

for (const fixture of FIXTURES) {
  test(`${fixture.name}: the page writes the engine's file, to the byte`, () => {
    const form = screeningForm(fixture.protocol);
    fillForm(form, fixture.request);
    const request = readRequest(form);
    assert.deepEqual(request, fixture.request);
    // The engine's request, as it came (its keys in the engine's order), with the form's words.
    const file = unscoredRecordOf(form, fixture.request, fixture.sections, fixture.savedAt, fixture.site);
    assert.deepEqual(dataOf(file.text), dataOf(fixture.file.text));
    assert.equal(file.name, fixture.file.name);
    assert.equal(file.text, fixture.file.text);
    assert.match(file.text, /: level not worked out on this device; professional judgement: /);
    // And from the form's own request, the same data.
    assert.deepEqual(
      dataOf(unscoredRecordOf(form, request, fixture.sections, fixture.savedAt, fixture.site).text),
      dataOf(fixture.file.text),
    );
  });
}

test("a time and a file name, as the engine gives them", () => {
  assert.equal(timeInWords("2026-12-07T18:00:00Z"), "7 December 2026, 18:00 UTC");
  assert.equal(timeInWords("2027-03-01T09:05:00Z"), "1 March 2027, 09:05 UTC");
  const names = [
    ["", "minimal-2026-12-07.txt"],
    ["../../etc/passwd", "minimal-2026-12-07-etc-passwd.txt"],
    ["Jo Bloggs 12/3", "minimal-2026-12-07-Jo-Bloggs-12-3.txt"],
    ["x".repeat(100), `minimal-2026-12-07-${"x".repeat(40)}.txt`],
    ["Zoë", "minimal-2026-12-07-Zo.txt"],
  ];
  for (const [child, name] of names) assert.equal(fileName("minimal", "2026-12-07T18:00:00Z", child), name);
});

test("a record over the size limit is not written, with the engine's message", () => {
  const fixture = FIXTURES[0];
  assert.equal(TOO_LARGE, fixture.tooLarge);
  const request = { ...fixture.request, strengths: "x".repeat(MAX_RECORD_BYTES) };
  const about = {
    protocol: { id: "p", title: "P", version: "1" },
    site: fixture.site,
    request,
    words: [],
    judgement: { level: null, label: null },
    sections: fixture.sections,
    savedAt: fixture.savedAt,
  };
  assert.throws(() => unscoredRecord(about), { message: TOO_LARGE });
});
