#!/usr/bin/env node
/**
 * Build step (after tsc, part of `npm run build`): bundles the CLI into CommonJS chunks under
 * dist/bundle/ (entry cli.cjs) and records a V8 code cache for each (<chunk>.v8cache).
 *
 * Why: `pprof-doctor top` on a 2.45 MB CPU profile is a ~0.15 s process, and loading ~60 ES
 * modules one by one (resolve, read, compile, link) cost 25–35 ms of it on the benchmark machine.
 * A dozen chunks compiled from their code caches load in a few ms. A cache holds the bytecode of
 * every function that ran while it was recorded (scripts/record-code-cache.cjs: `top`, `analyze`,
 * `peek`, `traces`, `diff` and `rules` on bundled samples), so those functions are not compiled
 * again at run time either. Measured numbers: BENCHMARKS.md.
 *
 * The cache is only valid for the Node.js binary and V8 flags that recorded it; V8 checks that
 * itself and silently compiles from source when they differ (the CLI then just starts slower).
 * The V8 flags are read from bin/pprof-doctor's `exec node` line, so the two cannot drift apart.
 * Without dist/bundle/ (a bare `tsc` build), bin/pprof-doctor loads dist/cli/main.js instead.
 * bin/launch.cjs loads the chunks itself (each with its cache), so a chunk's `require('./x.cjs')`
 * of another chunk goes through the same path.
 *
 * rolldown is the bundler: vitest already depends on it, so it adds nothing to the install.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'bundle');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const started = Date.now();
const build = await rolldown({
  input: join(root, 'dist', 'cli', 'main.js'),
  platform: 'node',
  logLevel: 'warn',
  // dist/diagnosis/load-rules-node.js finds rules/ and dist/rules.json from its own URL; the
  // bundle sits at the same depth under dist/, so the same relative paths hold.
  onLog(level, log, handler) {
    if (log.code === 'EMPTY_IMPORT_META') return;
    handler(level, log);
  },
});
// One chunk per lazily imported module group, as the ES modules were split: `top` reads and
// compiles ~0.2 MB of the 1.4 MB, `analyze` the rule engine too, and so on. All in one folder
// (the chunks find rules/ and dist/rules.json from their own path, as dist/diagnosis/ does).
// ASCII only (other characters as \u escapes): bin/launch.cjs reads the files as latin1, one-byte
// strings, several ms faster than decoding UTF-8.
const out = await build.write({
  dir: outDir,
  format: 'cjs',
  entryFileNames: 'cli.cjs',
  chunkFileNames: '[name].cjs',
  charset: 'ascii',
  comments: { legal: true, annotation: false, jsdoc: false },
});
await build.close();
for (const chunk of out.output) {
  const file = join(outDir, chunk.fileName);
  writeFileSync(file, lazyBuiltins(readFileSync(file, 'utf8')));
}

/**
 * A chunk requires every Node built-in module its modules use at its top, also those only a rarely
 * taken path needs (crypto for `-o`, fs/promises for rule folders): compiling those costs more than
 * the chunk itself. Each such `require` becomes a proxy that loads the module on first use; the
 * modules Node has loaded anyway, and zlib (every profile read needs it), stay plain.
 */
function lazyBuiltins(code) {
  const EAGER = new Set(['fs', 'path', 'url', 'util', 'buffer', 'zlib', 'process']);
  const re = /^let (\w+) = require\("(node:)?([\w/]+)"\);$/gm;
  let lazy = 0;
  const out = code.replace(re, (line, name, prefix, id) => {
    if (EAGER.has(id)) return line;
    lazy++;
    return `let ${name} = __lazyBuiltin("${prefix ?? ''}${id}");`;
  });
  if (lazy === 0) return code;
  const helper = [
    'var __lazyBuiltin = (id) => {',
    '\tlet mod;',
    '\tconst load = () => (mod ??= require(id));',
    '\treturn new Proxy({}, {',
    '\t\tget: (_, key) => load()[key],',
    '\t\thas: (_, key) => key in load(),',
    '\t\townKeys: () => Reflect.ownKeys(load()),',
    '\t\tgetOwnPropertyDescriptor: (_, key) => {',
    '\t\t\tconst d = Reflect.getOwnPropertyDescriptor(load(), key);',
    '\t\t\treturn d && { ...d, configurable: true };',
    '\t\t},',
    '\t});',
    '};',
  ].join('\n');
  const first = code.search(new RegExp(re.source, 'm'));
  return `${out.slice(0, first)}${helper}\n${out.slice(first)}`;
}

// Record the code cache with the launcher's own V8 flags.
const execLine = readFileSync(join(root, 'bin', 'pprof-doctor'), 'utf8')
  .split('\n')
  .find((line) => /\bexec node /.test(line));
if (!execLine) throw new Error('bundle-cli: no `exec node` line in bin/pprof-doctor');
const v8Flags = execLine
  .slice(execLine.indexOf('exec node '))
  .split(/\s+/)
  .filter((w) => w.startsWith('--'));
const res = spawnSync(process.execPath, [...v8Flags, join(root, 'scripts', 'record-code-cache.cjs')], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (res.status !== 0) {
  process.stderr.write(`bundle-cli: recording the code cache failed (exit ${res.status})\n`);
  process.exit(1);
}
process.stderr.write(
  `bundle-cli: dist/bundle/ (${out.output.length} chunks) and their code caches (${Date.now() - started} ms)\n`,
);
