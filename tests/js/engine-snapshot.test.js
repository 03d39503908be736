// Snapshot unpacking: the memory build_scripts/snapshot.py packed, byte for byte, and every
// damaged layout refused (the Python side of these vectors is in tests/build/test_browser_code.py).

import assert from "node:assert/strict";
import { test } from "node:test";
import { unpackSnapshot } from "../../docs/assets/javascripts/engine-snapshot.js";
import { readJson } from "./helpers.js";

const vectors = readJson(new URL("./vectors/snapshot.json", import.meta.url));

/** @param {string} text */
const bytes = (text) => new Uint8Array(Buffer.from(text, "base64"));

/** @param {{ length: number, fill: [number, string][] }} memory */
function expected(memory) {
  const out = new Uint8Array(memory.length);
  for (const [offset, hex] of memory.fill) out.set(Buffer.from(hex, "hex"), offset);
  return out;
}

test("a packed snapshot unpacks to the memory the Python packed", () => {
  assert.ok(vectors.valid.length >= 3);
  for (const vector of vectors.valid) {
    const memory = expected(vector.memory);
    assert.deepEqual(unpackSnapshot(bytes(vector.packed)), memory, vector.why);
    assert.deepEqual(unpackSnapshot(bytes(vector.packed), vector.memory.length), memory, vector.why);
  }
});

test("a packed snapshot inside a larger buffer unpacks the same", () => {
  const vector = vectors.valid[2];
  const packed = bytes(vector.packed);
  const larger = new Uint8Array(packed.length + 7);
  larger.set(packed, 3);
  assert.deepEqual(unpackSnapshot(larger.subarray(3, 3 + packed.length)), expected(vector.memory));
});

test("a damaged snapshot is refused, never half unpacked", () => {
  assert.ok(vectors.damaged.length >= 5);
  for (const vector of vectors.damaged) {
    assert.throws(() => unpackSnapshot(bytes(vector.packed), vector.memory_bytes ?? undefined), /snapshot/, vector.why);
  }
});
