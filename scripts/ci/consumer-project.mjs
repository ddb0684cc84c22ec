/**
 * Writes an empty TypeScript project that depends on a packed pprof-doctor tarball, for
 * scripts/ci/check-package.sh: package.json, a package-lock.json (the tarball, and the runtime
 * dependencies at the exact versions of our own package-lock.json, so `npm ci --offline` installs
 * them from npm's cache), a strict tsconfig.json (no @types packages, no skipLibCheck, every
 * declaration file the package ships) and
 * example.ts: the ```ts block under "## Library" in README.md, as a user would paste it.
 *
 * Usage: node scripts/ci/consumer-project.mjs <project dir> <tarball file name in that dir>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [dir, tarball] = process.argv.slice(2);
if (!dir || !tarball) {
  process.stderr.write('usage: node scripts/ci/consumer-project.mjs <project dir> <tarball file name>\n');
  process.exit(2);
}

const ourLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const ourPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const spec = `file:${tarball}`;

const pkg = { name: 'consumer', private: true, type: 'module', dependencies: { 'pprof-doctor': spec } };
const lock = {
  name: 'consumer',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'consumer', dependencies: { 'pprof-doctor': spec } },
    'node_modules/pprof-doctor': {
      version: ourPkg.version,
      resolved: spec,
      license: ourPkg.license,
      dependencies: ourPkg.dependencies,
      bin: ourPkg.bin,
      engines: ourPkg.engines,
    },
  },
};
// Every package our lock installs for production: the dependencies' whole tree, nothing dev-only.
for (const [path, entry] of Object.entries(ourLock.packages)) {
  if (path !== '' && !entry.dev && !entry.devOptional) lock.packages[path] = entry;
}

const tsconfig = {
  compilerOptions: {
    strict: true,
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    // console comes from the DOM library: no @types/node, so a declaration of ours that needs Node's
    // types (or any other @types package) fails the check.
    lib: ['es2022', 'dom'],
    types: [],
    skipLibCheck: false,
    outDir: 'out',
  },
  files: ['example.ts'],
  // Every declaration file the package ships, not only those example.ts reaches.
  include: ['node_modules/pprof-doctor/**/*.d.ts'],
  exclude: [],
};

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const library = readme.split(/^## Library$/m)[1]?.split(/^## /m)[0] ?? '';
const example = /^```ts\n([\s\S]*?)^```$/m.exec(library)?.[1];
if (!example) {
  process.stderr.write('consumer-project: no ```ts block under "## Library" in README.md\n');
  process.exit(1);
}

const write = (name, data) =>
  writeFileSync(join(dir, name), typeof data === 'string' ? data : `${JSON.stringify(data, null, 2)}\n`);
write('package.json', pkg);
write('package-lock.json', lock);
write('tsconfig.json', tsconfig);
write('example.ts', example);
