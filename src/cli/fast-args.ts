/**
 * Fast argument parsing for the common case, without loading yargs.
 *
 * Why: `import('yargs')` costs ~110 ms of CPU in a fresh process (measured with `node --cpu-prof`
 * on the 2-core bench VM, Node 20), while `import('yargs-parser')` — the parser yargs itself calls —
 * costs ~20 ms. For `pprof-doctor top large.cpu.pb.gz` (≈ 0.43 s CPU in all before this change)
 * that is a quarter of the run. yargs is still used for what it is good at: `--help` text and every
 * error message.
 *
 * How: the command's `builder` runs against a *recording* object that implements the subset of
 * yargs' `Argv` API our commands call (`option`/`options`, `positional`, `group`, `example`,
 * `epilog`/`epilogue`, `usage`, `strict`, `wrap`). The recorded aliases/types/defaults/arrays are
 * handed to yargs-parser with the configuration yargs itself uses (`parse-positional-numbers:
 * false`), positionals are filled the way yargs' command module fills them (a second parse of
 * `--name value` pairs), then `choices` and strict unknown-option checks are applied.
 *
 * Whenever anything is not the plain, valid case — `--help`, `--`, an unknown or malformed option,
 * a missing or extra positional, an invalid choice, a builder call or option property the recorder
 * does not know — {@link fastParseArgs} returns `undefined` and the caller runs full yargs, so the
 * user gets yargs' exact help and error text. test/cli/fast-args.test.ts checks that for every
 * command the fast result equals yargs' result or defers.
 */
import type { Argv } from 'yargs';
import type yargsParser from 'yargs-parser';

type Parser = typeof yargsParser;

/** A builder call or option property the recorder does not support: fall back to yargs. */
class Unsupported extends Error {}

interface OptionDef {
  type?: 'string' | 'boolean' | 'number';
  array: boolean;
  choices?: readonly unknown[];
  default?: unknown;
  hasDefault: boolean;
  alias: string[];
}

/** What a command's builder declared. */
export interface RecordedCommand {
  options: Map<string, OptionDef>;
  /** Positional names in declaration order (from the builder's .positional calls). */
  positionals: Set<string>;
}

/** Option properties that do not change parsing or validation. */
const INERT_KEYS = new Set(['describe', 'description', 'desc', 'group', 'hidden']);
const KNOWN_KEYS = new Set([...INERT_KEYS, 'type', 'array', 'choices', 'default', 'alias']);

function toDef(name: string, o: Record<string, unknown>): OptionDef {
  for (const k of Object.keys(o)) if (!KNOWN_KEYS.has(k)) throw new Unsupported(`option ${name}: ${k}`);
  const t = o.type;
  if (t !== undefined && t !== 'string' && t !== 'boolean' && t !== 'number')
    throw new Unsupported(`type ${String(t)}`);
  if (o.array !== undefined && typeof o.array !== 'boolean') throw new Unsupported('array');
  if (o.choices !== undefined && !Array.isArray(o.choices)) throw new Unsupported('choices');
  const alias = o.alias === undefined ? [] : Array.isArray(o.alias) ? o.alias.map(String) : [String(o.alias)];
  return {
    type: t,
    array: o.array === true,
    choices: o.choices as readonly unknown[] | undefined,
    default: o.default,
    hasDefault: Object.hasOwn(o, 'default'),
    alias,
  };
}

/** Runs `builder` against a recorder. Throws when the builder uses something unsupported. */
export function recordBuilder(builder: (y: Argv) => Argv): RecordedCommand {
  const rec: RecordedCommand = { options: new Map(), positionals: new Set() };
  const chain = () => proxy;
  const methods: Record<string, (...a: unknown[]) => unknown> = {
    option(name: unknown, o: unknown) {
      if (typeof name === 'object' && name !== null && o === undefined) {
        for (const [k, v] of Object.entries(name)) methods.option!(k, v);
        return proxy;
      }
      if (typeof name !== 'string' || typeof o !== 'object' || o === null) throw new Unsupported('option form');
      if (rec.options.has(name)) throw new Unsupported(`option ${name} twice`);
      rec.options.set(name, toDef(name, o as Record<string, unknown>));
      return proxy;
    },
    positional(name: unknown, o: unknown) {
      if (typeof name !== 'string' || typeof o !== 'object' || o === null) throw new Unsupported('positional form');
      rec.positionals.add(name);
      if (rec.options.has(name)) throw new Unsupported(`positional ${name} twice`);
      rec.options.set(name, toDef(name, o as Record<string, unknown>));
      return proxy;
    },
    group: chain,
    example: chain,
    epilog: chain,
    epilogue: chain,
    usage: chain,
    strict: chain,
    wrap: chain,
  };
  methods.options = methods.option!;
  // The recorder stands in for yargs' Argv; any method it does not implement throws Unsupported.
  const proxy: unknown = new Proxy(methods, {
    get(target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(target, prop)) return target[prop];
      throw new Unsupported(`builder method ${String(prop)}`);
    },
  });
  builder(proxy as Argv);
  return rec;
}

/** The `<a> [b] <c..>` words of a yargs command string, after the command name. */
interface PositionalSpec {
  name: string;
  demanded: boolean;
  variadic: boolean;
}

function parseCommandString(command: string): PositionalSpec[] | undefined {
  const words = command.trim().split(/\s+/).slice(1);
  const out: PositionalSpec[] = [];
  for (const w of words) {
    const m = /^([<[])([A-Za-z][\w-]*)(\.\.)?([>\]])$/.exec(w);
    if (!m || (m[1] === '<') !== (m[4] === '>')) return undefined;
    out.push({ name: m[2]!, demanded: m[1] === '<', variadic: m[3] !== undefined });
  }
  // yargs only allows the last positional to be variadic; anything fancier goes to yargs.
  for (let i = 0; i < out.length - 1; i++) if (out[i]!.variadic) return undefined;
  return out;
}

function camelCase(s: string): string {
  return s.includes('-') ? s.toLowerCase().replace(/-+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : s;
}

/**
 * Parses `argv` (already through normalizePprofArgs) as yargs would for `command` + `builder`,
 * or returns undefined when yargs must handle it (help, errors, anything unusual).
 */
export function fastParseArgs(
  command: string,
  builder: (y: Argv) => Argv,
  argv: readonly string[],
  parser: Parser,
  scriptName: string,
): Record<string, unknown> | undefined {
  for (const a of argv) {
    if (a === '--' || a === '--help' || a === '--version') return undefined;
    // `--compactLabels`: yargs' two parse passes also set the dashed key; rare, so yargs handles it.
    if (a.startsWith('-') && /[A-Z]/.test(a.split('=', 1)[0]!)) return undefined;
  }
  const positionals = parseCommandString(command);
  if (!positionals) return undefined;
  let rec: RecordedCommand;
  try {
    rec = recordBuilder(builder);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  for (const p of positionals) if (!rec.options.has(p.name)) rec.options.set(p.name, toDef(p.name, {}));

  const opts = {
    alias: {} as Record<string, string[]>,
    array: [] as string[],
    boolean: ['help'] as string[],
    string: [] as string[],
    number: [] as string[],
    default: {} as Record<string, unknown>,
    configuration: { 'parse-positional-numbers': false, 'populate--': true },
  };
  for (const [name, d] of rec.options) {
    if (d.alias.length) opts.alias[name] = d.alias;
    if (d.array) opts.array.push(name);
    if (d.type === 'boolean') opts.boolean.push(name);
    else if (d.type === 'string') opts.string.push(name);
    else if (d.type === 'number') opts.number.push(name);
    if (d.hasDefault) opts.default[name] = d.default;
  }
  for (const p of positionals) {
    if (p.variadic) {
      opts.array.push(p.name);
      if (!Object.hasOwn(opts.default, p.name)) opts.default[p.name] = [];
    }
  }

  const parsed = parser.detailed([...argv], opts);
  if (parsed.error) return undefined;
  const out = parsed.argv as Record<string, unknown>;
  if ((out['--'] as unknown[] | undefined)?.length) return undefined;
  delete out['--'];
  if (out.help !== undefined) return undefined;

  // Every key must be a declared option, one of its aliases, or their camelCase forms (strict mode).
  // (Not parsed.aliases: yargs-parser adds a camelCase alias for every dashed word it meets, known or not.)
  const known = new Set<string>(['_', '$0']);
  for (const [name, d] of rec.options) {
    for (const k of [name, ...d.alias]) {
      known.add(k);
      known.add(camelCase(k));
    }
  }
  for (const k of Object.keys(out)) if (!known.has(k)) return undefined;

  // A positional given as an option (`--profile x`), or defaulted by us, would merge differently: defer.
  for (const p of positionals) {
    const keys = [p.name, ...(parsed.aliases[p.name] ?? [])];
    for (const k of keys) {
      const v = out[k];
      if (v === undefined) continue;
      if (p.variadic && Array.isArray(v) && v.length === 0) continue;
      return undefined;
    }
  }

  // Positionals, as yargs' command module fills them.
  const rest = (out._ as unknown[]).map(String);
  const demanded = positionals.filter((p) => p.demanded).length;
  const variadic = positionals.some((p) => p.variadic);
  if (rest.length < demanded) return undefined;
  if (!variadic && rest.length > positionals.length) return undefined;
  const unparsed: string[] = [];
  const filled: string[] = [];
  for (const p of positionals) {
    const vals = p.variadic ? rest.splice(0) : rest.length ? [rest.shift()!] : [];
    if (vals.length === 0) continue;
    filled.push(p.name);
    for (const v of vals) unparsed.push(`--${p.name}`, v);
  }
  out._ = [];
  if (unparsed.length) {
    const second = parser.detailed(unparsed, { ...opts, configuration: { 'parse-positional-numbers': false } });
    if (second.error) return undefined;
    const sv = second.argv as Record<string, unknown>;
    for (const name of filled) {
      for (const k of [name, ...(second.aliases[name] ?? [])]) if (Object.hasOwn(sv, k)) out[k] = sv[k];
    }
  }

  // choices, checked on every key that names a choice option (aliases included), as yargs does.
  for (const [name, d] of rec.options) {
    if (!d.choices) continue;
    for (const k of new Set([name, camelCase(name), ...(parsed.aliases[name] ?? [])])) {
      const v = out[k];
      if (v === undefined) continue;
      for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined && !d.choices.includes(x)) return undefined;
    }
  }
  out.$0 = scriptName;
  return out;
}
