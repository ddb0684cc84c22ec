/**
 * The part of the WebAssembly JavaScript API that kernel.ts uses. TypeScript declares it only in
 * its DOM library, which this Node and browser-neutral project does not load.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  class Global {
    value: unknown;
  }
}
