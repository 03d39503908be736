// A screening protected with a passphrase: sealed and opened with Node's Web Crypto (the
// same API as the browser's), a wrong passphrase and an edited file refused with their
// messages, and the file saying in words what it is without giving the screening away.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ITERATIONS,
  SEAL_UNREADABLE,
  WRONG_PASSPHRASE,
  isSealed,
  seal,
  sealedOf,
  unseal,
} from "../../docs/assets/javascripts/screening-seal.js";

const RECORD =
  "CSE screening record\n====\nChild's reference: AB-12 · “quoted” £\n-----BEGIN SCREENING DATA-----\n{}\n";
const ABOUT = { protocol: "pan-lancashire", title: "Pan Lancashire screening", site: "Example site" };

test("a record sealed with a passphrase opens with it, and only with it", async () => {
  const file = await seal(RECORD, "correct horse battery", ABOUT);
  assert.ok(isSealed(file));
  assert.ok(file.startsWith("CSE screening record (protected with a passphrase)\n"));
  assert.match(file, /PBKDF2 with SHA-256, 600000 iterations/);
  assert.ok(!file.includes("AB-12"), "the child's reference is not readable in the file");
  const sealed = sealedOf(file);
  assert.equal(sealed?.protocol, "pan-lancashire");
  assert.equal(sealed?.key.iterations, ITERATIONS);
  assert.equal(await unseal(file, "correct horse battery"), RECORD);
  await assert.rejects(unseal(file, "correct horse battery "), { message: WRONG_PASSPHRASE });
  await assert.rejects(unseal(file, ""), { message: WRONG_PASSPHRASE });
});

test("each sealing uses its own salt and IV", async () => {
  const one = sealedOf(await seal(RECORD, "pass", ABOUT));
  const two = sealedOf(await seal(RECORD, "pass", ABOUT));
  assert.notEqual(one?.key.salt, two?.key.salt);
  assert.notEqual(one?.cipher.iv, two?.cipher.iv);
  assert.notEqual(one?.data, two?.data);
});

test("an edited or cut-short protected file is refused", async () => {
  const file = await seal(RECORD, "pass", ABOUT);
  const otherProtocol = file.replace('"protocol":"pan-lancashire"', '"protocol":"sandwell-nwg"');
  await assert.rejects(unseal(otherProtocol, "pass"), { message: WRONG_PASSPHRASE });
  await assert.rejects(unseal(file.slice(0, file.length - 60), "pass"), { message: SEAL_UNREADABLE });
  assert.equal(isSealed(RECORD), false);
});
