// A first visit's start: the snapshot fetched first only on a link measured fast enough,
// the normal start for Save-Data, a slow link, or nothing to go on.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MEASURE_MS,
  MIN_MEASURED_BYTES,
  SNAPSHOT_FIRST_MBPS,
  breakEvenMbps,
  chooseStart,
  measuredMbps,
} from "../../docs/assets/javascripts/start-choice.js";

const KB = 1024;
/** A measure of `bytes` in `ms`, not the whole file. @param {number} bytes @param {number} ms */
const measure = (bytes, ms, complete = false) => ({ bytes, ms, complete });
/** `mbps` as the worker would measure it over 256 KiB. @param {number} mbps */
const at = (mbps) => measure(256 * KB, (256 * KB * 8) / (mbps * 1000));

test("the threshold is the break-even of the published snapshot's bytes against the work it saves", () => {
  // 5,268,868 bytes with Brotli; the normal start's extra work 2.9 s - 1.3 s on the local link.
  assert.equal(Math.round(breakEvenMbps(5_268_868, 2.9 - 1.3)), SNAPSHOT_FIRST_MBPS);
  // A slower processor saves more by restoring, so its break-even is lower, never higher.
  assert.ok(breakEvenMbps(5_268_868, 3.2) < SNAPSHOT_FIRST_MBPS);
});

test("a fast link fetches the snapshot first, and says how fast it measured", () => {
  const choice = chooseStart({ measured: at(100) });
  assert.equal(choice.start, "snapshot");
  assert.match(choice.reason, /measured 100 Mbit\/s, at or over the 26 Mbit\/s/);
  assert.ok(choice.mbps !== undefined && Math.abs(choice.mbps - 100) < 0.01);
});

test("a slow link starts the normal way", () => {
  for (const mbps of [0.3, 5, 10, 25.9]) {
    const choice = chooseStart({ measured: at(mbps) });
    assert.equal(choice.start, "normal", `${mbps} Mbit/s`);
    assert.match(choice.reason, /under the 26 Mbit\/s/);
  }
  assert.match(chooseStart({ measured: at(5) }).reason, /measured 5\.0 Mbit\/s/);
});

test("the threshold itself is fast enough, just under it is not", () => {
  assert.equal(chooseStart({ measured: at(SNAPSHOT_FIRST_MBPS) }).start, "snapshot");
  assert.equal(chooseStart({ measured: at(SNAPSHOT_FIRST_MBPS - 0.01) }).start, "normal");
  assert.equal(chooseStart({ measured: at(10) }, 8).start, "snapshot", "another threshold is honoured");
});

test("Save-Data means the normal start, however fast the link", () => {
  for (const facts of [{ saveData: true, measured: at(1000) }, { saveData: true, downlink: 10 }, { saveData: true }]) {
    assert.deepEqual(chooseStart(facts), { start: "normal", reason: "the browser asks to save data" });
  }
});

test("with no measure and no estimate, the normal start", () => {
  for (const facts of [{}, { measured: null, downlink: null }, { downlink: 0 }, { downlink: Number.NaN }]) {
    assert.deepEqual(chooseStart(facts), { start: "normal", reason: "no measure of the link" });
  }
});

test("too short a measure counts for nothing; a whole file or the full time counts", () => {
  const few = measure(MIN_MEASURED_BYTES - 1, 5);
  assert.equal(measuredMbps(few), null, "a few bytes tell latency, not speed");
  assert.equal(chooseStart({ measured: few }).reason, "no measure of the link");
  assert.equal(measuredMbps(measure(0, 2000)), null, "nothing arrived");
  assert.equal(measuredMbps(measure(-1, 10, true)), null);
  assert.equal(measuredMbps(measure(10, Number.NaN, true)), null);
  // A file read whole counts, however small; so does a slow link's full measuring time.
  assert.equal(chooseStart({ measured: measure(40 * KB, 1, true) }).start, "snapshot");
  const slow = measure(20 * KB, MEASURE_MS);
  assert.ok(Math.abs(/** @type {number} */ (measuredMbps(slow)) - 0.16384) < 1e-9);
  assert.equal(chooseStart({ measured: slow, downlink: 10 }).start, "normal", "the measure wins over the estimate");
});

test("a body read in no measurable time is as fast as a link gets", () => {
  assert.equal(measuredMbps(measure(800 * KB, 0, true)), Infinity);
  const choice = chooseStart({ measured: measure(800 * KB, 0, true) });
  assert.equal(choice.start, "snapshot");
  assert.equal(choice.mbps, undefined, "no number to report");
  assert.match(choice.reason, /measured at once/);
});

test("without a measure, the browser's estimate decides, and says it is an estimate", () => {
  const slow = chooseStart({ downlink: 1.5, measured: measure(100, 3) });
  assert.equal(slow.start, "normal");
  assert.match(slow.reason, /^no measure of the link; the browser estimates 1\.5 Mbit\/s, under/);
  // Chromium caps its estimate at 10 Mbit/s: under this site's threshold it never fetches first.
  assert.equal(chooseStart({ downlink: 10 }).start, "normal");
  assert.equal(chooseStart({ downlink: 50 }).start, "snapshot");
});

test("choosing has no side effects: the same facts, the same choice", () => {
  const facts = Object.freeze({ measured: Object.freeze(at(40)), downlink: 3 });
  assert.deepEqual(chooseStart(facts), chooseStart(facts));
});
