/** Compiles wasm/pprof-kernel with AssemblyScript; resolves to the module's bytes in base64. */
export function compileKernel(): Promise<string>;
