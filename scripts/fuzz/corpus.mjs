/**
 * The seed corpus: real profiles from test/fixtures/ and samples/ (pprof proto gzipped and raw,
 * debug=1 texts, goroutine dumps, pasted top tables, the broken files kept as fixtures), and the
 * rule files under rules/. Node-only (reads the file system).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { scanFields } from './proto.mjs';

const SKIP = /\.(json|md|yaml|yml|sh|go|mod|sum|ts|mjs)$|(^|\/)GO_VERSION$|go-version\.txt$/;

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      walk(p, out);
    } else if (e.isFile() && !SKIP.test(p)) out.push(p);
  }
}

function classify(raw) {
  const fields = scanFields(raw);
  if (fields?.some((f) => f.field === 6 && f.wt === 2)) return 'proto';
  const n = Math.min(raw.length, 4096);
  for (let i = 0; i < n; i++) if (raw[i] === 0) return 'other';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(raw.subarray(0, n), { stream: true });
    return 'text';
  } catch {
    return 'other';
  }
}

/**
 * Loads the corpus under `root` (the repository): every file of test/fixtures and samples, in a
 * stable order. Each entry: { name, bytes (as on disk), raw (gunzipped), gz, kind, text? }.
 */
export function loadCorpus(root, dirs = ['test/fixtures', 'samples'], { maxBytes = 8 * 1024 * 1024 } = {}) {
  const files = [];
  for (const d of dirs) walk(join(root, d), files);
  const out = [];
  for (const f of files) {
    if (statSync(f).size > maxBytes) continue;
    const bytes = new Uint8Array(readFileSync(f));
    let raw = bytes;
    let gz = false;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        raw = new Uint8Array(gunzipSync(bytes));
        gz = true;
        if (raw[0] === 0x1f && raw[1] === 0x8b) raw = new Uint8Array(gunzipSync(raw));
      } catch {
        raw = bytes;
      }
    }
    if (raw.length === 0) continue;
    const kind = classify(raw);
    const entry = { name: relative(root, f), bytes, raw, gz, kind };
    if (kind === 'text') entry.text = new TextDecoder().decode(raw);
    out.push(entry);
  }
  return out;
}

export function loadRuleTexts(root) {
  const files = [];
  const walkYaml = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walkYaml(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walkYaml(join(root, 'rules'));
  return files.map((f) => ({ name: relative(root, f), text: readFileSync(f, 'utf8') }));
}
