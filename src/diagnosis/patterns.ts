/**
 * Frame patterns: how a rule names the functions it looks for.
 *
 * A pattern is matched against a function name as `go tool pprof` prints it
 * (`go.etcd.io/etcd/mvcc.(*watchableStore).watch`). Two spellings:
 *
 *  - literal (the default): the text is matched literally against the WHOLE function name, except
 *    for `{macro}` placeholders, which expand to regular expressions. `(`, `*`, `.` are literal,
 *    so a rule author copies a frame from a profile and replaces its package path with a macro:
 *    `{etcd}/mvcc.(*watchableStore).watch`, `{grpc}/transport.(*recvBuffer).put`.
 *  - regex: `re:` followed by an RE2 regular expression (the subset JavaScript also accepts: no
 *    look-around, no back-references), unanchored unless the author anchors it. Macros expand in
 *    regexes too: `re:^{etcd}/mvcc\.\(\*treeIndex\)\.(Range|Revisions)`.
 *
 * etcd's packages are named by their path in 3.4 (`{etcd}/mvcc`, `{etcd}/mvcc/backend`,
 * `{etcd}/etcdserver/api/v3rpc`) or by a package macro (`{raft}`, `{etcdserverpb}`, `{clientv3}`), and
 * match every spelling etcd used (etcd-packages.ts): 3.0–3.3 `github.com/coreos/etcd/...` (the
 * 3.0–3.3.13 binary under `github.com/coreos/etcd/cmd/vendor/`), 3.4 `go.etcd.io/etcd/...`, the 3.5+
 * modules (`go.etcd.io/etcd/server/v3/mvcc`, `go.etcd.io/etcd/api/v3/etcdserverpb`, 3.6
 * `go.etcd.io/etcd/server/v3/storage/backend`, `go.etcd.io/raft/v3`), GOPATH builds of 3.5+ such as
 * Debian's (`go.etcd.io/etcd/server/mvcc`, `go.etcd.io/etcd/api/etcdserverpb`), and copies vendored
 * into other programs (`k8s.io/kubernetes/vendor/github.com/coreos/etcd/...`).
 *
 * Environment-neutral (no Node imports).
 */
import { requiredLiteral } from './required-literal.js';
import { RE2JS } from 're2js';
import { patternOverBudget } from '../profile/pattern-budget.js';
import { alternation, packageSpellings, rootSpellings } from './etcd-packages.js';

/** Optional vendoring prefix: any path ending in `/vendor/` (GOPATH vendoring, `cmd/vendor`). */
const VENDOR = '(?:[A-Za-z0-9_.~%+-]+(?:/[A-Za-z0-9_.~%+-]+)*/vendor/)?';

/** A regex fragment for one etcd package (by its 3.4 path) in every spelling, vendored or not. */
const etcdPackageCache = new Map<string, string>();
function etcdPackage(path: string): string {
  let re = etcdPackageCache.get(path);
  if (re === undefined) {
    re = `{vendor}${alternation(packageSpellings(path))}`;
    // bounded: the paths come from rule files, a user's among them
    if (etcdPackageCache.size < 1000) etcdPackageCache.set(path, re);
  }
  return re;
}

/** `{etcd}` alone: computed on first use (as the package macros are, through etcdPackage's cache). */
let rootRegex: string | undefined;
function lazyRoot(): string {
  rootRegex ??= `{vendor}${alternation(rootSpellings())}`;
  return rootRegex;
}

/**
 * Named macros. Each expands to a regex fragment that matches a package path (no trailing dot or
 * slash), with an optional vendoring prefix. Values may reference other macros.
 */
// The etcd package macros' regexes are getters: building one (every spelling of the package,
// factored into a trie) costs more than most runs use, and a run needs few of them.
export const MACROS: Readonly<Record<string, { readonly regex: string; doc: string }>> = {
  vendor: { regex: VENDOR, doc: 'an optional vendoring prefix (`<anything>/vendor/`)' },
  etcd: {
    get regex() {
      return lazyRoot();
    },
    doc: "alone, the root of etcd's packages in every layout; followed by a 3.4 package path (`{etcd}/mvcc/backend`), that package wherever a release or build put it (3.5 `go.etcd.io/etcd/server/v3/mvcc/backend`, Debian's `go.etcd.io/etcd/server/mvcc/backend`, 3.6 `go.etcd.io/etcd/server/v3/storage/backend`, …)",
  },
  clientv3: {
    get regex() {
      return etcdPackage('clientv3');
    },
    doc: 'the etcd v3 Go client package: `github.com/coreos/etcd/clientv3` (≤3.3), `go.etcd.io/etcd/clientv3` (3.4), `go.etcd.io/etcd/client/v3` (3.5+), vendored or not',
  },
  raft: {
    get regex() {
      return etcdPackage('raft');
    },
    doc: "etcd's raft library: `github.com/coreos/etcd/raft`, `go.etcd.io/etcd/raft` (3.4, and 3.5 GOPATH builds), `go.etcd.io/etcd/raft/v3` (3.5), `go.etcd.io/raft/v3` (3.6)",
  },
  raftpb: {
    get regex() {
      return etcdPackage('raft/raftpb');
    },
    doc: 'the raft protobuf package (`{raft}/raftpb`)',
  },
  mvccpb: {
    get regex() {
      return etcdPackage('mvcc/mvccpb');
    },
    doc: 'the mvcc key-value protobuf package (`.../mvcc/mvccpb`, 3.5+ `go.etcd.io/etcd/api/v3/mvccpb`)',
  },
  etcdserverpb: {
    get regex() {
      return etcdPackage('etcdserver/etcdserverpb');
    },
    doc: 'the etcd server protobuf package (3.5+ `go.etcd.io/etcd/api/v3/etcdserverpb`)',
  },
  v3rpc: {
    get regex() {
      return etcdPackage('etcdserver/api/v3rpc');
    },
    doc: 'the v3 gRPC service package (`{etcd}/etcdserver/api/v3rpc`)',
  },
  rafthttp: {
    get regex() {
      return etcdPackage('etcdserver/api/rafthttp');
    },
    doc: 'the peer transport (`rafthttp` ≤3.3, `etcdserver/api/rafthttp` 3.4+)',
  },
  v2store: {
    get regex() {
      return etcdPackage('etcdserver/api/v2store');
    },
    doc: 'the v2 store (`store` ≤3.3, `etcdserver/api/v2store` 3.4+)',
  },
  grpc: {
    regex: String.raw`{vendor}google\.golang\.org/grpc(?:/internal)?`,
    doc: 'grpc-go; `{grpc}/transport` matches both `grpc/transport` (≤1.7, etcd ≤3.3.13) and `grpc/internal/transport`',
  },
  bbolt: {
    regex: String.raw`{vendor}(?:github\.com/boltdb/bolt|github\.com/coreos/bbolt|go\.etcd\.io/bbolt)`,
    doc: 'bolt / bbolt: `github.com/boltdb/bolt` (≤3.2.9), `github.com/coreos/bbolt` (3.2.10–3.3), `go.etcd.io/bbolt` (3.4+)',
  },
  btree: { regex: String.raw`{vendor}github\.com/google/btree`, doc: 'github.com/google/btree' },
  capnslog: { regex: String.raw`{vendor}github\.com/coreos/pkg/capnslog`, doc: 'the capnslog logger (etcd ≤3.4)' },
  zap: { regex: String.raw`{vendor}go\.uber\.org/zap`, doc: 'the zap logger' },
  x: { regex: String.raw`{vendor}golang\.org/x`, doc: 'golang.org/x (e.g. `{x}/net/http2`), vendored or not' },
  any: { regex: '.*', doc: 'any text, possibly empty' },
  n: { regex: '[0-9]+', doc: 'a decimal number (closure suffixes such as `func{n}`)' },
  id: { regex: '[A-Za-z0-9_]+', doc: 'one Go identifier' },
};

const MACRO_RE = /\{([a-z0-9]+)\}/g;
/** A macro, or `{etcd}/` followed by a package path (one token: the path is part of the macro). */
const TOKEN_RE = /\{etcd\}\/[A-Za-z0-9_]+(?:\/[A-Za-z0-9_]+)*|\{([a-z0-9]+)\}/g;

/** Thrown with a plain message; the loader adds file and field. */
export class PatternError extends Error {}

function expandMacros(text: string, depth = 0): string {
  if (depth > 5) throw new PatternError('macro expansion too deep');
  return text.replace(TOKEN_RE, (token: string, name?: string) => {
    if (name === undefined) return `(?:${expandMacros(etcdPackage(token.slice('{etcd}/'.length)), depth + 1)})`;
    const macro = MACROS[name];
    if (!macro) {
      throw new PatternError(`unknown macro {${name}} (known: ${Object.keys(MACROS).join(', ')})`);
    }
    return `(?:${expandMacros(macro.regex, depth + 1)})`;
  });
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^$()|[\]\\/]/g, (c) => `\\${c}`);
}

/** The regex source a pattern stands for (macros expanded). Throws PatternError. */
export function patternSource(pattern: string): string {
  if (pattern.startsWith('re:')) {
    const body = pattern.slice(3);
    if (body.length === 0) throw new PatternError('empty regex');
    return expandMacros(body);
  }
  // Literal: escape everything between macros, expand macros, anchor both ends.
  let out = '';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN_RE)) {
    out += escapeRegex(pattern.slice(last, m.index));
    out += expandMacros(m[0]);
    last = m.index! + m[0].length;
  }
  out += escapeRegex(pattern.slice(last));
  if (/[{}]/.test(pattern.slice(last)) || /\{[^}]*$/.test(pattern)) {
    // a stray brace in literal text is almost certainly a typo'd macro
    throw new PatternError(`unbalanced '{' or '}' in pattern (macros look like {etcd})`);
  }
  return `^${out}$`;
}

/**
 * A literal every name the pattern matches contains, for a native search before the regex (see
 * matcher.ts): the longest literal piece of a literal pattern (text between macros), else — when
 * that is under 3 characters, or for `re:` patterns — the longest literal the expanded regex
 * requires (required-literal.ts; `re:^math/big\.` → `math/big.`, `{capnslog}.{any}` → the
 * capnslog package path). Undefined when there is none of 3 characters or more.
 */
export function patternNeedle(pattern: string): string | undefined {
  let best = '';
  if (!pattern.startsWith('re:')) {
    for (const piece of pattern.split(TOKEN_RE).filter((_, i) => i % 2 === 0))
      if (piece.length > best.length) best = piece;
  }
  if (best.length < 3) {
    let source: string;
    try {
      source = patternSource(pattern);
    } catch {
      return undefined;
    }
    const required = requiredLiteral(source);
    if (required.length > best.length) best = required;
  }
  return best.length >= 3 ? best : undefined;
}

/**
 * One of the engine's own fixed patterns (context inference, models), compiled natively — they are
 * ours, not a user's, so no RE2 check — and only when first used: a run that never asks about
 * leader work or watch streams does not build their regexes.
 */
export function fixedPattern(pattern: string): { pattern: string; readonly regex: RegExp; readonly needle?: string } {
  let regex: RegExp | undefined;
  let needle: string | undefined | null = null;
  return {
    pattern,
    get regex() {
      regex ??= new RegExp(patternSource(pattern));
      return regex;
    },
    get needle() {
      if (needle === null) needle = patternNeedle(pattern);
      return needle;
    },
  };
}

/**
 * A RegExp whose `test`/`exec` run on re2js: linear time in the input, whatever the pattern. A rule
 * author's regex (`re:` patterns, label filters) may come from a user's `--rules DIR`, and even a
 * pattern without back-references can backtrack exponentially in JavaScript's engine (`(x+x+)+y`
 * takes 13 s on a 28-character name there, under a millisecond here). It stays a RegExp (same
 * `source`/`flags`), so the rest of the engine and rules.json serialisation are unchanged; the
 * built-in rules, validated at build time and read back from dist/rules.json, run natively.
 */
export class LinearRegExp extends RegExp {
  readonly #re2: RE2JS;
  constructor(source: string, re2: RE2JS) {
    super(source);
    this.#re2 = re2;
  }
  override test(s: string): boolean {
    return this.#re2.test(s);
  }
  override exec(s: string): RegExpExecArray | null {
    return this.#re2.test(s) ? super.exec(s) : null;
  }
}

/**
 * Compiles a pattern. Literal patterns (escaped text and our own macros, anchored) run on the
 * JavaScript engine, which is safe for them and fastest on short names. `re:` patterns are checked
 * with RE2 (which rejects back-references and look-around) and run on re2js (`LinearRegExp`).
 */
export function compilePattern(pattern: string): RegExp {
  const source = patternSource(pattern);
  if (pattern.startsWith('re:')) {
    // Bounded before compiling: a counted repetition can make re2js's compile take seconds.
    const over = patternOverBudget(source);
    if (over) throw new PatternError(over);
    // Report errors against the author's text only (macros are ours and known good).
    try {
      RE2JS.compile(pattern.slice(3).replace(MACRO_RE, '(?:m)'));
    } catch (err) {
      throw new PatternError(`invalid regex: ${(err as Error).message}`);
    }
    try {
      return new LinearRegExp(source, RE2JS.compile(source));
    } catch (err) {
      throw new PatternError(`invalid regex: ${(err as Error).message}`);
    }
  }
  try {
    return new RegExp(source);
  } catch (err) {
    throw new PatternError(`invalid regex: ${(err as Error).message}`);
  }
}
