/** Types for synth.mjs. */
export function writeProfile(spec: {
  types: [string, string][];
  names: string[];
  samples: Iterable<[number[], number[]]>;
  timeNanos?: number;
}): Uint8Array;
export function deepStackProfile(frames?: number, distinct?: number): Uint8Array;
export function scaledProfile(k: number, base?: number): Uint8Array;
export function deepGoroutineDump(frames?: number): string;
export function deepYaml(depth?: number, flow?: '[' | '{'): string;
export function gzipBomb(mib: number, mode?: 'members' | 'stream' | 'nested'): Uint8Array;
export function sampleBomb(count: number, record?: Uint8Array): Uint8Array;
export function sampleBombGzip(mib: number, record?: Uint8Array): Uint8Array;
