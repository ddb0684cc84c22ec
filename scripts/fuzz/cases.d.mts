/** Types for the fuzzer core (cases.mjs), so the seeded test suite can drive it from TypeScript. */
import type { CorpusEntry, RuleText } from './corpus.mjs';

export interface FuzzLib {
  parseProfileBytes: (...args: never[]) => unknown;
  gunzip: unknown;
  validateProfile: (...args: never[]) => string[];
  top: (...args: never[]) => unknown;
  formatTop: (...args: never[]) => string;
  traces: (...args: never[]) => unknown;
  formatTraces: (...args: never[]) => string;
  peek: (...args: never[]) => unknown;
  formatPeek: (...args: never[]) => string;
  buildFlameTree: (...args: never[]) => unknown;
  parseRule: (...args: never[]) => unknown;
  analyzeProfiles: (...args: never[]) => unknown;
  rules: unknown[];
  FormatError: abstract new (...args: never[]) => Error;
  InputError: abstract new (...args: never[]) => Error;
  UserError: abstract new (...args: never[]) => Error;
}

export interface FuzzContext {
  corpus: CorpusEntry[];
}

export interface FuzzCase {
  index: number;
  target: string;
  kind: 'profile' | 'rule';
  name: string;
  op: string;
  source?: string;
  bytes: Uint8Array;
  text?: string;
  expect?: string;
  same?: string;
  maxSize?: number;
  topOpts: Record<string, unknown>;
  extra: string;
}

export interface CaseResult {
  outcome: 'ok' | 'rejected' | 'failure';
  reason?: string;
  ms: number;
  stage: string;
}

export const SLOW_MS: number;
export const DEFAULT_MAX_SIZE: number;
export const TARGETS: [number, string][];
export function makeContext(corpus: CorpusEntry[], rules: RuleText[], opts?: { avoid?: string[] }): FuzzContext;
export function makeCase(ctx: FuzzContext, seed: number, index: number): FuzzCase;
export function runCase(lib: FuzzLib, ctx: FuzzContext, c: FuzzCase): CaseResult;
export function classifyError(lib: FuzzLib, err: unknown): { outcome: 'rejected' | 'failure'; reason: string };
export function longNameProfile(): Uint8Array;
export function caseBytes(c: FuzzCase): Uint8Array;
