/**
 * Bounds on what one input may make the decoder build: counts of samples, locations, functions,
 * strings and labels, the depth of one stack, and how far gzip data may inflate relative to its
 * compressed size. Each is checked while the input is indexed, before the memory it would cost is
 * spent (a 1.2 MB gzip that inflates to 600 MiB of 4-byte samples used to grow a JavaScript list
 * past V8's limit and kill the process).
 *
 * One mechanism for all of them: `--max NAME=N` on the command line (`parseLimitArg`), `limits`
 * in `loadProfile` / `parseProfileBytes`. The defaults are far above any real profile (the largest
 * we have measured holds 800,000 samples in 41 MiB) and far below what would exhaust memory.
 *
 * Environment-neutral.
 */
import { FormatError, UserError } from '../errors.js';

export interface InputLimits {
  /** Samples in one profile. */
  samples: number;
  /** Locations in one profile (mappings are held to the same bound). */
  locations: number;
  /** Functions in one profile. */
  functions: number;
  /** Entries of the string table. */
  strings: number;
  /** Labels over all samples. */
  labels: number;
  /** Sample types (value columns). */
  types: number;
  /** Comments (string indices in the profile's comment field). */
  comments: number;
  /** Frames (location ids) in one sample's stack. */
  depth: number;
  /**
   * Decompressed size ÷ compressed size, checked once the output passes RATIO_FLOOR bytes. Real
   * profiles compress 3-30×; a gzip bomb ~1000×.
   */
  ratio: number;
}

export type LimitName = keyof InputLimits;

export const DEFAULT_LIMITS: Readonly<InputLimits> = Object.freeze({
  samples: 10_000_000,
  locations: 5_000_000,
  functions: 5_000_000,
  strings: 10_000_000,
  labels: 20_000_000,
  types: 1_000_000,
  comments: 1_000_000,
  depth: 4_194_304,
  ratio: 100,
});

/** Below this many decompressed bytes the ratio is not checked (small files compress well too). */
export const RATIO_FLOOR = 64 * 1024 * 1024;

const WHAT: Record<LimitName, string> = {
  samples: 'samples',
  locations: 'locations',
  functions: 'functions',
  strings: 'strings in its string table',
  labels: 'labels',
  types: 'sample types',
  comments: 'comments',
  depth: 'frames in one stack',
  ratio: '',
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[];

/** The defaults with `overrides` applied. */
export function resolveLimits(overrides?: Partial<InputLimits>): InputLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** "10,000,000" */
function grouped(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An input over one of the limits: worded as is, never taken for "not a profile". */
export class LimitError extends FormatError {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The one-line error for a count over its limit. */
export function limitExceeded(name: LimitName, limit: number): LimitError {
  return new LimitError(
    `the profile has more than ${grouped(limit)} ${WHAT[name]} (limit '${name}'; raise it with --max ${name}=N)`,
  );
}

/** The one-line error for gzip data that inflates more than `ratio` times its size. */
export function ratioExceeded(ratio: number, compressed: number, cap: string): LimitError {
  return new LimitError(
    `gzip data of ${grouped(compressed)} bytes inflates to more than ${cap}, over ${grouped(ratio)} times its size (limit 'ratio'; raise it with --max ratio=N)`,
  );
}

/**
 * Parses `--max` values: `samples=20000000`, `depth=2e6`, `ratio=1000`; several may be given,
 * also comma-separated (`samples=2e7,labels=5e7`). Throws UserError on anything else.
 */
export function parseLimitArgs(values: readonly string[]): Partial<InputLimits> {
  const out: Partial<InputLimits> = {};
  for (const value of values) {
    for (const part of value.split(',')) {
      const m = /^\s*([a-z]+)\s*=\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*$/i.exec(part);
      const name = m?.[1]?.toLowerCase() as LimitName | undefined;
      if (!m || !name || !Object.hasOwn(DEFAULT_LIMITS, name)) {
        throw new UserError(
          `--max needs NAME=N with NAME one of ${LIMIT_NAMES.join(', ')}, got '${part.slice(0, 60)}'`,
        );
      }
      const n = Number(m[2]);
      if (!Number.isSafeInteger(n) || n < 1) {
        throw new UserError(`--max ${name} must be a whole number from 1 to 2^53, got '${m[2]}'`);
      }
      out[name] = n;
    }
  }
  return out;
}
