// Runs Python inside the real Pyodide runtime (the npm package, offline) with the engine wheel.
// Usage: node run_python.mjs WHEEL < {"files": {"PATH": "TEXT", ...}, "code": "PYTHON"}
// Writes each file under /home/pyodide, puts that folder first on sys.path, runs the code
// and prints the value of its last expression (a JSON string) on standard output.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [wheelPath] = process.argv.slice(2);
const { files, code } = JSON.parse(readFileSync(0, "utf8"));

const pyodide = await loadPyodide({ stdout: (t) => process.stderr.write(t + "\n") });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
const home = "/home/pyodide";
for (const [path, text] of Object.entries(files)) {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const folder = `${home}/${parts.slice(0, i).join("/")}`;
    if (!pyodide.FS.analyzePath(folder).exists) pyodide.FS.mkdir(folder);
  }
  pyodide.FS.writeFile(`${home}/${path}`, text);
}
pyodide.runPython(`import sys; sys.path.insert(0, "${home}")`);
process.stdout.write(pyodide.runPython(code));
