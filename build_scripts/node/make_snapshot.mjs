// Make the engine's memory snapshot: start Pyodide (the pinned npm package, offline), install
// the engine wheel, import the whole engine, and save the interpreter's memory.
// Usage: node make_snapshot.mjs WHEEL OUT PACKAGE [STDLIB_ZIP]
// (STDLIB_ZIP: the standard library the site serves, which every restore must load too)
// Prints {"bytes", "heap", "modules"} as JSON. Only the engine's code goes in: no protocol,
// no answers, no assessment is run before the memory is saved.
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [wheelPath, outPath, packageName, stdlibPath] = process.argv.slice(2);

const pyodide = await loadPyodide({
  _makeSnapshot: true,
  ...(stdlibPath ? { stdLibURL: stdlibPath } : {}),
  stdout: () => {},
  stderr: (t) => process.stderr.write(t + "\n"),
});
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
pyodide.globals.set("package_name", packageName);
const modules = pyodide.runPython(`
import importlib, os, pkgutil, random, sys

# Import every module of the engine now, so nothing is imported later from files the
# snapshot does not hold.
package = importlib.import_module(package_name)
for module in pkgutil.walk_packages(package.__path__, package_name + "."):
    if not module.name.endswith(".__main__"):  # running it would start the command line
        importlib.import_module(module.name)
# Paths of the machine that made the snapshot are no business of the reader's browser.
sys.executable = ""
os.environ.pop("_", None)
random.seed(0)  # reseeded from the reader's device after every restore
del package, module
len(sys.modules)
`);
pyodide.globals.delete("package_name");
const heap = pyodide._module.HEAP8.length;
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(outPath, snapshot);
process.stdout.write(JSON.stringify({ bytes: snapshot.length, heap, modules }));
