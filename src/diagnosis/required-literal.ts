/**
 * The longest literal text that every match of a regular expression contains: the matcher's
 * needle for a pattern whose literal pieces are too short (`{capnslog}.{any}`, `re:^math/big\.`),
 * so that one native search over the joined names finds its candidates instead of a test of
 * every name (matcher.ts, patternMask).
 *
 * Conservative by construction: it reads the source as a sequence of atoms and keeps only text
 * that no path through the expression can skip. A part it does not understand ends the current
 * run of literal text; alternation (`|`) anywhere at a level makes that level contribute nothing;
 * a quantifier that allows zero repeats drops what it applies to; look-around, back-references,
 * inline flags and the `i`/`m`/`s`/`v`-sensitive cases give no needle at all. '' when there is none.
 * Environment-neutral.
 */

/** Characters that are themselves outside a class, unescaped. */
const PLAIN = /[A-Za-z0-9 _\-/:,<>=%~!@#&'"`;]/;

interface Level {
  /** Runs of required literal text found at this level and below. */
  runs: string[];
  /** The level is exactly one literal text and nothing else (it can join its neighbours). */
  whole?: string;
}

class Bail extends Error {}

/** The longest literal every match of `source` (flags '' or 'u') contains; '' when none is known. */
export function requiredLiteral(source: string): string {
  let at = 0;

  /** An alternation up to `)` or the end. */
  const alternation = (): Level => {
    const first = sequence();
    if (source[at] !== '|') return first;
    while (source[at] === '|') {
      at++;
      sequence();
    }
    return { runs: [] };
  };

  /** Reads a quantifier at `at`, if any: 'optional' (may repeat zero times), 'repeated' (≥ 1), or undefined. */
  const quantifier = (): 'optional' | 'repeated' | undefined => {
    const c = source[at];
    let q: 'optional' | 'repeated' | undefined;
    if (c === '?' || c === '*') {
      q = 'optional';
      at++;
    } else if (c === '+') {
      q = 'repeated';
      at++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(at, at + 24));
      if (!m) return undefined; // a literal brace (not valid in 'u' mode; kept literal otherwise)
      q = Number(m[1]) === 0 ? 'optional' : m[2] === undefined && Number(m[1]) === 1 ? undefined : 'repeated';
      at += m[0].length;
    }
    if (q !== undefined && source[at] === '?') at++; // lazy
    return q;
  };

  /** A sequence of atoms up to `|`, `)` or the end. */
  const sequence = (): Level => {
    const runs: string[] = [];
    let run = '';
    let onlyLiteral = true;
    const end = () => {
      if (run) runs.push(run);
      run = '';
    };
    while (at < source.length && source[at] !== '|' && source[at] !== ')') {
      const c = source[at]!;
      if (c === '(') {
        at++;
        if (source[at] === '?') {
          if (source[at + 1] !== ':') throw new Bail(); // look-around, named groups, inline flags
          at += 2;
        }
        const inner = alternation();
        if (source[at] !== ')') throw new Bail();
        at++;
        const q = quantifier();
        onlyLiteral = onlyLiteral && q === undefined && inner.whole !== undefined;
        if (q === 'optional') {
          end();
          continue;
        }
        if (q === undefined && inner.whole !== undefined) {
          run += inner.whole;
          continue;
        }
        end();
        runs.push(...inner.runs);
        continue;
      }
      let lit: string | undefined;
      if (c === '[') {
        at++;
        if (source[at] === '^') at++;
        if (source[at] === ']') at++;
        while (at < source.length && source[at] !== ']') at += source[at] === '\\' ? 2 : 1;
        if (at >= source.length) throw new Bail();
        at++;
      } else if (c === '\\') {
        const e = source[at + 1];
        if (e === undefined) throw new Bail();
        if (/[0-9]/.test(e) || e === 'k') throw new Bail(); // back-references
        at += 2;
        if (!/[A-Za-z]/.test(e))
          lit = e; // an escaped punctuation character is itself
        else if (e === 'c' || e === 'x' || e === 'u' || e === 'p' || e === 'P') throw new Bail();
      } else {
        at++;
        if (PLAIN.test(c)) lit = c;
        else if (c !== '.' && c !== '^' && c !== '$') throw new Bail();
      }
      const q = quantifier();
      if (lit !== undefined && q === undefined) {
        run += lit;
        continue;
      }
      onlyLiteral = false;
      if (lit !== undefined && q === 'repeated') run += lit; // at least once: it ends the run
      end();
    }
    const whole = onlyLiteral && runs.length === 0 ? run : undefined;
    end();
    return whole !== undefined ? { runs, whole } : { runs };
  };

  try {
    const top = alternation();
    if (at !== source.length) return '';
    return top.runs.reduce((best, r) => (r.length > best.length ? r : best), '');
  } catch (err) {
    if (err instanceof Bail) return '';
    throw err;
  }
}
