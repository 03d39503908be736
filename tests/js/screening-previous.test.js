// The opened record carried as `previous`: only on the screening it was opened on, in every
// request after it, and gone after "Exit this page".

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  forgetPrevious,
  hasPrevious,
  keepPrevious,
  withPrevious,
} from "../../docs/assets/javascripts/screening-previous.js";
import { readRequest } from "../../docs/assets/javascripts/screening-request.js";
import { screeningForm } from "./helpers.js";

/** @typedef {import("../../docs/assets/javascripts/screening-panel.js").ScreeningView} ScreeningView */

/** @param {string} id */
const viewOf = (id) => /** @type {ScreeningView} */ (/** @type {unknown} */ ({ id }));

test("an opened record goes with its own screening's requests only, until it is forgotten", () => {
  const request = readRequest(screeningForm("pan-lancashire"));
  const here = viewOf("pan-lancashire");
  const other = viewOf("sandwell-nwg");
  assert.equal(withPrevious(here, request), request);
  assert.equal(hasPrevious(here), false);
  keepPrevious(here, "the record's text");
  assert.deepEqual(withPrevious(here, request), { ...request, previous: "the record's text" });
  assert.ok(!("previous" in request), "the request read from the form is left as it was");
  assert.equal(hasPrevious(here), true);
  assert.equal(withPrevious(other, request), request);
  assert.equal(hasPrevious(other), false);
  forgetPrevious();
  assert.equal(hasPrevious(here), false);
  assert.equal(withPrevious(here, request), request);
});
