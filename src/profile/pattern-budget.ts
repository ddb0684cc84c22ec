/**
 * What a regex may cost to compile, checked before re2js compiles it. re2js matches in linear
 * time, but compiling is proportional to the size of the program, and counted repetitions
 * multiply it: `\pL{1000}` repeated a thousand times (9 KB, carried as a profile's drop_frames)
 * took ~40 s and 7 GB; a 17,000-character literal takes ~0.4 s. Measured with re2js 2.x on this
 * project's 2-core VM: ~25-50 µs per program instruction (`a{1000}` 50-95 ms).
 *
 * The estimate walks the pattern once: every literal, class or escape is one instruction (a
 * Unicode class `\pL` / `\p{Greek}` or `.` a few), a group costs what it holds, and `{n}` / `{n,m}`
 * multiplies the atom or group before it by its largest count. It over-estimates a little (it
 * ignores what the compiler simplifies), which is what a budget should do.
 *
 * Environment-neutral.
 */

/** Longest pattern compiled. */
export const MAX_PATTERN_CHARS = 4096;
/** Largest estimated program (instructions) compiled: ~0.1-0.25 s at the rates above. */
export const MAX_PATTERN_COST = 5000;

/** Estimated program size of `pattern` (RE2 syntax), saturating at 1e12. */
export function patternCost(pattern: string): number {
  const CAP = 1e12;
  // One frame per open group: the cost of what it holds so far, and of its last item.
  const stack: { total: number; last: number }[] = [{ total: 0, last: 0 }];
  let top = stack[0]!;
  const add = (c: number) => {
    top.total = Math.min(CAP, top.total + c);
    top.last = c;
  };
  const n = pattern.length;
  for (let i = 0; i < n; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1];
      i++;
      if (e === 'p' || e === 'P') {
        if (pattern[i + 1] === '{') {
          const close = pattern.indexOf('}', i + 1);
          i = close < 0 ? n : close;
        } else i++;
        add(4);
      } else if (e === 'Q') {
        const end = pattern.indexOf('\\E', i + 1);
        const stop = end < 0 ? n : end;
        add(stop - i - 1);
        i = end < 0 ? n : end + 1;
      } else if (e === 'd' || e === 'D' || e === 'w' || e === 'W' || e === 's' || e === 'S') {
        add(2);
      } else {
        add(1);
      }
    } else if (c === '[') {
      // A class: one instruction, plus its Unicode classes.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      let cost = 1;
      while (j < n && pattern[j] !== ']') {
        if (pattern[j] === '\\') {
          if (pattern[j + 1] === 'p' || pattern[j + 1] === 'P') cost += 4;
          j += 2;
        } else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const close = pattern.indexOf(':]', j + 2);
          j = close < 0 ? n : close + 2;
          cost += 1;
        } else j++;
      }
      i = j;
      add(cost);
    } else if (c === '(') {
      top = { total: 0, last: 0 };
      stack.push(top);
      // (?flags) / (?:  / (?P<name> : skip to the group body.
      if (pattern[i + 1] === '?') {
        let j = i + 2;
        while (j < n && pattern[j] !== ':' && pattern[j] !== ')' && pattern[j] !== '>') j++;
        if (pattern[j] === ':' || pattern[j] === '>') i = j;
      }
    } else if (c === ')') {
      if (stack.length > 1) {
        const inner = stack.pop()!;
        top = stack[stack.length - 1]!;
        add(inner.total + 1);
      }
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 24));
      if (m) {
        const count = Math.max(1, Number(m[1]), m[2] ? Number(m[2]) : 0);
        const repeated = Math.min(CAP, top.last * count);
        top.total = Math.min(CAP, top.total - top.last + repeated);
        top.last = repeated;
        i += m[0].length - 1;
      } else add(1);
    } else if (c === '*' || c === '+' || c === '?') {
      top.total = Math.min(CAP, top.total + 1);
    } else if (c === '|') {
      top.total = Math.min(CAP, top.total + 1);
      top.last = 0;
    } else if (c === '.') {
      add(4);
    } else {
      add(1);
    }
  }
  let total = 0;
  for (const f of stack) total = Math.min(CAP, total + f.total);
  return total;
}

function grouped(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Why `pattern` is over budget (a short phrase), or undefined when it may be compiled. */
export function patternOverBudget(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_CHARS) {
    return `pattern of ${grouped(pattern.length)} characters is longer than ${grouped(MAX_PATTERN_CHARS)}`;
  }
  const cost = patternCost(pattern);
  if (cost > MAX_PATTERN_COST) {
    return `pattern too complex to compile (about ${cost >= 1e12 ? 'over 10^12' : grouped(cost)} instructions with its repetitions counted, over ${grouped(MAX_PATTERN_COST)})`;
  }
  return undefined;
}
