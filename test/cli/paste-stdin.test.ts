/**
 * A paste on standard input (`pbpaste | pprof-doctor analyze -`), through the built CLI, for every
 * text form: go tool pprof's top, peek, tree, list, traces and raw (test/fixtures/paste/forms/),
 * a top table followed by a list, headerless debug=1 records, a log-prefixed debug=2 dump, and an
 * old "Total: N MB" table. Each is read (JSON names the format) and diagnoses like the profile it
 * came from; text that is none of them gets the one-line error that names the forms read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root, runCli } from './cli-helpers.js';

const HEAP = 'samples/etcd-3.4.23/many-watchers/heap.pb.gz';
const CPU = 'samples/etcd-3.4.23/large-range/cpu.pb.gz';

beforeAll(() => ensureBuilt(), 120_000);

interface Json {
  profile: { format: string; hasStacks: boolean; notes: string[] };
  diagnoses: { id: string; confidence: number }[];
}

function analyzeStdin(input: string, extra: string[] = []): Json {
  const r = runCli(['analyze', '-', '--format', 'json', ...extra], input);
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  return JSON.parse(r.stdout) as Json;
}

function topOf(path: string, sampleIndex: string): string {
  const r = runCli(['analyze', path, '--format', 'json', '--sample-index', sampleIndex]);
  return (JSON.parse(r.stdout) as Json).diagnoses[0]?.id ?? 'none';
}

const paste = (f: string) => readFileSync(join(root, 'test/fixtures/paste/forms', f), 'utf8');

describe('analyze - (a paste on stdin)', () => {
  const cases: [string, string, string, string][] = [
    ['top-go1.24-watchers-heap.txt', 'top-table', HEAP, 'inuse_space'],
    ['peek-go1.24-watchers-heap.txt', 'pprof-peek', HEAP, 'inuse_space'],
    ['tree-go1.24-range-cpu.txt', 'pprof-tree', CPU, 'cpu'], // "Showing top N nodes": a tree
    ['list-go1.19-watchers-heap.txt', 'pprof-list', HEAP, 'inuse_space'],
    ['top-list-go1.19-range-cpu.txt', 'top-table', CPU, 'cpu'],
    ['traces-go1.19-watchers-heap.txt', 'pprof-traces', HEAP, 'inuse_space'],
    ['raw-go1.24-range-cpu.txt', 'pprof-raw', CPU, 'cpu'],
  ];
  for (const [file, format, source, type] of cases) {
    it(`${file}: read as ${format}, diagnosed like ${source}`, () => {
      const j = analyzeStdin(paste(file), ['--sample-index', type]);
      expect(j.profile.format).toBe(format);
      const want = topOf(source, type);
      const got = j.diagnoses[0]?.id ?? 'none';
      if (file.startsWith('peek') || file.startsWith('list')) {
        // Reports of selected functions: the same rule, or nothing when its frames were not selected.
        expect([want, 'none']).toContain(got);
      } else {
        expect(got).toBe(want);
      }
    });
  }

  it('the tree report says it is a tree when the command is pasted with it', () => {
    const j = analyzeStdin(`$ go tool pprof -tree cpu.pb.gz\n${paste('tree-go1.24-range-cpu.txt')}`);
    expect(j.profile.format).toBe('pprof-tree');
  });

  it('headerless debug=1 heap records from a scrolled terminal', () => {
    const lines = readFileSync(join(root, 'samples/etcd-3.4.23/many-watchers/heap.debug1.txt'), 'utf8').split('\n');
    const j = analyzeStdin(`> ${lines.slice(7, 400).join('\n> ')}\n`);
    expect(j.profile.format).toBe('heap-text');
    expect(j.profile.notes[0]).toMatch(/No header/);
  });

  it('a debug=2 dump from journald, in a Markdown fence', () => {
    const dump = readFileSync(join(root, 'samples/etcd-3.4.23/many-watchers/goroutine.debug2.txt'), 'utf8');
    const logged = dump
      .split('\n')
      .map((l) => `Apr 26 18:18:57 node-3 etcd[412644]: ${l}`)
      .join('\n');
    const j = analyzeStdin(`\`\`\`\n${logged}\n\`\`\`\n`);
    expect(j.profile.format).toBe('goroutine-dump');
    expect(j.diagnoses[0]?.id ?? 'none').toBe(
      topOf('samples/etcd-3.4.23/many-watchers/goroutine.debug2.txt', 'goroutine'),
    );
  });

  for (const f of ['weblist-go1.24.html', 'weblist-go1.19.copied.txt']) {
    it(`a weblist page (${f}): read as a list report, no stacks`, () => {
      const j = analyzeStdin(readFileSync(join(root, 'test/fixtures/weblist', f), 'utf8'));
      expect(j.profile.format).toBe('pprof-list');
      expect(j.profile.hasStacks).toBe(false);
    });
  }

  it('an old "Total: N MB" table', () => {
    const j = analyzeStdin(
      'Total: 12.5 MB\n     4.0  32.0%  32.0%      4.9  39.2% go.etcd.io/etcd/mvcc.(*watchableStore).watch\n',
    );
    expect(j.profile.format).toBe('top-table');
    expect(j.profile.hasStacks).toBe(false);
  });

  it('text that is no profile: one line naming the forms read', () => {
    const r = runCli(['analyze', '-'], 'just some words\nand more\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/<stdin>: not a pprof profile: .*it reads .*peek\/tree\/list\/traces\/raw/);
  });
});
