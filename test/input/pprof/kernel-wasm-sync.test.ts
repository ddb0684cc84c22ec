/**
 * src/input/pprof/kernel-wasm.ts is generated from wasm/pprof-kernel/index.ts and committed (a
 * build needs no WebAssembly compiler). It must be what the source compiles to today: after
 * editing the kernel, run `npm run build:kernel`.
 */
import { describe, expect, it } from 'vitest';
import { compileKernel } from '../../../scripts/build-kernel.mjs';
import { KERNEL_WASM_BASE64 } from '../../../src/input/pprof/kernel-wasm.js';

describe('kernel-wasm.ts', () => {
  it('is the current compile of wasm/pprof-kernel (npm run build:kernel)', { timeout: 60_000 }, async () => {
    const fresh = await compileKernel();
    expect(fresh.length).toBeGreaterThan(1000);
    expect(KERNEL_WASM_BASE64 === fresh, 'stale: run `npm run build:kernel`').toBe(true);
  });
});
