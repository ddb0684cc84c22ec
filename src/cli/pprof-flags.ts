/**
 * `go tool pprof` users type single-dash, underscore flags (`-sample_index=inuse_space`, `-cum`,
 * `-nodecount=20`). yargs would read `-cum` as `-c -u -m`, so such words are rewritten to their
 * long form (`--sample-index=inuse_space`) before parsing. Only multi-letter words are touched.
 */
export function normalizePprofArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg === '--') {
      out.push(...argv.slice(argv.indexOf(arg)));
      break;
    }
    const m = /^-([a-z][a-z0-9_]+)(=.*)?$/.exec(arg);
    if (m) {
      out.push(`--${m[1]!.replace(/_/g, '-')}${m[2] ?? ''}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}
