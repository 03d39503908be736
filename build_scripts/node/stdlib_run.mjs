// Start Pyodide the normal way, as the site's worker does, with a given standard library zip,
// install the engine wheel, import the whole engine and the standard modules it names, and
// run the engine's JSON entry point on each case.
// Usage: node stdlib_run.mjs STDLIB_ZIP WHEEL MODULE FUNCTION PACKAGE < {"protocols": {id: text},
//   "cases": [[id, answers_json]], "imports": [module names]}
// Prints {"outputs": [...], "modules": [[name, file]...]} as JSON (every module loaded from the
// standard library zip), or {"missing": NAME} when a module is not in the zip.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";
import { AFTER_RESTORE } from "../../docs/assets/javascripts/engine-snapshot.js";

const [stdlibPath, wheelPath, moduleName, functionName, packageName] = process.argv.slice(2);
const payload = JSON.parse(readFileSync(0, "utf8"));
const NOT_FOUND = /ModuleNotFoundError: No module named '([^']+)'/;

/** @param {unknown} error */
function missingModule(error) {
  const match = NOT_FOUND.exec(String(error instanceof Error ? error.message : error));
  if (!match) throw error;
  process.stdout.write(JSON.stringify({ missing: match[1] }));
  process.exit(0);
}

try {
  const pyodide = await loadPyodide({
    stdLibURL: stdlibPath,
    stdout: () => {},
    stderr: (t) => process.stderr.write(t + "\n"),
  });
  pyodide.runPython(AFTER_RESTORE);
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
  pyodide.globals.set("package_name", packageName);
  pyodide.globals.set("named_imports", pyodide.toPy(payload.imports));
  pyodide.runPython(`
import importlib, pkgutil
package = importlib.import_module(package_name)
for module in pkgutil.walk_packages(package.__path__, package_name + "."):
    if not module.name.endswith(".__main__"):
        importlib.import_module(module.name)
for name in named_imports:
    importlib.import_module(name)
del package, module
`);
  const entry = pyodide.pyimport(moduleName)[functionName];
  const outputs = payload.cases.map((/** @type {[string, string]} */ [protocol, answers]) =>
    entry(payload.protocols[protocol], answers),
  );
  // The error paths a reader can meet: answers that are not JSON, a protocol that is not one.
  for (const [protocol, answers] of [
    ["{", "{"],
    [Object.values(payload.protocols)[0], "not json"],
  ]) {
    try {
      entry(protocol, answers);
    } catch (error) {
      if (NOT_FOUND.test(String(error))) throw error;
    }
  }
  const modules = JSON.parse(
    pyodide.runPython(`
import json, sys
zip_path = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
json.dumps(sorted(
    [name, module.__file__]
    for name, module in list(sys.modules.items())
    if isinstance(getattr(module, "__file__", None), str) and module.__file__.startswith(zip_path + "/")
))
`),
  );
  process.stdout.write(JSON.stringify({ outputs, modules }));
} catch (error) {
  missingModule(error);
}
