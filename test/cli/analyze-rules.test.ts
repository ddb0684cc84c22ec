/**
 * Pre-validated built-in rules (dist/rules.json, written by scripts/build-rules.mjs): they read back
 * to the same rules as the YAML; a stale, partial or broken file falls back to the YAML; the CLI
 * gives the same report either way and, with a fresh rules.json, does not load yaml or zod.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleToJson } from '../../src/cli/commands/rules.js';
import {
  builtinRulesDir,
  crc32,
  digestOf,
  loadBuiltinRules,
  loadRuleDir,
  loadRules,
  type RuleFileDigest,
  rulesFromJson,
  rulesToJson,
} from '../../src/diagnosis/load-rules-node.js';
import type { Rule } from '../../src/diagnosis/schema.js';
import { ensureBuilt, root, runCli } from './cli-helpers.js';

let tmp: string;
let yamlRules: Rule[];
let files: RuleFileDigest[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-rules-json-'));
  const r = await loadBuiltinRules({ source: 'yaml' });
  yamlRules = r.rules;
  files = r.files;
}, 60_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Rules as comparable data: RegExps as source/flags (ruleToJson keeps only pattern text). */
function comparable(rules: Rule[]): unknown {
  return JSON.parse(JSON.stringify(rules, (_k, v) => (v instanceof RegExp ? { regex: v.source, flags: v.flags } : v)));
}

/** A copy of rules/ (same relative paths, so the same digests) with a rules.json built from it. */
function copyWithJson(): { dir: string; json: string; path: (i: number) => string } {
  const base = mkdtempSync(join(tmp, 'pkg-'));
  const dir = join(base, 'rules');
  cpSync(builtinRulesDir(), dir, { recursive: true });
  const json = join(base, 'rules.json');
  writeFileSync(json, rulesToJson(yamlRules, files, dir));
  return { dir, json, path: (i) => join(base, files[i]!.path) };
}

describe('rules.json', () => {
  it('digests a file by its CRC-32 and length, the same in JavaScript as in zlib', () => {
    const check = Buffer.from('123456789');
    expect(digestOf(check)).toBe('crc32:cbf43926:9'); // the CRC-32 check value
    expect(crc32(check)).toBe(0xcbf43926);
    const text = readFileSync(join(builtinRulesDir(), '..', files[0]!.path));
    expect(`crc32:${crc32(text).toString(16).padStart(8, '0')}:${text.length}`).toBe(digestOf(text));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('reads back to exactly the validated rules, with working RegExps', async () => {
    expect(yamlRules.length).toBeGreaterThan(30);
    const back = rulesFromJson(rulesToJson(yamlRules, files));
    expect(back).toBeDefined();
    expect(comparable(back!.rules)).toEqual(comparable(yamlRules));
    // Same file names as the YAML loader shows, and patterns that still match what they matched.
    expect(back!.rules.map((r) => r.file)).toEqual(yamlRules.map((r) => r.file));
    const storm = back!.rules.find((r) => r.id === 'lease-keepalive-storm')!;
    const pattern = storm.detect[0]!.require[0]!.frame![0]!;
    expect(pattern.regex).toBeInstanceOf(RegExp);
    expect(
      pattern.regex.test('github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport.(*recvBuffer).put'),
    ).toBe(true);
    expect(pattern.regex.test('google.golang.org/grpc/transport.(*recvBuffer).get')).toBe(false);
    expect(ruleToJson(storm)).toEqual(ruleToJson(yamlRules.find((r) => r.id === storm.id)!));
  });

  it('names a rule file as the YAML loader does, even when rules.json spells its path unnormalised', () => {
    const text = rulesToJson(yamlRules, files);
    const first = yamlRules[0]!.file;
    for (const odd of [first.replace('/', '//'), `./${first}`, first.replace('/', '/x/../')]) {
      const back = rulesFromJson(text.replace(`"file":"${first}"`, `"file":${JSON.stringify(odd)}`));
      expect(back!.rules[0]!.file, odd).toBe(first);
    }
  });

  it('is used when fresh and complete', async () => {
    const { dir, json } = copyWithJson();
    const r = await loadBuiltinRules({ rulesDir: dir, jsonPath: json });
    expect(r.source).toBe('json');
    expect(r.rules.map((x) => x.id)).toEqual(yamlRules.map((x) => x.id));
  });

  it('falls back to the YAML when a rule file changed, whatever its mtime; touching alone does not', async () => {
    const touched = copyWithJson();
    const later = new Date(Date.now() + 60_000);
    utimesSync(touched.path(0), later, later);
    expect((await loadBuiltinRules({ rulesDir: touched.dir, jsonPath: touched.json })).source).toBe('json');

    const edited = copyWithJson();
    const before = statSync(edited.path(0));
    writeFileSync(edited.path(0), `${readFileSync(edited.path(0), 'utf8')}\n# edited\n`);
    utimesSync(edited.path(0), before.atime, before.mtime); // an mtime that says nothing changed
    expect((await loadBuiltinRules({ rulesDir: edited.dir, jsonPath: edited.json })).source).toBe('yaml');

    // One character changed in place: same size, same mtime.
    const flipped = copyWithJson();
    const was = statSync(flipped.path(0));
    const text = readFileSync(flipped.path(0), 'utf8');
    const at = text.indexOf('title:') + 'title: '.length; // the title's first character
    const swapped = text[at] === 'X' ? 'Y' : 'X';
    writeFileSync(flipped.path(0), `${text.slice(0, at)}${swapped}${text.slice(at + 1)}`);
    utimesSync(flipped.path(0), was.atime, was.mtime);
    expect(statSync(flipped.path(0)).size).toBe(was.size);
    expect((await loadBuiltinRules({ rulesDir: flipped.dir, jsonPath: flipped.json })).source).toBe('yaml');
  });

  it('falls back to the YAML when a rule file was added or removed since the build', async () => {
    const added = copyWithJson();
    const extra = join(added.dir, 'etcd-server', 'zz-extra-rule.yaml');
    cpSync(added.path(0), extra);
    const r = await loadBuiltinRules({ rulesDir: added.dir, jsonPath: added.json });
    expect(r.source).toBe('yaml');
    // the YAML path checks ids: a copied rule is a duplicate
    await expect(loadRules({ builtin: false, userDirs: [added.dir] })).rejects.toThrow(/already used/);

    const removed = copyWithJson();
    rmSync(removed.path(0));
    const r2 = await loadBuiltinRules({ rulesDir: removed.dir, jsonPath: removed.json });
    expect(r2.source).toBe('yaml');
    expect(r2.rules.length).toBe(yamlRules.length - 1);
  });

  it('falls back to the YAML when the file is broken, of another format, or missing', async () => {
    for (const text of ['{"format":1,"files":[', '{"format":99,"files":[],"rules":[]}', '[]', '{"format":1}']) {
      const { dir, json } = copyWithJson();
      writeFileSync(json, text);
      expect((await loadBuiltinRules({ rulesDir: dir, jsonPath: json })).source, text).toBe('yaml');
    }
    const { dir } = copyWithJson();
    expect((await loadBuiltinRules({ rulesDir: dir, jsonPath: join(tmp, 'none.json') })).source).toBe('yaml');
  });

  it('a broken built-in rule fails loudly on the YAML path (file and field)', async () => {
    const { dir, json, path } = copyWithJson();
    writeFileSync(path(0), 'id: Not-Kebab\n');
    await expect(loadBuiltinRules({ rulesDir: dir, jsonPath: json })).rejects.toThrow(/id: must be kebab-case/);
  });

  it('user --rules directories are always read from YAML and validated', async () => {
    const dir = mkdtempSync(join(tmp, 'user-'));
    writeFileSync(join(dir, 'bad.yaml'), 'id: my-rule\ntitle: x\n');
    await expect(loadRules({ userDirs: [dir] })).rejects.toThrow(/bad\.yaml: /);
    const ok = await loadRuleDir(builtinRulesDir());
    expect(comparable(ok)).toEqual(comparable(yamlRules));
  });
});

describe('the CLI with dist/rules.json', () => {
  const distJson = join(root, 'dist', 'rules.json');
  beforeAll(() => {
    ensureBuilt();
    // `npm run build` writes it; a bare `tsc` build does not.
    if (!existsSync(distJson)) spawnSync(process.execPath, [join(root, 'scripts', 'build-rules.mjs')], { cwd: root });
  }, 120_000);

  it('gives the same report as from the YAML', () => {
    expect(existsSync(distJson)).toBe(true);
    const args = ['analyze', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz', '--format', 'json'];
    const fromJson = runCli(args);
    expect(fromJson.code).toBe(0);
    // The same rule files given as a user directory are read from YAML.
    const viaYaml = runCli([...args, '--rules', builtinRulesDir(), '--no-builtin-rules']);
    expect(viaYaml.code).toBe(0);
    expect(JSON.parse(fromJson.stdout)).toEqual(JSON.parse(viaYaml.stdout));
  });

  it('does not load yaml or zod to analyse', () => {
    const hooks = join(tmp, 'hooks.mjs');
    writeFileSync(
      hooks,
      [
        'export async function resolve(s, c, next) {',
        '  const r = await next(s, c);',
        "  if (/node_modules\\/(yaml|zod)\\//.test(r.url)) process.stderr.write('LOADED ' + r.url + '\\n');",
        '  return r;',
        '}',
        '',
      ].join('\n'),
    );
    const register = join(tmp, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
    );
    const run = (args: string[]) =>
      // The ES modules, not the one-file bundle: module loads are what the hook can see.
      spawnSync(process.execPath, ['--import', register, join(root, 'bin', 'pprof-doctor'), ...args], {
        cwd: root,
        env: { ...process.env, PPROF_DOCTOR_NO_BUNDLE: '1' },
      });
    const fast = run(['analyze', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz']);
    expect(fast.status).toBe(0);
    expect(fast.stderr.toString()).not.toMatch(/LOADED/);
    // The check itself works: a user rules directory does load them.
    const slow = run([
      'analyze',
      'samples/docs/etcd-3.2.23-leader-heap.pb.gz',
      '--rules',
      builtinRulesDir(),
      '--no-builtin-rules',
    ]);
    expect(slow.status).toBe(0);
    expect(slow.stderr.toString()).toMatch(/LOADED .*node_modules\/yaml\//);
  });
});
