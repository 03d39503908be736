// The training-case fragment: parsed exactly as build_scripts/case_studies.py writes it (the
// same vectors are checked against the Python in tests/build/test_browser_code.py).

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCaseFragment } from "../../docs/assets/javascripts/screening-case.js";
import { readJson } from "./helpers.js";

const vectors = readJson(new URL("./vectors/case-fragment.json", import.meta.url));

test("every fragment the Python writes opens its case with its title and answers", () => {
  assert.ok(vectors.written.length >= 3);
  for (const vector of vectors.written) {
    assert.deepEqual(parseCaseFragment(`#${vector.fragment}`), vector.parsed, vector.fragment);
    assert.deepEqual(parseCaseFragment(vector.fragment), vector.parsed, "the '#' is optional");
  }
});

test("a fragment the Python never writes: no case, a missing title, empty entries", () => {
  for (const vector of vectors.read_only) {
    assert.deepEqual(parseCaseFragment(vector.fragment), vector.parsed, vector.why);
  }
});
