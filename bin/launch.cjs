/**
 * Loads the CLI for bin/pprof-doctor: the one-file bundle dist/bundle/cli.cjs compiled with its V8
 * code cache (see scripts/bundle-cli.mjs for why and what it saves), or, when there is no bundle
 * (a bare `tsc` build) or with PPROF_DOCTOR_NO_BUNDLE=1, the ES modules under dist/cli/.
 *
 * CommonJS on purpose: a CommonJS entry does not start Node's ES module loader at all.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundleFile = path.join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
const cacheFile = path.join(__dirname, '..', 'dist', 'bundle', 'cli.v8cache');

/** Compiles and runs the bundle; undefined when there is none. */
function compileBundle() {
  let source;
  try {
    source = fs.readFileSync(bundleFile, 'latin1');
  } catch {
    return undefined;
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // No cache: compiled from source.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundleFile,
    cachedData,
  });
  const mod = { exports: {} };
  // The bundle requires Node's built-in modules only, so this file's `require` serves it.
  script.runInThisContext()(mod.exports, require, mod, bundleFile, path.dirname(bundleFile));
  return { main: mod.exports.main, script };
}

/** The CLI's main(argv) → exit code. PPROF_DOCTOR_NO_BUNDLE=1 runs the ES modules (debugging, tests). */
async function loadMain() {
  const bundle = process.env.PPROF_DOCTOR_NO_BUNDLE ? undefined : compileBundle();
  if (bundle) return bundle.main;
  return (await import('../dist/cli/main.js')).main;
}

function run(argv) {
  loadMain()
    .then((main) => main(argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`pprof-doctor: internal error: ${err?.message ? err.message : String(err)}\n`);
        process.exitCode = 3;
      },
    );
}

module.exports = { compileBundle, run };
