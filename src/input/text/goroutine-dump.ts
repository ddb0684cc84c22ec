/**
 * Goroutine dumps: `/debug/pprof/goroutine?debug=2`, panic and `fatal error` tracebacks, SIGQUIT
 * dumps (`kill -QUIT`), in the formats of Go 1.5 to today:
 *
 *   goroutine 27 [chan receive, 5 minutes, locked to thread]:
 *   main.recvOne(...)
 *   	/src/main.go:94
 *   main.chanWorker(0xc00003f7b8?)
 *   	/src/main.go:98 +0x27 [fp=… sp=… pc=…]
 *   created by main.park [in goroutine 1]
 *   	/src/main.go:188 +0x57
 *
 * Goroutines with the same stack, wait reason, minutes blocked, creator and thread lock are one
 * sample of type goroutine/count whose value is how many there are. Labels:
 *  - `state`: the wait reason or status (`chan receive`, `select`, `IO wait`, `semacquire`, `running`…);
 *  - `wait_minutes` (numeric, unit `minutes`): the minutes the runtime printed, 0 when it printed
 *    none (blocked under a minute, or not yet seen blocked by a GC). This is part of the grouping
 *    key — one sample per distinct value, not a maximum — so "blocked ≥ 30 minutes" can be counted
 *    exactly;
 *  - `created_by`: the function that started the goroutine (not a frame: the goroutine proto
 *    profile does not show the creator, and stacks should match it);
 *  - `locked_to_thread` = `true` when the header says so.
 * Argument lists are stripped (`main.f(0xc000012345, 0x1)` → `main.f`); file and line are kept.
 * Frames printed with `(...)` are inlined; they join the next physical frame in one Location, as
 * the proto writer groups inlined frames. `runtime.goexit` frames are dropped, as the proto writer
 * drops them. Goroutine 0 blocks (the system stack of the thread that took a signal) are skipped:
 * they are not goroutines. Panic/fatal/SIGQUIT header lines go to `comments`; register dumps are
 * skipped.
 *
 * Differences from a goroutine proto profile of the same moment: the runtime's tracebacks (at the
 * default GOTRACEBACK level) hide unexported runtime frames — `runtime.gopark`, `runtime.selectgo`,
 * `runtime.main` … — which the proto keeps; system goroutines are hidden from both. Totals and the
 * cum of every function shown agree; flat lands on the innermost shown frame.
 *
 * Environment-neutral.
 */
import type { Label, Profile } from '../../profile/model.js';
import { ProfileBuilder, type TextFrame } from './builder.js';
import { isBlank } from './lines.js';

/** `goroutine 27 [chan receive, 5 minutes]:`, also with Go 1.23+'s `gp=… m=… mp=…` fields. */
export const GOROUTINE_HEADER_RE = /^goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)? \[([^\]]*)\]:\s*$/;
const FILE_LINE_RE =
  /^\s+(.*?):(\d+)(?: \+0x[0-9a-fA-F]+)?(?: fp=0x[0-9a-fA-F]+ sp=0x[0-9a-fA-F]+ pc=0x[0-9a-fA-F]+)?\s*$/;
const CREATED_BY_RE = /^created by (.+?)(?: in goroutine \d+)?\s*$/;
const ELIDED_RE = /^\s*\.\.\.(?:(\d+) )?(?:additional )?frames elided\.\.\.\s*$/;
const UNAVAILABLE_RE = /^\s+goroutine running on other thread; stack unavailable\s*$/;
const REGISTER_RE = /^[a-z][a-z0-9]{0,7}\s+0x[0-9a-fA-F]+\s*$/;
const MAX_COMMENTS = 20;

interface DumpFrame extends TextFrame {
  inlined: boolean;
}

interface Group {
  count: number;
  stack: number[];
  labels: Label[];
}

/** True when the text has at least one goroutine header followed by something a dump would hold. */
export function looksLikeGoroutineDump(lines: string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    if (!GOROUTINE_HEADER_RE.test(lines[i]!)) continue;
    const next = lines[i + 1];
    if (next === undefined) return true;
    if (UNAVAILABLE_RE.test(next) || ELIDED_RE.test(next)) return true;
    if (parseFunctionLine(next) !== undefined && (lines[i + 2] === undefined || FILE_LINE_RE.test(lines[i + 2]!))) {
      return true;
    }
  }
  return false;
}

/**
 * The function name of a traceback frame line, arguments removed: `pkg.(*T).m(0x1, {0x2, 0x3})`
 * → `pkg.(*T).m`; `(...)` means inlined. `undefined` when the line is not a frame line.
 */
export function parseFunctionLine(line: string): { name: string; inlined: boolean } | undefined {
  if (line.length === 0 || line[0] === ' ' || line[0] === '\t') return undefined;
  const t = line.trimEnd();
  if (!t.endsWith(')')) return undefined;
  // The argument list is the last balanced (...) group.
  let depth = 0;
  let k = t.length - 1;
  for (; k >= 0; k--) {
    const c = t[k];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) break;
    }
  }
  if (k <= 0) return undefined;
  const name = t.slice(0, k);
  if (/\s/.test(name) && !name.includes('{')) return undefined; // prose, not a Go symbol
  return { name, inlined: t.slice(k) === '(...)' };
}

export function parseGoroutineDump(lines: string[], endsWithNewline: boolean): Profile {
  const b = new ProfileBuilder(1);
  const groups = new Map<string, Group>();
  const comments: string[] = [];
  const notes: string[] = [];
  let truncated = false;
  let goroutines = 0;
  let skippedG0 = 0;
  let elided = 0;
  let unavailable = 0;
  let sawRuntimeFrame = false;

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const hm = line.startsWith('goroutine ') ? GOROUTINE_HEADER_RE.exec(line) : null;
    if (!hm) {
      const t = line.trim();
      if (t !== '' && !REGISTER_RE.test(t) && comments.length < MAX_COMMENTS) comments.push(t);
      i++;
      continue;
    }
    // One goroutine block.
    const id = Number(hm[1]);
    const frames: DumpFrame[] = [];
    let createdBy = '';
    i++;
    while (i < lines.length) {
      const l = lines[i]!;
      // Cheap first-character tests keep the regular expressions off most lines (dumps of
      // 100k goroutines run to tens of MB).
      const c = l.charCodeAt(0);
      if (l.length === 0 || isBlank(l) || (c === 0x67 /* g */ && GOROUTINE_HEADER_RE.test(l))) break;
      const cm = c === 0x63 /* c */ ? CREATED_BY_RE.exec(l) : null;
      if (cm) {
        createdBy = cm[1]!;
        i++;
        if (i < lines.length && FILE_LINE_RE.test(lines[i]!)) i++;
        continue;
      }
      if ((c === 0x2e /* . */ || c === 0x20 || c === 0x09) && ELIDED_RE.test(l)) {
        elided++;
        i++;
        continue;
      }
      if ((c === 0x20 || c === 0x09) && UNAVAILABLE_RE.test(l)) {
        unavailable++;
        i++;
        continue;
      }
      const fn = parseFunctionLine(l);
      if (!fn) break; // register dump, "exit status 2", …: the block is over
      const next = lines[i + 1];
      const fm = next === undefined ? null : FILE_LINE_RE.exec(next);
      if (fm) {
        frames.push({ name: fn.name, inlined: fn.inlined, file: fm[1]!, line: Number(fm[2]) });
        i += 2;
      } else {
        if (next === undefined && !endsWithNewline) truncated = true;
        frames.push({ name: fn.name, inlined: fn.inlined, file: '', line: 0 });
        i++;
      }
    }
    if (id === 0) {
      skippedG0++;
      continue;
    }
    goroutines++;
    const stack = toLocations(b, frames);
    if (!sawRuntimeFrame)
      sawRuntimeFrame = frames.some((f) => f.name.startsWith('runtime.') && f.name !== 'runtime.goexit');
    const { state, minutes, locked } = parseStatus(hm[2]!);
    const key = `${stack.join(',')}|${state}|${minutes}|${createdBy}|${locked}`;
    const g = groups.get(key);
    if (g) {
      g.count++;
    } else {
      const labels: Label[] = [
        { key: 'state', str: state },
        { key: 'wait_minutes', num: minutes, unit: 'minutes' },
      ];
      if (createdBy) labels.push({ key: 'created_by', str: createdBy });
      if (locked) labels.push({ key: 'locked_to_thread', str: 'true' });
      groups.set(key, { count: 1, stack, labels });
    }
  }

  for (const g of groups.values()) b.addSample([g.count], g.stack, g.labels);
  if (!endsWithNewline && lines.length > 0 && !isBlank(lines[lines.length - 1]!)) {
    truncated = true;
  }
  if (truncated) notes.push('The dump ends in the middle of a goroutine; what was read is kept.');
  notes.push(`${goroutines} goroutines in ${groups.size} distinct stacks.`);
  if (skippedG0 > 0) notes.push('Goroutine 0 (the system stack of the thread that took the signal) is not counted.');
  if (elided > 0)
    notes.push(`${elided} stack(s) were cut by the runtime ("frames elided"): their root frames are missing.`);
  if (unavailable > 0) notes.push(`${unavailable} goroutine(s) were running on another thread: no stack.`);
  if (!sawRuntimeFrame && goroutines > 0) {
    notes.push(
      'Go tracebacks hide runtime-internal frames (runtime.gopark, runtime.selectgo, …): each stack starts at the ' +
        'first non-runtime function, where a proto goroutine profile would show runtime.gopark.',
    );
  }
  const p = b.profile('goroutine-dump', [{ type: 'goroutine', unit: 'count' }], notes, truncated);
  p.periodType = { type: 'goroutine', unit: 'count' };
  p.period = 1;
  p.comments = comments;
  return p;
}

/** Groups `(...)` (inlined) frames with the physical frame below them, drops runtime.goexit. */
function toLocations(b: ProfileBuilder, frames: DumpFrame[]): number[] {
  const out: number[] = [];
  let group: DumpFrame[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const key = group.map((f) => `${f.name}\u0000${f.file}\u0000${f.line}`).join('\u0001');
    out.push(b.location(key, 0, group));
    group = [];
  };
  for (const f of frames) {
    if (f.name === 'runtime.goexit') continue;
    group.push(f);
    if (!f.inlined) flush();
  }
  flush();
  return out;
}

/** `chan receive, 5 minutes, locked to thread` → its parts. */
function parseStatus(s: string): { state: string; minutes: number; locked: boolean } {
  let minutes = 0;
  let locked = false;
  const rest: string[] = [];
  for (const part of s.split(',')) {
    const t = part.trim();
    const mm = /^(\d{1,15}) minutes$/.exec(t); // more digits: not a number the runtime prints
    if (mm) minutes = Number(mm[1]);
    else if (t === 'locked to thread') locked = true;
    else if (t !== '') rest.push(t);
  }
  return { state: rest.join(', '), minutes, locked };
}
