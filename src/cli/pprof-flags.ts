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

/**
 * pprof's `-diff_base=FILE` / `-base=FILE` (normalized: `--diff-base`, `--base`), which compare two
 * profiles: here that is the `diff` command. Returns the flag as pprof spells it, or undefined.
 */
export function pprofBaseFlag(normalized: readonly string[]): '-diff_base' | '-base' | undefined {
  for (const arg of normalized) {
    if (arg === '--') break;
    const m = /^--(diff-base|base)(?:=|$)/.exec(arg);
    if (m) return m[1] === 'base' ? '-base' : '-diff_base';
  }
  return undefined;
}

/** The one-line pointer to `diff` for pprof's -diff_base / -base on another command. */
export function pprofBaseMessage(command: string, flag: '-diff_base' | '-base'): string {
  const mode = flag === '-base' ? ' --mode subtract' : '';
  return `pprof-doctor ${command}: ${flag} compares two profiles, which is its own command here: pprof-doctor diff <base> <new>${mode}`;
}
