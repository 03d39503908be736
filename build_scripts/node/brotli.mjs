// Compress files with Brotli, several at once (Node's zlib runs each on its own thread).
// Usage: node brotli.mjs < [[SOURCE, TARGET, QUALITY], ...]
// Prints {"written": N} as JSON.
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants } from "node:zlib";

const compress = promisify(brotliCompress);
/** @type {[string, string, number][]} */
const jobs = JSON.parse(readFileSync(0, "utf8"));

await Promise.all(
  jobs.map(async ([source, target, quality]) => {
    const data = await readFile(source);
    const packed = await compress(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    await writeFile(target, packed);
  }),
);
process.stdout.write(JSON.stringify({ written: jobs.length }));
