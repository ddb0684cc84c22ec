/**
 * Words and numbers shared by the Markdown and HTML reports (and free for the text renderer): the
 * summary line, the process and version description, shares in pprof's percentage format, the
 * "fixed in" cell. Everything is derived from the `AnalysisReport`; nothing depends on the clock,
 * so reports are deterministic.
 *
 * Environment-neutral: no Node-only imports.
 */
import type {
  AnalysisReport,
  Diagnosis,
  Evidence,
  LineFigure,
  ProcessSummary,
  RuledOut,
  VersionSummary,
} from '../diagnosis/report.js';
import type { Severity } from '../diagnosis/schema.js';
import { percentage } from '../profile/units.js';

export const SEVERITY_ORDER: Severity[] = ['critical', 'warning', 'info'];

/** A 0–1 share in pprof's percentage format, trimmed: `42.15%`, `0.99%`, `0.017%`, `100%`. */
export function shareText(share: number): string {
  return percentage(share, 1).trim();
}

/** A percentage (0–100) in pprof's format, trimmed. */
export function percentText(pct: number): string {
  return percentage(pct, 100).trim();
}

export function confidenceText(c: number): string {
  return `${Math.round(100 * c)}%`;
}

const KIND_WORDS: Record<ProcessSummary['kind'], string> = {
  'etcd-server': 'etcd server',
  'etcd-client': 'etcd client application',
  'etcd-embedder': 'program embedding etcd',
  'other-go': 'Go program (not etcd)',
  unknown: 'unknown process',
};

function versionText(what: string, v: VersionSummary | null): string | undefined {
  if (!v) return undefined;
  return `${what} ${v.label} (${v.source})`;
}

/** "etcd server, leader · etcd 3.4.2 – 3.4.x (inferred) · Go ≥ 1.13.0 (inferred)". */
export function processLine(p: ProcessSummary): string {
  let kind = KIND_WORDS[p.kind];
  if (p.role !== 'unknown') kind += `, ${p.role}`;
  if (p.flavor) kind += ` (${p.flavor})`;
  return [kind, versionText('etcd', p.etcdVersion), versionText('Go', p.goVersion)].filter(Boolean).join(' · ');
}

/** The "fixed in" cell: etcd versions, or why there are none. */
export function fixedInText(d: Pick<Diagnosis, 'fixedIn' | 'affected' | 'goAffected' | 'goAffectedLabel'>): string {
  if (d.fixedIn.length > 0) return d.fixedIn.join(', ');
  if (d.affected) return 'no fixed release';
  if (d.goAffected) return `Go outside ${d.goAffectedLabel ?? d.goAffected}`;
  return 'n/a (design behaviour)';
}

export function countBySeverity(ds: { severity: Severity }[]): Record<Severity, number> {
  const out: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const d of ds) out[d.severity]++;
  return out;
}

/** "1 critical", "2 warnings", "3 info". */
export function severityCount(s: Severity, n: number): string {
  return `${n} ${s === 'warning' && n !== 1 ? 'warnings' : s}`;
}

/** Where a detector fired: "heap.pb.gz (heap, inuse_space)", "cpu.pb.gz (cpu)". */
export function firedOnText(f: { profile: string; profileKind: string; sampleType: string }): string {
  const base = /[^/\\]+$/.exec(f.profile)?.[0] ?? f.profile;
  return f.profileKind === f.sampleType ? `${base} (${f.profileKind})` : `${base} (${f.profileKind}, ${f.sampleType})`;
}

/** One sentence: what was found, on what. */
export function summaryLine(r: AnalysisReport): string {
  const n = r.diagnoses.length;
  const what = r.profiles.length > 1 ? `${r.profiles.length} profiles` : r.profile.name;
  if (n === 0) {
    // `top --format html` renders this page without rules.
    if (r.rulesEvaluated === 0) return `No rules were evaluated on ${what}.`;
    return `No known problem matched ${what} (${r.rulesEvaluated} rules evaluated, ${r.ruledOut.length} ruled out).`;
  }
  const c = countBySeverity(r.diagnoses);
  const parts = SEVERITY_ORDER.filter((s) => c[s] > 0).map((s) => severityCount(s, c[s]));
  const first = r.diagnoses[0]!;
  return `${n} ${n === 1 ? 'finding' : 'findings'} (${parts.join(', ')}) in ${what}; most likely: ${first.title} (${first.severity}, confidence ${confidenceText(first.confidence)}).`;
}

const BECAUSE_WORDS: Record<RuledOut['because'], string> = {
  version: 'version',
  process: 'wrong process',
  exclusion: 'excluded by a frame',
  insufficient: 'not enough data',
};

export function becauseText(b: RuledOut['because']): string {
  return BECAUSE_WORDS[b];
}

const ROLE_WORDS: Record<Evidence['role'], string> = {
  require: 'required',
  support: 'supporting',
  exclude: 'excluding',
};

export function roleText(e: Evidence): string {
  return ROLE_WORDS[e.role];
}

/** "cum 873.55s (42.15%), flat 764.38s (36.88%) of 2072.40s cpu". */
export function figuresText(
  e: Pick<Evidence, 'flat' | 'cum' | 'flatText' | 'cumText' | 'flatShare' | 'cumShare' | 'totalText' | 'sampleType'>,
): string {
  const parts: string[] = [];
  parts.push(`cum ${e.cumText} (${shareText(e.cumShare)})`);
  if (e.flat !== 0) parts.push(`flat ${e.flatText} (${shareText(e.flatShare)})`);
  return `${parts.join(', ')} of ${e.totalText} ${e.sampleType}`;
}

/** Seconds as pprof prints a duration: `30s`, `158.63s`. */
export function secondsText(s: number): string {
  let t = s.toFixed(2);
  if (t.endsWith('.00')) t = t.slice(0, -3);
  return `${t}s`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Collection time (ns since the epoch) as `2026-11-21 14:15:31 UTC`; '' when unknown. */
export function timeText(timeNanos: number): string {
  if (!timeNanos) return '';
  const d = new Date(Math.floor(timeNanos / 1e6));
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

/** Only http(s) links are rendered as links (rule files are user input). */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\/[^\s<>"']+$/i.test(url) ? url : undefined;
}

/** The last path element of an input name, for titles and labels (`/` or `\\` separated). */
/** `main.go:26` for a hottest line of a list paste (the file's last path element). */
export function lineLabel(l: LineFigure): string {
  return `${baseName(l.file)}:${l.line}`;
}

/** `flat 1.97MB (72.1%), cum 1.97MB (72.1%)` for a hottest line. */
export function lineFiguresText(l: LineFigure): string {
  return `flat ${l.flatText} (${percentText(100 * l.flatShare)}), cum ${l.cumText} (${percentText(100 * l.cumShare)})`;
}

export function baseName(s: string): string {
  const m = /[^/\\]+$/.exec(s);
  return m ? m[0] : s;
}

/**
 * The number shown for each diagnosis, in report order: causes and findings on their own 1, 2, 3;
 * a consequence under its cause 1.1, 1.2 (and 1.1.1 under a consequence).
 */
export function diagnosisNumbers(ds: readonly Pick<Diagnosis, 'id' | 'explainedBy'>[]): string[] {
  const byId = new Map<string, string>();
  const childCount = new Map<string, number>();
  let roots = 0;
  return ds.map((d) => {
    const parent = d.explainedBy !== undefined ? byId.get(d.explainedBy) : undefined;
    let n: string;
    if (parent === undefined) n = String(++roots);
    else {
      const k = (childCount.get(parent) ?? 0) + 1;
      childCount.set(parent, k);
      n = `${parent}.${k}`;
    }
    byId.set(d.id, n);
    return n;
  });
}

/** "a consequence of 1 (backend-concurrent-readtx-buffer-copy)", or undefined for a cause. */
export function consequenceText(
  d: Pick<Diagnosis, 'explainedBy'>,
  ds: readonly Pick<Diagnosis, 'id' | 'explainedBy'>[],
  numbers: readonly string[],
): string | undefined {
  if (d.explainedBy === undefined) return undefined;
  const i = ds.findIndex((x) => x.id === d.explainedBy);
  return `a consequence of ${i >= 0 ? `${numbers[i]} ` : ''}(${d.explainedBy})`;
}
