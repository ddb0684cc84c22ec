/**
 * What `pprof-doctor rules` shows users: public sources only (issues, PRs, changelogs, articles by
 * title) — never the maintainers' `sources:` notes or wording that points at internal documents —
 * and a list whose columns line up.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listText, ruleToJson, showText } from '../../src/cli/commands/rules.js';
import { loadRuleDir } from '../../src/diagnosis/load-rules-node.js';
import { root } from './cli-helpers.js';

// Wording that only makes sense to someone holding the project's research notes.
const INTERNAL = [
  /seed[- ]digest/i,
  /known-issues\.md/i,
  /\bseed \d{3}\b/i,
  /source document/i,
  /\(00\d\)/,
  /\bthe documented (?:etcd )?(?:incident|demo)\b/i,
  /\bSources:/,
];

const rules = await loadRuleDir(join(root, 'rules'));

describe('rules show', () => {
  it('loads every built-in rule', () => {
    expect(rules.length).toBeGreaterThanOrEqual(40);
    // The maintainers' notes are still in the files (provenance), just never shown.
    expect(rules.some((r) => r.sources.some((s) => /seed-digest/.test(s)))).toBe(true);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s: text and JSON cite public sources only', (_id, rule) => {
    const text = showText(rule);
    const json = JSON.stringify(ruleToJson(rule));
    expect(text).toContain('References:');
    for (const re of INTERNAL) {
      expect(text, `${re}`).not.toMatch(re);
      expect(json, `${re}`).not.toMatch(re);
    }
    expect(ruleToJson(rule)).not.toHaveProperty('sources');
  });

  it('rules that retell an article name it by its title', () => {
    const byId = new Map(rules.map((r) => [r.id, showText(r)]));
    expect(byId.get('clientv3-watch-stream-leak')).toContain('"Etcd watch内存泄漏"');
    expect(byId.get('gc-pressure')).toContain('etcd clientv3的lease keepalive租约频繁续期bug 排查小记');
    expect(byId.get('raft-log-retention')).toContain('内存：为什么你的etcd内存占用那么高？');
  });
});

describe('rules list', () => {
  it('every column starts at the same offset on every line', () => {
    const lines = listText(rules).split('\n');
    const header = lines[0]!;
    const rows = lines.slice(1, 1 + rules.length);
    expect(rows.length).toBe(rules.length);
    for (const col of ['SEVERITY', 'APPLIES TO', 'PROFILES', 'TITLE']) {
      const at = header.indexOf(col);
      expect(at).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row[at - 1], `${col} in: ${row}`).toBe(' ');
        expect(row[at - 2], `${col} in: ${row}`).toBe(' ');
        expect(row[at], `${col} in: ${row}`).not.toBe(' ');
      }
    }
  });
});
