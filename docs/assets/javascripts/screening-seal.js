// A saved screening protected with a passphrase, sealed and opened on the device with the
// browser's Web Crypto: PBKDF2 with SHA-256 (600,000 iterations, a random 16-byte salt)
// derives an AES-256-GCM key, which encrypts the record's whole text with a random 12-byte
// IV; the protocol's id, left readable so the screening index can send the file to its
// page, is bound to the ciphertext as additional data. The file still says in words what it
// is. The passphrase is never stored: it is used once and dropped. Pure functions, no page.

export const SEAL_BEGIN = "-----BEGIN ENCRYPTED SCREENING-----";
export const SEAL_END = "-----END ENCRYPTED SCREENING-----";
export const ITERATIONS = 600000;
export const WRONG_PASSPHRASE =
  "The passphrase is not the one this file was protected with, or the file has been changed since it was saved. Check the passphrase and try again.";
export const SEAL_UNREADABLE =
  "This protected screening has been cut short or edited, so it cannot be read. Open the file as it was saved.";

/**
 * What the file holds between its markers (the data itself is encrypted).
 * @typedef {object} Sealed
 * @property {string} format "cse-screening-record-encrypted"
 * @property {number} version 1
 * @property {string} protocol the protocol's id
 * @property {{ name: "PBKDF2", hash: "SHA-256", iterations: number, salt: string }} key
 * @property {{ name: "AES-GCM", length: 256, iv: string }} cipher
 * @property {string} data the encrypted record, base64
 */

/** @param {Uint8Array} bytes */
function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * @param {string} text
 * @returns {Uint8Array<ArrayBuffer>}
 */
function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * @param {string} passphrase
 * @param {Uint8Array<ArrayBuffer>} salt
 * @param {number} iterations
 */
async function keyFor(passphrase, salt, iterations) {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Whether a file's text is a protected screening.
 * @param {string} text
 */
export function isSealed(text) {
  return text.split(/\r?\n/).includes(SEAL_BEGIN);
}

/**
 * The envelope between the markers, or null when it does not read.
 * @param {string} text
 * @returns {Sealed | null}
 */
export function sealedOf(text) {
  const lines = text.split(/\r?\n/);
  const begin = lines.lastIndexOf(SEAL_BEGIN);
  const end = lines.indexOf(SEAL_END, begin);
  if (begin < 0 || end < 0) return null;
  try {
    const data = JSON.parse(lines.slice(begin + 1, end).join(""));
    const ok =
      data?.format === "cse-screening-record-encrypted" &&
      data.version === 1 &&
      typeof data.protocol === "string" &&
      typeof data.key?.salt === "string" &&
      Number.isInteger(data.key?.iterations) &&
      typeof data.cipher?.iv === "string" &&
      typeof data.data === "string";
    return ok ? data : null;
  } catch {
    return null;
  }
}

/**
 * The record's text, encrypted with the passphrase, as a file that says what it is.
 * @param {string} record the record's whole text, as the engine wrote it
 * @param {string} passphrase
 * @param {{ protocol: string, title: string, site: string }} about
 * @returns {Promise<string>}
 */
export async function seal(record, passphrase, about) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await keyFor(passphrase, salt, ITERATIONS);
  const additionalData = new TextEncoder().encode(about.protocol);
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData },
    key,
    new TextEncoder().encode(record),
  );
  /** @type {Sealed} */
  const sealed = {
    format: "cse-screening-record-encrypted",
    version: 1,
    protocol: about.protocol,
    key: { name: "PBKDF2", hash: "SHA-256", iterations: ITERATIONS, salt: toBase64(salt) },
    cipher: { name: "AES-GCM", length: 256, iv: toBase64(iv) },
    data: toBase64(new Uint8Array(data)),
  };
  const title = "CSE screening record (protected with a passphrase)";
  return [
    title,
    "=".repeat(title.length),
    `Made by: ${about.site} · Protocol: ${about.title} (${about.protocol})`,
    "This file holds a saved screening of a child, encrypted with a passphrase. To open it, use",
    '"Open a saved screening" on the screening page, which asks for the passphrase. The passphrase',
    "is not in this file and the site keeps no copy: without it the screening cannot be read.",
    "Keep this file where your agency keeps case records.",
    `Method: PBKDF2 with SHA-256, ${ITERATIONS} iterations and a random 16-byte salt, gives an`,
    "AES-256-GCM key; the screening is encrypted with it and a random 12-byte IV.",
    SEAL_BEGIN,
    JSON.stringify(sealed),
    SEAL_END,
    "",
  ].join("\n");
}

/**
 * The record's text inside a protected file; throws an Error whose message is
 * WRONG_PASSPHRASE or SEAL_UNREADABLE.
 * @param {string} text the file's whole text
 * @param {string} passphrase
 * @returns {Promise<string>}
 */
export async function unseal(text, passphrase) {
  const sealed = sealedOf(text);
  if (!sealed) throw new Error(SEAL_UNREADABLE);
  let salt, iv, data;
  try {
    [salt, iv, data] = [fromBase64(sealed.key.salt), fromBase64(sealed.cipher.iv), fromBase64(sealed.data)];
  } catch {
    throw new Error(SEAL_UNREADABLE);
  }
  if (iv.length !== 12 || salt.length < 16 || sealed.key.iterations < 100000 || sealed.key.iterations > 10000000) {
    throw new Error(SEAL_UNREADABLE);
  }
  const key = await keyFor(passphrase, salt, sealed.key.iterations);
  const additionalData = new TextEncoder().encode(sealed.protocol);
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, key, data);
    return new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    throw new Error(WRONG_PASSPHRASE);
  }
}
