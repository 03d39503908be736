// Unpack and restore a published snapshot the way the site's worker does (engine-snapshot.js)
// and run the engine's JSON entry point on each case.
// Usage: node run_snapshot.mjs SNAPSHOT WHEEL MODULE FUNCTION [STDLIB_ZIP] < {"protocols": {id: text}, "cases": [[id, answers_json]]}
// Prints {"outputs": [...], "python", "platform", "executable", "environ_has_build_path",
// "heap", "snapshot_bytes", "memory_bytes"} as JSON.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";
import { restore, unpackSnapshot } from "../../docs/assets/javascripts/engine-snapshot.js";

const [snapshotPath, wheelPath, moduleName, functionName, stdlibPath] = process.argv.slice(2);
const payload = JSON.parse(readFileSync(0, "utf8"));

const snapshot = new Uint8Array(readFileSync(snapshotPath));
const memory = unpackSnapshot(snapshot);
const options = {
  ...(stdlibPath ? { stdLibURL: stdlibPath } : {}),
  stdout: () => {},
  stderr: (/** @type {string} */ t) => process.stderr.write(t + "\n"),
};
const pyodide = await restore(loadPyodide, options, memory);
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
const entry = pyodide.pyimport(moduleName)[functionName];
const outputs = payload.cases.map(([protocol, answers]) => entry(payload.protocols[protocol], answers));
const facts = JSON.parse(
  pyodide.runPython(`
import json, os, sys
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "executable": sys.executable,
    "environ_underscore": os.environ.get("_", ""),
})
`),
);
process.stdout.write(
  JSON.stringify({
    outputs,
    ...facts,
    heap: pyodide._module.HEAP8.length,
    snapshot_bytes: snapshot.length,
    memory_bytes: memory.length,
  }),
);
