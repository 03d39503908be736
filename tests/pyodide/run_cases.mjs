// Runs tests/case_runner.py inside the real Pyodide runtime (the npm package, offline).
// Usage: node run_cases.mjs WHEEL RUNNER.py < {"protocols": {...}, "tables": [...]}
// Prints {"python": version, "yaml_imported": bool, "outcomes": {...}} as JSON.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [wheelPath, runnerPath] = process.argv.slice(2);
const input = readFileSync(0, "utf8");

const pyodide = await loadPyodide({ stdout: (t) => process.stderr.write(t + "\n") });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
pyodide.FS.writeFile("/home/pyodide/case_runner.py", readFileSync(runnerPath, "utf8"));
pyodide.globals.set("payload", input);
const output = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
from case_runner import run_tables
import screening.json_api  # the worker's entry point must import too
data = json.loads(payload)
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "yaml_imported": "yaml" in sys.modules,
    "outcomes": run_tables(data["protocols"], data["tables"]),
})
`);
process.stdout.write(output);
