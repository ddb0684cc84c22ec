/**
 * Prometheus text exposition format (version 0.0.4, what etcd's /metrics serves) → samples. A small
 * strict reader: the format is line-based and fully specified; the npm parsers that exist are
 * unmaintained or read the OpenMetrics variant. Label values are unescaped (\\, \", \n); values
 * are Go floats (NaN, +Inf, -Inf). Bounded: a bad line is an error naming the line, a huge file is
 * refused. Pure code.
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromScrape {
  samples: PromSample[];
  /** `# TYPE` per metric family. */
  types: Record<string, string>;
}

export class PromParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromParseError';
  }
}

/** Largest scrape read (etcd's /metrics is ~100–300 KB; histograms of a big cluster a few MB). */
export const MAX_SCRAPE_BYTES = 64 * 1024 * 1024;
const MAX_LABELS = 64;

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(s: string): number | undefined {
  if (/^[+-]?(Inf|inf)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (s === 'NaN' || s === 'nan') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Parses one sample line; throws PromParseError with a short reason. */
function parseSampleLine(line: string): PromSample {
  const nm = NAME_RE.exec(line);
  if (!nm) throw new PromParseError('not a metric name');
  const name = nm[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    let count = 0;
    for (;;) {
      while (line[i] === ' ') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const ln = LABEL_NAME_RE.exec(line.slice(i));
      if (!ln) throw new PromParseError('bad label name');
      i += ln[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=' || line[i + 1] !== '"') throw new PromParseError(`label ${ln[0]} without ="value"`);
      i += 2;
      let v = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new PromParseError('unterminated label value');
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const n = line[i + 1];
          v += n === 'n' ? '\n' : n === '\\' ? '\\' : n === '"' ? '"' : `\\${n ?? ''}`;
          i += 2;
          continue;
        }
        v += c;
        i++;
      }
      if (++count > MAX_LABELS) throw new PromParseError(`more than ${MAX_LABELS} labels`);
      labels[ln[0]] = v;
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new PromParseError('expected , or } after a label');
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new PromParseError('expected a value');
  const value = parseValue(rest[0]!);
  if (value === undefined) throw new PromParseError(`'${rest[0]!.slice(0, 30)}' is not a number`);
  if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) throw new PromParseError('bad timestamp');
  return { name, labels, value };
}

/** Parses a whole scrape. Throws PromParseError("line N: …") on the first bad line. */
export function parsePromText(text: string): PromScrape {
  if (text.length > MAX_SCRAPE_BYTES) throw new PromParseError(`larger than ${MAX_SCRAPE_BYTES >> 20} MiB`);
  const samples: PromSample[] = [];
  const types: Record<string, string> = {};
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (m) types[m[1]!] = m[2]!;
      continue;
    }
    try {
      samples.push(parseSampleLine(line));
    } catch (err) {
      if (err instanceof PromParseError) throw new PromParseError(`line ${n + 1}: ${err.message}`);
      throw err;
    }
  }
  return { samples, types };
}

/** Does the text look like a Prometheus scrape (and not a profile)? Cheap: the first lines only. */
export function looksLikePromText(text: string): boolean {
  const head = text.slice(0, 4096).split('\n').slice(0, 20);
  return (
    head.some((l) => /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(l)) &&
    head.every((l) => l === '' || l.startsWith('#') || NAME_RE.test(l))
  );
}

/** A selector such as `grpc_server_handled_total{grpc_method="Range"}` → name and label matchers. */
export function parseSelector(sel: string): { name: string; labels: Record<string, string> } | undefined {
  try {
    const s = parseSampleLine(`${sel} 0`);
    return { name: s.name, labels: s.labels };
  } catch {
    return undefined;
  }
}

/** Sum of the samples with this name whose labels include `labels`; undefined when none. */
export function sumOf(scrape: PromScrape, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const s of scrape.samples) {
    if (s.name !== name) continue;
    if (!Object.entries(labels).every(([k, v]) => s.labels[k] === v)) continue;
    sum = (sum ?? 0) + s.value;
  }
  return sum;
}

/** The first sample of this name (for info-style metrics whose labels carry the data). */
export function firstOf(scrape: PromScrape, name: string): PromSample | undefined {
  return scrape.samples.find((s) => s.name === name);
}
