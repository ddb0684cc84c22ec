/**
 * Runs the WebAssembly decoder kernel (wasm/pprof-kernel/index.ts) on profile.proto bytes and
 * copies its columns out. decode.ts turns them into the Profile model; when the kernel declines
 * (it returns undefined here), the JavaScript decoder decodes the bytes instead.
 *
 * Environment-neutral: WebAssembly and atob are web standards.
 */
import type { ColumnGraph, FunctionNameIndex } from '../../profile/model.js';
import { KERNEL_WASM_BASE64 } from './kernel-wasm.js';

/** Inputs above this size go to the JavaScript decoder: there the start-up cost the kernel saves
 * is small next to the decode itself, and the kernel's memory (input copy + columns) would double
 * the peak. */
export const KERNEL_MAX_INPUT = 16 * 1024 * 1024;

export interface KernelColumns {
  /** (start, end) byte pairs per top-level kind (index = field number 1..6). */
  kinds: Uint32Array[];
  /** Byte offsets of the other top-level fields' tags, in order. */
  others: Uint32Array;
  /** The kernel's copy of the input bytes (strings are decoded from it on demand). */
  input: Uint8Array;
  fnId: Float64Array;
  fnName: Int32Array;
  fnSystemName: Int32Array;
  fnFilename: Int32Array;
  fnStartLine: Float64Array;
  fnCanon: Int32Array;
  namesAscii: boolean;
  locId: Float64Array;
  locMappingId: Float64Array;
  /** Mapping index per location, when the mapping ids are 1..N (else undefined). */
  locMapping: Int32Array | undefined;
  unknownMappings: number;
  locAddress: Float64Array;
  locFolded: Uint8Array;
  locLineStart: Uint32Array;
  lineFn: Int32Array;
  lineLine: Float64Array;
  lineColumn: Float64Array;
  values: Float64Array;
  stackStart: Uint32Array;
  stack: Uint32Array;
  /** Per label message: sample index, start, end. */
  labels: Uint32Array;
  graph: ColumnGraph;
  nameIndex(): FunctionNameIndex | undefined;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  input(len: number): number;
  decode(): number;
  functionNodes(noInlines: number): number;
  weights(valueIndex: number, nNodes: number): void;
  total(valueIndex: number): number;
  samplesHolding(): number;
  nameIndex(): number;
  [name: string]: unknown;
}

/** The compiled module; null when this runtime cannot compile it (then the JS decoder serves). */
let compiled: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    // Node's Buffer decodes base64 natively; atob (the web's way) is several ms slower in Node 20.
    const NodeBuffer = (globalThis as { Buffer?: { from(s: string, enc: 'base64'): Uint8Array } }).Buffer;
    let bytes: Uint8Array;
    if (NodeBuffer) bytes = NodeBuffer.from(KERNEL_WASM_BASE64, 'base64');
    else {
      const text = atob(KERNEL_WASM_BASE64);
      bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    }
    try {
      compiled = new WebAssembly.Module(bytes);
    } catch {
      // E.g. a browser's main thread, where synchronous compiles of more than 4 KB are refused.
      compiled = null;
    }
  }
  return compiled;
}

/** Last bail-out code (0 = decoded): for tests. */
export let lastKernelCode = 0;

/**
 * Decodes `bytes` with the kernel; undefined when it declines or cannot run (no WebAssembly, too
 * big, out of memory, anything unusual in the data).
 */
export function runKernel(bytes: Uint8Array): KernelColumns | undefined {
  if (bytes.length > KERNEL_MAX_INPUT || typeof WebAssembly !== 'object') return undefined;
  const wasmModule = kernelModule();
  if (wasmModule === null) return undefined;
  let k: KernelExports;
  try {
    // A fresh instance per decode: its memory goes away with it.
    k = new WebAssembly.Instance(wasmModule, {}).exports as unknown as KernelExports;
    const at = k.input(bytes.length);
    new Uint8Array(k.memory.buffer, at, bytes.length).set(bytes);
    lastKernelCode = k.decode();
  } catch {
    lastKernelCode = -1; // a trap (out of bounds, out of memory): let the JavaScript decoder decide
    return undefined;
  }
  if (lastKernelCode !== 0) return undefined;
  return extract(k);
}

/** The value of one of the kernel's exported globals (column addresses and counts). */
function globalOf(k: KernelExports, name: string): number {
  return (k[name] as WebAssembly.Global).value as number;
}

function extract(k: KernelExports): KernelColumns {
  const mem = k.memory.buffer;
  const g = (name: string): number => globalOf(k, name);
  // Views, not copies: this instance is never used again, so its memory cannot grow (which would
  // detach them) and is freed when the last view goes. Copying would touch every page twice.
  const f64 = (name: string, n: number) => new Float64Array(mem, g(name), n);
  const i32 = (name: string, n: number) => new Int32Array(mem, g(name), n);
  const u32 = (name: string, n: number) => new Uint32Array(mem, g(name), n);
  const kindStart = new Int32Array(mem, g('kindStart'), 8);
  const kindOffs = new Uint32Array(mem, g('kindOffs'), 2 * kindStart[7]!);
  const kinds: Uint32Array[] = [new Uint32Array(0)];
  for (let kind = 1; kind <= 6; kind++) kinds.push(kindOffs.slice(2 * kindStart[kind]!, 2 * kindStart[kind + 1]!));
  const nFn = g('nFunctions');
  const nLoc = g('nLocations');
  const nLines = g('nLines');
  const nSamples = g('nSamples');
  return {
    kinds,
    others: u32('otherOffs', g('nOther')),
    input: new Uint8Array(mem, g('inputBase'), g('inputEnd') - g('inputBase')),
    fnId: f64('fnId', nFn),
    fnName: i32('fnName', nFn),
    fnSystemName: i32('fnSystemName', nFn),
    fnFilename: i32('fnFilename', nFn),
    fnStartLine: f64('fnStartLine', nFn),
    fnCanon: i32('fnCanon', nFn),
    namesAscii: g('namesAscii') === 1,
    locId: f64('locId', nLoc),
    locMappingId: f64('locMappingId', nLoc),
    locMapping: g('mappingsDense') === 1 ? i32('locMapping', nLoc) : undefined,
    unknownMappings: g('unknownMappings'),
    locAddress: f64('locAddress', nLoc),
    locFolded: new Uint8Array(mem, g('locFolded'), nLoc),
    locLineStart: u32('locLineStart', nLoc + 1),
    lineFn: i32('lineFn', nLines),
    lineLine: f64('lineLine', nLines),
    lineColumn: f64('lineColumn', nLines),
    values: f64('values', nSamples * g('nSampleTypes')),
    stackStart: u32('stackStart', nSamples + 1),
    stack: u32('stack', g('nStack')),
    labels: u32('labelOffs', 3 * g('nLabels')),
    graph: kernelGraph(k, nLoc),
    nameIndex: kernelNameIndex(k, nFn, g('namesAscii') === 1),
  };
}

/** The kernel's joined function names and tail buckets, built on first use (ASCII names only). */
function kernelNameIndex(k: KernelExports, nFn: number, ascii: boolean): () => FunctionNameIndex | undefined {
  let index: FunctionNameIndex | undefined;
  return () => {
    if (!ascii) return undefined;
    if (index) return index;
    const mem = k.memory.buffer;
    const g = (name: string): number => globalOf(k, name);
    const length = k.nameIndex();
    const buckets = g('TAIL_BUCKETS');
    const tailStart = new Uint32Array(mem, g('tailStart'), buckets + 1);
    index = {
      // Views: the instance's memory no longer grows (see extract). ASCII bytes: UTF-8 decoding
      // gives one character per byte.
      text: new TextDecoder().decode(new Uint8Array(mem, g('namesText'), length)),
      starts: new Uint32Array(mem, g('nameStarts'), nFn + 1),
      tailStart,
      tailFns: new Uint32Array(mem, g('tailFns'), tailStart[buckets]!),
    };
    return index;
  };
}

/** The kernel's graph functions; results are copied (a later call reuses the kernel's memory). */
function kernelGraph(k: KernelExports, nLoc: number): ColumnGraph {
  const mem = k.memory.buffer;
  const g = (name: string): number => globalOf(k, name);
  // The layout (noInlines) the kernel's node arrays hold now, and its node count.
  let layout: boolean | undefined;
  let count = -1;
  const layOut = (noInlines: boolean): number => {
    if (layout !== noInlines) {
      count = k.functionNodes(noInlines ? 1 : 0);
      layout = noInlines;
    }
    return count;
  };
  return {
    functionNodes(noInlines) {
      const n = layOut(noInlines);
      if (n < 0) return undefined;
      const locStart = new Uint32Array(mem, g('nodeLocStart'), nLoc + 1).slice();
      return {
        locStart,
        locNodes: new Uint32Array(mem, g('nodeLocNodes'), locStart[nLoc]!).slice(),
        nodeFn: new Int32Array(mem, g('nodeFn'), n).slice(),
      };
    },
    weights(valueIndex, noInlines) {
      const n = layOut(noInlines);
      k.weights(valueIndex, n);
      return { flat: new Float64Array(mem, g('flat'), n).slice(), cum: new Float64Array(mem, g('cum'), n).slice() };
    },
    total: (valueIndex) => k.total(valueIndex),
    samplesHolding(fnMask) {
      new Uint8Array(mem, g('fnWanted'), fnMask.length).set(fnMask);
      const n = k.samplesHolding();
      return new Uint32Array(mem, g('holding'), n).slice();
    },
  };
}
