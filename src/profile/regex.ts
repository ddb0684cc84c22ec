/**
 * The regex engine for user patterns: re2js, a JavaScript port of RE2 — Go's regexp syntax, and
 * linear-time matching, so a hostile pattern cannot hang the tool. Importing this module
 * registers it with ./filter.ts; commands import it only when a pattern is used, which keeps
 * start-up lean (re2js is ~260 kB of JavaScript).
 *
 * Environment-neutral: no Node-only imports.
 */
import { RE2JS } from 're2js';
import { type Matcher, setRegexEngine } from './filter.js';

/** Compiles a Go (RE2) regular expression; `test` is an unanchored search like Go's MatchString. */
export function re2(pattern: string): Matcher {
  const re = RE2JS.compile(pattern);
  return { source: pattern, test: (s: string) => re.test(s) };
}

setRegexEngine(re2);
