// The build's memory snapshot of the interpreter: its published (packed) form unpacked,
// read from a response and checked against the build's manifest, and restored. Shared by the
// scoring worker (engine-start.js) and the build, which imports it under Node.js to check each
// snapshot with exactly the steps a browser takes, so nothing here touches the page.

// What a snapshot cannot carry over. Its random generator state is the same for every
// reader, so reseed it from this device. Its import system's cached directory listings
// predate this file system, so drop them; only the folders' listings, because reading the
// standard library's zip index again (importlib.invalidate_caches) costs a third of a second.
export const AFTER_RESTORE = `
import random, sys
from importlib.machinery import FileFinder
random.seed()
for cached in list(sys.path_importer_cache.values()):
    if isinstance(cached, FileFinder):
        cached.invalidate_caches()
`;

// The snapshot as published: the interpreter's memory with its runs of zero pages left out
// (about half of it), as "CSESNAP1", the memory's length and the number of runs kept (u32,
// little-endian), each run's offset and length, then the runs' bytes in order.
const PACKED_MAGIC = "CSESNAP1";

/**
 * The interpreter's memory from a packed snapshot; throws if its layout does not add up.
 * Its vectors are shared with the Python packer: tests/js/vectors/snapshot.json.
 * @param {Uint8Array} packed
 * @param {number} [memoryBytes] the memory's length, as the build's manifest gives it
 * @returns {Uint8Array}
 */
export function unpackSnapshot(packed, memoryBytes) {
  const damaged = () => new Error("the snapshot's layout is damaged");
  if (packed.length < 16 || new TextDecoder().decode(packed.subarray(0, 8)) !== PACKED_MAGIC) {
    throw new Error("the snapshot is not in this site's packed form");
  }
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const length = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  if (memoryBytes !== undefined && length !== memoryBytes) throw damaged();
  let data = 16 + count * 8;
  if (data > packed.length) throw damaged();
  const memory = new Uint8Array(length);
  let end = 0;
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(16 + i * 8, true);
    const size = view.getUint32(20 + i * 8, true);
    if (offset < end || offset + size > length || data + size > packed.length) throw damaged();
    memory.set(packed.subarray(data, data + size), offset);
    data += size;
    end = offset + size;
  }
  if (data !== packed.length) throw damaged();
  return memory;
}

/**
 * @typedef {{ runPython: (code: string) => unknown, [key: string]: any }} Pyodide
 * @typedef {(options: Record<string, unknown>) => Promise<Pyodide>} LoadPyodide
 * @typedef {{ path: string, bytes: number, memory: number, sha256: string, first_visit: boolean, adapt?: boolean }} SnapshotInfo
 */

/**
 * Restore an interpreter from snapshot bytes (or a promise of them), then refresh what it cannot keep.
 * @param {LoadPyodide} loadPyodide
 * @param {Record<string, unknown>} options
 * @param {Uint8Array | Promise<Uint8Array>} snapshot
 */
export async function restore(loadPyodide, options, snapshot) {
  const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
  pyodide.runPython(AFTER_RESTORE);
  return pyodide;
}

/** @param {ArrayBuffer} buffer */
function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The snapshot, streamed into a buffer of the size the manifest gives, checked against its hash, and unpacked. */
/**
 * @param {Response} response
 * @param {SnapshotInfo} info
 * @param {Record<string, number>} marks
 */
export async function readSnapshot(response, info, marks) {
  const bytes = new Uint8Array(info.bytes);
  if (!response.body) throw new Error("the snapshot's response has no body");
  const reader = response.body.getReader();
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled + value.length > bytes.length) {
      await reader.cancel();
      throw new Error("the snapshot is larger than this build's manifest says");
    }
    bytes.set(value, filled);
    filled += value.length;
  }
  if (filled !== bytes.length) throw new Error("the snapshot is shorter than this build's manifest says");
  marks.snapshot_read = Math.round(performance.now());
  const digest = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (digest !== info.sha256) throw new Error("the snapshot does not match this build's manifest");
  marks.snapshot_checked = Math.round(performance.now());
  const memory = unpackSnapshot(bytes, info.memory);
  marks.snapshot_unpacked = Math.round(performance.now());
  return memory;
}
