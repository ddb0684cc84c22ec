import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { builtinRulesDir, loadRuleDir, loadRules } from '../../src/diagnosis/load-rules-node.js';
import { compilePattern } from '../../src/diagnosis/patterns.js';
import { mergeRuleSets, parseRule } from '../../src/diagnosis/rule-parse.js';
import { parseQuantity } from '../../src/diagnosis/schema.js';

const MINIMAL = `
id: demo-rule
title: A demo rule for tests
severity: warning
appliesTo: [etcd-server]
detect:
  - profile: heap
    require:
      - frame: '{etcd}/mvcc.(*keyIndex).put'
        cum: 10%
explanation: Something grows without bound in the demo.
remediation: ['Do the thing']
references: ['https://github.com/etcd-io/etcd/pull/1']
`;

function errorOf(text: string): string {
  try {
    parseRule(text, 'rules/x/demo.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected a parse error');
}

describe('rule schema', () => {
  it('parses and normalises a minimal rule', () => {
    const r = parseRule(MINIMAL, 'demo.yaml');
    expect(r.id).toBe('demo-rule');
    const c = r.detect[0]!.require[0]!;
    expect(c.cum).toBeCloseTo(0.1);
    expect(c.frame![0]!.regex.test('go.etcd.io/etcd/mvcc.(*keyIndex).put')).toBe(true);
    expect(r.remediation[0]).toEqual({ do: 'Do the thing' });
    expect(r.references[0]!.url).toBe('https://github.com/etcd-io/etcd/pull/1');
    expect(r.detect[0]!.support).toEqual([]);
  });

  it('names the file and the field for a bad regex', () => {
    const msg = errorOf(MINIMAL.replace("'{etcd}/mvcc.(*keyIndex).put'", "'re:foo(bar'"));
    expect(msg).toMatch(/^rules\/x\/demo\.yaml: detect\[0\]\.require\[0\]\.frame: invalid regex/);
  });

  it('rejects unknown fields', () => {
    expect(errorOf(`${MINIMAL}\nseverty: critical\n`)).toMatch(/rules\/x\/demo\.yaml: .*unknown field 'severty'/);
    const nested = MINIMAL.replace('cum: 10%', 'cum: 10%\n        flatt: 5%');
    expect(errorOf(nested)).toMatch(/detect\[0\]\.require\[0\]: unknown field 'flatt'/);
  });

  it('rejects a bad semver range and a bad fixed version', () => {
    expect(errorOf(`${MINIMAL}\netcdVersions:\n  affected: '>=3.x.banana'\n`)).toMatch(
      /etcdVersions\.affected: is not a valid semver range/,
    );
    expect(errorOf(`${MINIMAL}\netcdVersions:\n  affected: '<3.4.6'\n  fixed: ['3.4']\n`)).toMatch(
      /etcdVersions\.fixed\[0\]: is not a valid semver version/,
    );
  });

  it('rejects a missing id', () => {
    expect(errorOf(MINIMAL.replace('id: demo-rule\n', ''))).toMatch(/^rules\/x\/demo\.yaml: id: is required/);
  });

  it('rejects unknown macros, bad shares, bad severities, YAML syntax errors, and gives one line', () => {
    expect(errorOf(MINIMAL.replace('{etcd}', '{etdc}'))).toMatch(/frame: unknown macro \{etdc\}/);
    expect(errorOf(MINIMAL.replace('cum: 10%', 'cum: 150%'))).toMatch(/require\[0\]\.cum: share 150% is outside/);
    expect(errorOf(MINIMAL.replace('severity: warning', 'severity: high'))).toMatch(/severity: must be one of info/);
    const yamlErr = errorOf('id: [unclosed\n');
    expect(yamlErr).toMatch(/YAML syntax error/);
    for (const m of [yamlErr, errorOf(MINIMAL.replace('{etcd}', '{etdc}'))]) expect(m).not.toContain('\n');
  });

  it('merges rule sets: later ids override, duplicates in one set are an error', () => {
    const a = parseRule(MINIMAL, 'a.yaml');
    const b = parseRule(MINIMAL.replace('severity: warning', 'severity: critical'), 'b.yaml');
    expect(mergeRuleSets([[a], [b]])[0]!.severity).toBe('critical');
    expect(() => mergeRuleSets([[a, b]])).toThrow(/already used by a\.yaml/);
  });

  it('parses a growth block; names the field of a bad one', () => {
    const growth = `growth:\n  kind: bounded\n  frame: '{raft}.(*MemoryStorage).Append'\n  reason: held until the next snapshot\n`;
    const r = parseRule(`${MINIMAL}${growth}`, 'demo.yaml');
    expect(r.growth?.kind).toBe('bounded');
    expect(r.growth?.id).toBeUndefined();
    expect(r.growth!.frame[0]!.regex.test('go.etcd.io/etcd/raft.(*MemoryStorage).Append')).toBe(true);
    expect(parseRule(MINIMAL, 'demo.yaml').growth).toBeUndefined();
    expect(errorOf(`${MINIMAL}${growth.replace('kind: bounded', 'kind: forever')}`)).toMatch(
      /growth\.kind: must be one of bounded/,
    );
    expect(errorOf(`${MINIMAL}${growth.replace(/ {2}frame: .*\n/, '')}`)).toMatch(/growth\.frame: is required/);
    expect(errorOf(`${MINIMAL}${growth.replace('reason: held until the next snapshot', 'reason: short')}`)).toMatch(
      /growth\.reason: is too short/,
    );
    expect(errorOf(`${MINIMAL}${growth.replace('{raft}', '{raf}')}`)).toMatch(/growth\.frame: unknown macro \{raf\}/);
  });

  it('refuses two rules declaring growth of the same id', () => {
    const growth = `growth:\n  kind: bounded\n  id: the-log\n  frame: 'main.f'\n  reason: held until the next snapshot\n`;
    const a = parseRule(`${MINIMAL}${growth}`, 'a.yaml');
    const b = parseRule(`${MINIMAL.replace('id: demo-rule', 'id: other-rule')}${growth}`, 'b.yaml');
    expect(() => mergeRuleSets([[a], [b]])).toThrow(/b\.yaml: growth\.id: 'the-log' is already declared by a\.yaml/);
    // The same rule overridden by id keeps one declaration.
    expect(mergeRuleSets([[a], [a]]).length).toBe(1);
  });

  it('loads every built-in rule, file name = id', async () => {
    const rules = await loadRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.file.endsWith(`/${r.id}.yaml`)).toBe(true);
    expect(builtinRulesDir()).toMatch(/rules\/$/);
    await expect(loadRuleDir('/nonexistent/rules')).rejects.toThrow(/rules directory not found/);
  });
});

describe('frame patterns and macros', () => {
  const cases: [string, string, boolean][] = [
    ['{etcd}/mvcc.(*watchableStore).watch', 'go.etcd.io/etcd/mvcc.(*watchableStore).watch', true],
    ['{etcd}/mvcc.(*watchableStore).watch', 'go.etcd.io/etcd/server/v3/mvcc.(*watchableStore).watch', true],
    ['{etcd}/mvcc.(*watchableStore).watch', 'go.etcd.io/etcd/server/v3/storage/mvcc.(*watchableStore).watch', true],
    ['{etcd}/mvcc.(*watchableStore).watch', 'github.com/coreos/etcd/mvcc.(*watchableStore).watch', true],
    [
      '{etcd}/mvcc.(*watchableStore).watch',
      'github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/mvcc.(*watchableStore).watch',
      true,
    ],
    [
      '{etcd}/mvcc.(*watchableStore).watch',
      'k8s.io/kubernetes/vendor/github.com/coreos/etcd/mvcc.(*watchableStore).watch',
      true,
    ],
    ['{etcd}/mvcc.(*watchableStore).watch', 'go.etcd.io/etcd/mvcc.(*watchableStore).watchLoop', false],
    ['{etcd}/mvcc.(*watchableStore).watch', 'example.com/etcd/mvcc.(*watchableStore).watch', false],
    [
      '{grpc}/transport.(*recvBuffer).put',
      'github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport.(*recvBuffer).put',
      true,
    ],
    ['{grpc}/transport.(*recvBuffer).put', 'google.golang.org/grpc/internal/transport.(*recvBuffer).put', true],
    ['{clientv3}.(*watcher).Watch', 'go.etcd.io/etcd/client/v3.(*watcher).Watch', true],
    ['{clientv3}.(*watcher).Watch', 'k8s.io/kubernetes/vendor/github.com/coreos/etcd/clientv3.(*watcher).Watch', true],
    ['{clientv3}.(*watcher).Watch', 'go.etcd.io/etcd/clientv3.(*watcher).Watch', true],
    ['{raft}.(*MemoryStorage).Append', 'go.etcd.io/raft/v3.(*MemoryStorage).Append', true],
    ['{raft}.(*MemoryStorage).Append', 'go.etcd.io/etcd/raft/v3.(*MemoryStorage).Append', true],
    ['{mvccpb}.(*KeyValue).Unmarshal', 'go.etcd.io/etcd/api/v3/mvccpb.(*KeyValue).Unmarshal', true],
    ['{mvccpb}.(*KeyValue).Unmarshal', 'go.etcd.io/etcd/mvcc/mvccpb.(*KeyValue).Unmarshal', true],
    ['{bbolt}.(*freelist).arrayAllocate', 'go.etcd.io/bbolt.(*freelist).arrayAllocate', true],
    ['runtime.scanobject', 'runtime.scanobject', true],
    ['runtime.scanobject', 'runtime.scanobjectx', false],
    ['re:^runtime\\.(lock|unlock)$', 'runtime.unlock', true],
    ['HandleStreams.func{n}', 'HandleStreams.func4', true],
  ];
  it.each(cases)('%s vs %s → %s', (pattern, name, expected) => {
    expect(compilePattern(pattern).test(name)).toBe(expected);
  });

  it('rejects back-references (not RE2)', () => {
    expect(() => compilePattern('re:(a)\\1')).toThrow(/invalid regex/);
  });
});

describe('quantities', () => {
  it('parses units like pprof (1024-based bytes)', () => {
    expect(parseQuantity('64MB')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('500ms')).toBe(5e8);
    expect(parseQuantity('1000')).toBe(1000);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('lots')).toBeUndefined();
  });
});

describe('rule tests', () => {
  it('every built-in rule has firing and near-miss cases in test/rules (its id appears literally)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const text = readdirSync('test/rules')
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(`test/rules/${f}`, 'utf8'))
      .join('\n');
    const missing = (await loadRules()).map((r) => r.id).filter((id) => !text.includes(`'${id}'`));
    expect(missing).toEqual([]);
  });
});

describe('rules/README.md', () => {
  it('its complete annotated example is a valid rule', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync('rules/README.md', 'utf8');
    const m = /## A complete annotated example\s+```yaml\n([\s\S]*?)```/.exec(md);
    expect(m).not.toBeNull();
    const r = parseRule(m![1]!, 'README example');
    expect(r.id).toBe('lease-keepalive-storm');
    expect(r.detect.map((d) => d.profile)).toEqual(['heap', 'cpu']);
    expect(r.detect[0]!.exclude[0]!.under![0]!.pattern).toBe('{v3rpc}.(*watchServer).Watch{any}');
  });
});
