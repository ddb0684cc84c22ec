/**
 * The header `go tool pprof` prints above its text reports (top, peek, tree, traces, list):
 *
 *   File: etcd
 *   Build ID: 1c7d76a9f3bb327ea515919c8180a9a16b51ca91
 *   Type: inuse_space
 *   Time: Nov 21, 2026 at 2:26pm (UTC)
 *   Duration: 8.06s, Total samples = 2.25s (27.91%)
 *   Showing nodes accounting for 13500.88kB, 100% of 13500.88kB total
 *
 * Read from any lines of a paste (the first of each kind wins); shared by the report importers.
 * Environment-neutral.
 */
import { type Dimension, parseValue } from './units.js';

export interface ReportHeader {
  /** The header lines as printed (bounded), for display and process inference (`File: etcd`). */
  lines: string[];
  sampleType?: string;
  /** "of X total", else "Total samples = X", else `list`'s "Total: X". */
  total?: number;
  totalDim?: Dimension;
  durationNanos: number;
}

/** pprof before Go 1.10: `538.93MB of 562.15MB total (95.87%)`. */
const OLD_SHOWING_RE = /^\S+ of (\S+) total \(\S+%\)$/;
const HEADER_RE = /^(?:File|Build ID|Type|Time|Duration|Showing|Dropped|Active filters|Total):/;

export function readReportHeader(lines: readonly string[], from = 0, to = lines.length): ReportHeader {
  const h: ReportHeader = { lines: [], durationNanos: 0 };
  let totalSamples: { value: number; dimension?: Dimension } | undefined;
  let listTotal: { value: number; dimension?: Dimension } | undefined;
  for (let i = from; i < to; i++) {
    const t = lines[i]!.trim();
    if (t.length === 0 || t.length > 400) continue;
    const old = OLD_SHOWING_RE.exec(t);
    if (!HEADER_RE.test(t) && !t.startsWith('Showing ') && !old) continue;
    if (h.lines.length < 20) h.lines.push(t);
    let m = /^Type: (\S+)/.exec(t);
    if (m && h.sampleType === undefined) h.sampleType = m[1]!;
    const showing = /^Showing nodes accounting for \S+, \S+% of (\S+) total/.exec(t)?.[1] ?? old?.[1];
    if (showing && h.total === undefined) {
      const v = parseValue(showing);
      if (v) {
        h.total = v.value;
        h.totalDim = v.dimension;
      }
    }
    m = /^Duration: ([^,\s]+)(?:, Total samples = (\S+))?/.exec(t);
    if (m) {
      const d = parseValue(m[1]!);
      if (d?.dimension === 'nanoseconds') h.durationNanos = d.value;
      if (m[2]) totalSamples ??= parseValue(m[2]);
    }
    m = /^Total: (\S+)$/.exec(t);
    if (m) listTotal ??= parseValue(m[1]!);
  }
  const fallback = totalSamples ?? listTotal;
  if (h.total === undefined && fallback) {
    h.total = fallback.value;
    h.totalDim = fallback.dimension;
  }
  return h;
}
