/** pprof flags whose long form here is spelled differently, not just dashed. */
const RENAMED: Record<string, string> = {
  tagfocus: 'tag-focus',
  tagignore: 'tag-ignore',
  tagshow: 'tag-show',
  taghide: 'tag-hide',
};

/**
 * `go tool pprof` users type single-dash, underscore flags (`-sample_index=inuse_space`, `-cum`,
 * `-nodecount=20`). yargs would read `-cum` as `-c -u -m`, so such words are rewritten to their
 * long form (`--sample-index=inuse_space`) before parsing. Only multi-letter words are touched.
 * Go's flag package also accepts the double-dash form, so `--sample_index=x` becomes
 * `--sample-index=x` as well, and pprof's one-word names get their dashed form (`-tagfocus` →
 * `--tag-focus`). Values (after `=`) are left alone.
 */
export function normalizePprofArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^--?([a-z][a-z0-9_-]+)(=[\s\S]*)?$/.exec(arg);
    if (m && (arg.startsWith('--') || !m[1]!.includes('-'))) {
      const name = m[1]!.replace(/_/g, '-');
      out.push(`--${RENAMED[name] ?? name}${m[2] ?? ''}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}
