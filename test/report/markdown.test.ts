import { describe, expect, it } from 'vitest';
import type { AnalysisReport, Diagnosis, Evidence } from '../../src/diagnosis/report.js';
import { cell, codeBlock, codeSpan, mdLine, mdText, renderMarkdown } from '../../src/report/markdown.js';
import { buildProfile } from '../helpers/build-profile.js';

/** A GFM table row split the way GitHub splits it: on `|` not preceded by a backslash. */
function splitRow(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

const NASTY = 'google.golang.org/grpc/internal/transport.(*recvBuffer).put|<T>&_x_*y*`z`';

function evidence(over: Partial<Evidence> = {}): Evidence {
  return {
    profile: 'dir/heap.pb.gz',
    profileKind: 'heap',
    sampleType: 'inuse_space',
    unit: 'bytes',
    role: 'require',
    held: true,
    what: 'watch *buffers* | held',
    patterns: ['x'],
    threshold: 'cum ≥ 20%',
    flat: 1024,
    cum: 2048,
    total: 4096,
    flatShare: 0.25,
    cumShare: 0.5,
    flatText: '1kB',
    cumText: '2kB',
    totalText: '4kB',
    functions: [
      { name: NASTY, flat: 1024, cum: 2048, flatShare: 0.25, cumShare: 0.5, flatText: '1kB', cumText: '2kB' },
    ],
    unverified: [],
    text: 'ignored by the Markdown renderer',
    ...over,
  };
}

function diagnosis(over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    id: 'watch-memory',
    title: 'Watchers | streams *hold* memory',
    severity: 'warning',
    confidence: 0.8,
    confidenceFactors: [{ factor: 'base', delta: 0.5, why: 'a detector fired' }],
    appliesTo: ['etcd-server'],
    firedOn: [{ profile: 'dir/heap.pb.gz', profileKind: 'heap', sampleType: 'inuse_space' }],
    evidence: [evidence(), evidence({ role: 'support', held: false, functions: [] })],
    models: [],
    affected: '>=3.0.0 <3.4.10',
    affectedLabel: '3.0.0 – 3.4.9',
    fixedIn: ['3.4.10', '3.5.0'],
    goAffected: null,
    goAffectedLabel: null,
    explanation: '# not a heading\n\n1. not a list either; <script>alert(1)</script> $x$ ~~y~~',
    remediation: [
      { do: '- upgrade', command: 'etcdctl defrag --cluster\necho ```done```' },
      { do: 'set a flag', flag: '--snapshot-count=10000' },
    ],
    metrics: [{ name: 'etcd_debugging_mvcc_watcher_total', expect: 'number of watchers' }],
    references: [
      { title: 'etcd PR #11987', url: 'https://github.com/etcd-io/etcd/pull/11987' },
      { title: 'evil', url: 'javascript:alert(1)' },
    ],
    ruleFile: 'rules/etcd-server/watch-memory.yaml',
    omitted: [],
    measures: ['in-use'],
    explains: [],
    ...over,
  };
}

function report(over: Partial<AnalysisReport> = {}): AnalysisReport {
  const profile = {
    name: 'dir/heap.pb.gz',
    format: 'pprof-proto',
    kinds: ['heap' as const],
    sampleTypes: ['inuse_space/bytes'],
    sampleType: 'inuse_space',
    unit: 'bytes',
    total: 4096,
    totalText: '4kB',
    hasStacks: true,
    samples: 3,
    truncated: false,
    notes: [],
  };
  const rows = [
    {
      name: NASTY,
      flat: 2048,
      flatPercent: 50,
      sumPercent: 50,
      cum: 4096,
      cumPercent: 100,
      flatText: '2kB',
      cumText: '4kB',
    },
    {
      name: 'runtime.malg (inline)',
      flat: 1024,
      flatPercent: 25,
      sumPercent: 75,
      cum: 1024,
      cumPercent: 25,
      flatText: '1kB',
      cumText: '1kB',
    },
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'pprof-doctor', version: '9.9.9' },
    profile,
    profiles: [profile],
    process: {
      kind: 'etcd-server',
      role: 'leader',
      etcdVersion: { range: '>=3.4.0 <3.5.0', label: '3.4.x', source: 'inferred', evidence: ['go.etcd.io/etcd paths'] },
      goVersion: null,
      evidence: ['etcd server frames'],
      roleEvidence: [],
    },
    lens: {
      kind: 'in-use',
      tiers: [['in-use'], ['allocated']],
      sampleType: 'inuse_space',
      text: 'Ranked by memory in use now.',
    },
    diagnoses: [diagnosis()],
    ruledOut: [
      {
        id: 'lease-heap',
        title: 'Leases | hold memory',
        severity: 'info',
        because: 'version',
        reason: 'fixed in 3.4.6',
        evidence: [],
      },
    ],
    rulesEvaluated: 17,
    top: rows,
    tops: [
      { profile: 'dir/heap.pb.gz', sampleType: 'inuse_space', unit: 'bytes', total: 4096, totalText: '4kB', rows },
    ],
    stacks: [],
    notes: ['a note with *stars*'],
    ...over,
  };
}

describe('Markdown escaping', () => {
  it('escapes inline Markdown specials, not plain punctuation', () => {
    expect(mdText('a *b* _c_ `d` [e](f) <g> ~h~ $i$ & j.k, l-m')).toBe(
      'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\~h\\~ \\$i\\$ \\& j.k, l-m',
    );
    expect(mdText('line\nbreak   spaces')).toBe('line break spaces');
  });

  it('escapes what would open a block only at the start of a line', () => {
    expect(mdLine('# title')).toBe('\\# title');
    expect(mdLine('- item')).toBe('\\- item');
    expect(mdLine('12. item')).toBe('12\\. item');
    expect(mdLine('---')).toBe('\\---');
    expect(mdText('12. item')).toBe('12. item');
    expect(mdLine('--snapshot-count is a flag')).toBe('--snapshot-count is a flag');
    expect(mdLine('883.68MB')).toBe('883.68MB');
  });

  it('code spans hold any string, backticks included', () => {
    expect(codeSpan('(*recvBuffer).put')).toBe('`(*recvBuffer).put`');
    expect(codeSpan('a`b')).toBe('`` a`b ``');
    expect(codeSpan('``x``')).toBe('``` ``x`` ```');
  });

  it('code blocks use a fence longer than any inside', () => {
    expect(codeBlock('echo ```x```', '   ', 'sh')).toBe('   ````sh\n   echo ```x```\n   ````');
  });

  it('table cells escape every pipe, including inside code spans', () => {
    expect(cell(`${codeSpan('a|b')} c|d`)).toBe('`a\\|b` c\\|d');
    expect(splitRow(`| ${cell(codeSpan('x|y'))} | z |`)).toEqual(['`x\\|y`', 'z']);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report(), { command: "pprof-doctor analyze --format markdown 'dir/heap.pb.gz'" });
  const lines = md.split('\n');

  it('starts with a title and the summary line', () => {
    expect(lines[0]).toBe('## pprof-doctor report: heap.pb.gz');
    expect(md).toContain('1 finding (1 warning) in dir/heap.pb.gz');
    expect(md).toContain('etcd server, leader · etcd 3.4.x (inferred)');
  });

  it('has a diagnoses table with severity, cause, confidence and fixed-in columns', () => {
    const i = lines.indexOf('| # | Severity | Cause | Confidence | Fixed in |');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe('|---:|---|---|---:|---|');
    const cells = splitRow(lines[i + 2]!);
    expect(cells).toHaveLength(5);
    expect(cells[1]).toBe('🟠 warning');
    expect(cells[2]).toBe('Watchers \\| streams \\*hold\\* memory (`watch-memory`)');
    expect(cells[3]).toBe('80%');
    expect(cells[4]).toBe('3.4.10, 3.5.0');
  });

  it('keeps every table row at the header column count (pipes in names do not split cells)', () => {
    let cols = 0;
    for (const l of lines) {
      if (!l.startsWith('|')) {
        cols = 0;
        continue;
      }
      const n = splitRow(l).length;
      if (cols === 0) cols = n;
      expect(n, l).toBe(cols);
    }
  });

  it('puts frames in code spans', () => {
    // In a table the pipe is escaped even inside the span (GFM splits cells first).
    expect(md).toContain(
      '| 100% | `` google.golang.org/grpc/internal/transport.(*recvBuffer).put\\|<T>&_x_*y*`z` `` |',
    );
    // In list items the span holds the name as is.
    expect(md).toContain(
      '  - `` google.golang.org/grpc/internal/transport.(*recvBuffer).put|<T>&_x_*y*`z` `` cum 2kB, flat 1kB',
    );
    // pprof's inline marker stays outside the span.
    expect(md).toContain('| `runtime.malg` (inline) |');
  });

  it('escapes prose so nothing renders as HTML, math, headings or lists', () => {
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('\\$x\\$ \\~\\~y\\~\\~');
    expect(md).toContain('\n\\# not a heading\n');
    expect(md).toContain('\n1\\. not a list either;');
    expect(md).toContain('1. \\- upgrade');
  });

  it('renders evidence with figures, thresholds and held marks', () => {
    expect(md).toContain(
      '- ✅ required — watch \\*buffers\\* | held: cum 2kB (50.00%), flat 1kB (25.00%) of 4kB inuse\\_space (needs cum ≥ 20%) in `heap.pb.gz`',
    );
    expect(md).toContain('- ⬜ supporting — ');
  });

  it('renders remediation with commands in fenced blocks and only http(s) links', () => {
    expect(md).toContain('   ````sh\n   etcdctl defrag --cluster\n   echo ```done```\n   ````');
    expect(md).toContain('   Flag: `--snapshot-count=10000`');
    expect(md).toContain('- [etcd PR #11987](https://github.com/etcd-io/etcd/pull/11987)');
    expect(md).toContain('- evil\n');
    expect(md).not.toContain('javascript:');
  });

  it('lists what was ruled out, the top table, the profile facts and the command', () => {
    expect(md).toContain('| `lease-heap` Leases \\| hold memory | version | fixed in 3.4.6 |');
    expect(md).toContain('| flat | flat% | sum% | cum | cum% | function |');
    expect(md).toContain('| 2kB | 50.00% | 50.00% | 4kB | 100% |');
    expect(md).toContain('| `dir/heap.pb.gz` | heap | inuse\\_space | 4kB | — | — | 3 | pprof-proto |');
    expect(md).toContain("```sh\npprof-doctor analyze --format markdown 'dir/heap.pb.gz'\n```");
    expect(md).toContain('- a note with \\*stars\\*');
    expect(md.endsWith('<sub>Generated by pprof-doctor 9.9.9 (report schema 1).</sub>\n')).toBe(true);
  });

  it('is deterministic and has no stray blank-line runs', () => {
    expect(renderMarkdown(report(), { command: 'x' })).toBe(renderMarkdown(report(), { command: 'x' }));
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('says under the diagnoses table when the input cannot tell the first from another (near miss: it can)', () => {
    const r = report();
    expect(renderMarkdown(r)).not.toContain('cannot tell');
    const first = r.diagnoses[0]!;
    first.undecidedWith = ['gc-pressure'];
    const out = renderMarkdown(r);
    expect(out).toContain(`> This input cannot tell whether \`${first.id}\` comes before \`gc-pressure\` (see Notes).`);
    expect(out.indexOf('cannot tell')).toBeGreaterThan(out.indexOf('### Diagnoses'));
  });

  it('says so when nothing matched', () => {
    const none = renderMarkdown(report({ diagnoses: [], ruledOut: [] }));
    expect(none).toContain('No known problem matched dir/heap.pb.gz (17 rules evaluated, 0 ruled out).');
    expect(none).not.toContain('### Diagnoses');
  });

  it('says no rules were evaluated when there were none (the page `top --format html` shares)', () => {
    const none = renderMarkdown(report({ diagnoses: [], ruledOut: [], rulesEvaluated: 0 }));
    expect(none).toContain('No rules were evaluated on dir/heap.pb.gz.');
    expect(none).not.toContain('0 rules evaluated');
  });

  it('shows the collection time from the inputs, in UTC', () => {
    const p = buildProfile({ timeNanos: Date.UTC(2024, 0, 2, 3, 4, 5) * 1e6, samples: [[['main'], [1, 10]]] });
    const out = renderMarkdown(report(), { inputs: [{ name: 'dir/heap.pb.gz', profile: p }] });
    expect(out).toContain('| 2024-01-02 03:04:05 UTC |');
  });
});
