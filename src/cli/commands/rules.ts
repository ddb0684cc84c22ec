/**
 * `pprof-doctor rules`: list the diagnosis rules (id, severity, applies-to, title);
 * `pprof-doctor rules show <id>`: print one rule fully; `pprof-doctor rules check <dir>`: validate
 * a directory of rule files (exit 2 with the file and field on the first broken one).
 */
import { loadRuleDir, loadRules } from '../../diagnosis/load-rules-node.js';
import type { Rule } from '../../diagnosis/schema.js';
import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';
import { lastString, ruleLoadOptionsFromArgs, writeStdout } from '../options.js';

function group(r: Rule): string {
  const m = /rules\/([^/]+)\/[^/]+$/.exec(r.file.replace(/\\/g, '/'));
  return m ? m[1]! : '';
}

/**
 * The rule as data for JSON: compiled patterns back to their text. `sources` (maintainers' notes on
 * where the facts came from) is left out: what users read cites `references` only.
 */
export function ruleToJson(r: Rule): Record<string, unknown> {
  const { sources: _maintainerNotes, ...shown } = r;
  return JSON.parse(
    JSON.stringify(shown, (k, v) => {
      if (v && typeof v === 'object' && 'pattern' in v && 'regex' in v) return (v as { pattern: string }).pattern;
      if (k === 'regex' && v instanceof RegExp) return v.source;
      return v;
    }),
  ) as Record<string, unknown>;
}

export function listText(rules: Rule[]): string {
  const sorted = [...rules].sort((a, b) => group(a).localeCompare(group(b)) || a.id.localeCompare(b.id));
  const idW = Math.max(2, ...sorted.map((r) => r.id.length));
  const apW = Math.max(10, ...sorted.map((r) => r.appliesTo.join(',').length));
  const kindsOf = (r: Rule) => [...new Set(r.detect.map((d) => d.profile))].join(',');
  const kindW = Math.max(8, ...sorted.map((r) => kindsOf(r).length));
  const lines = [
    `${'ID'.padEnd(idW)}  ${'SEVERITY'.padEnd(8)}  ${'APPLIES TO'.padEnd(apW)}  ${'PROFILES'.padEnd(kindW)}  TITLE`,
  ];
  for (const r of sorted) {
    lines.push(
      `${r.id.padEnd(idW)}  ${r.severity.padEnd(8)}  ${r.appliesTo.join(',').padEnd(apW)}  ${kindsOf(r).padEnd(kindW)}  ${r.title}`,
    );
  }
  lines.push('', `${rules.length} rules. 'pprof-doctor rules show <id>' prints one.`);
  return `${lines.join('\n')}\n`;
}

function condText(c: Rule['detect'][number]['require'][number]): string[] {
  const out: string[] = [];
  if (c.memStats) {
    out.push(`memStats ${c.memStats.ratio[0]}/${c.memStats.ratio[1]} ≥ ${c.memStats.atLeast}`);
  } else {
    out.push(`frame: ${(c.frame ?? []).map((p) => p.pattern).join(' | ')}`);
    if (c.under) out.push(`  under: ${c.under.map((p) => p.pattern).join(' | ')}`);
    if (c.notUnder) out.push(`  not under: ${c.notUnder.map((p) => p.pattern).join(' | ')}`);
    const t: string[] = [];
    if (c.flat !== undefined) t.push(`flat ≥ ${(c.flat * 100).toFixed(1)}%`);
    if (c.cum !== undefined) t.push(`cum ≥ ${(c.cum * 100).toFixed(1)}%`);
    if (c.flatValue !== undefined) t.push(`flat ≥ ${c.flatValue}`);
    if (c.cumValue !== undefined) t.push(`cum ≥ ${c.cumValue}`);
    if (c.labels) t.push(`labels ${Object.keys(c.labels).join(', ')}`);
    if (t.length) out.push(`  when: ${t.join(', ')}`);
  }
  if (c.note) out.push(`  (${c.note})`);
  return out;
}

export function showText(r: Rule): string {
  const L: string[] = [];
  L.push(`${r.id} — ${r.title}`, '');
  L.push(`severity:   ${r.severity}`);
  L.push(`applies to: ${r.appliesTo.join(', ')}`);
  L.push(`file:       ${r.file}`);
  if (r.etcdVersions) {
    L.push(`etcd:       affected ${r.etcdVersions.affected}; fixed in ${r.etcdVersions.fixed.join(', ') || '—'}`);
    if (r.etcdVersions.note) L.push(`            ${r.etcdVersions.note.trim()}`);
  }
  if (r.goVersions)
    L.push(
      `Go:         affected ${r.goVersions.affected}${r.goVersions.whenUnknown === 'require' ? ' (needs a known Go version)' : ''}`,
    );
  if (r.models.length) L.push(`models:     ${r.models.join(', ')}`);
  L.push('', 'Detect (any detector fires the rule):');
  r.detect.forEach((d, i) => {
    L.push(`  ${i + 1}. ${d.profile}${d.sampleType ? ` (${d.sampleType})` : ''}${d.note ? ` — ${d.note}` : ''}`);
    for (const c of d.require) L.push(...condText(c).map((l, j) => `     ${j === 0 ? 'require ' : '        '}${l}`));
    for (const c of d.support) L.push(...condText(c).map((l, j) => `     ${j === 0 ? 'support ' : '        '}${l}`));
    for (const c of d.exclude) {
      L.push(...condText(c).map((l, j) => `     ${j === 0 ? 'exclude ' : '        '}${l}`));
      L.push(`             reason: ${c.reason}`);
    }
  });
  L.push('', 'Explanation:', `  ${r.explanation.trim()}`, '', 'Remediation:');
  r.remediation.forEach((s, i) => {
    const only = [s.etcd ? `etcd ${s.etcd}` : '', s.go ? `Go ${s.go}` : ''].filter(Boolean).join(', ');
    L.push(`  ${i + 1}. ${s.do}${only ? ` (only ${only})` : ''}`);
    if (s.flag) L.push(`     flag: ${s.flag}`);
    if (s.env) L.push(`     environment variable: ${s.env}`);
    if (s.command) for (const l of s.command.trimEnd().split('\n')) L.push(`     $ ${l}`);
    if (s.code) for (const l of s.code.trimEnd().split('\n')) L.push(`     ${l}`);
  });
  if (r.metrics.length) {
    L.push('', 'Metrics:');
    for (const m of r.metrics) {
      const only = [m.etcd ? `etcd ${m.etcd}` : '', m.go ? `Go ${m.go}` : ''].filter(Boolean).join(', ');
      L.push(`  - ${m.name}: ${m.expect}${only ? ` (only ${only})` : ''}`);
    }
  }
  if (r.explains?.length) {
    L.push('', `Explains: ${r.explains.join(', ')} (shown under this rule when both fire)`);
  }
  L.push('', 'References:');
  for (const ref of r.references) L.push(`  - ${ref.title}${ref.url && ref.url !== ref.title ? ` <${ref.url}>` : ''}`);
  return `${L.join('\n')}\n`;
}

const spec: CommandSpec = {
  command: 'rules [action] [id]',
  describe: 'List the diagnosis rules, or show one',
  builder: (y) =>
    y
      .positional('action', {
        type: 'string',
        choices: ['list', 'show', 'check'],
        describe: 'list (default), show <id>, check <dir>',
      })
      .positional('id', { type: 'string', describe: 'Rule id (show) or rules directory (check)' })
      .option('rules', { type: 'string', array: true, describe: 'Directory of extra rules (YAML)', group: 'Rules:' })
      .option('builtin-rules', {
        type: 'boolean',
        default: true,
        describe: 'Include the built-in rules',
        group: 'Rules:',
      })
      .option('format', { choices: ['text', 'json'], default: 'text', describe: 'Output format', group: 'Output:' })
      .example('$0', 'list every rule')
      .example('$0 show lease-keepalive-storm', 'print one rule')
      .example('$0 check ./my-rules', 'validate rule files'),
  run: async (args) => {
    const action = lastString(args.action) ?? 'list';
    const json = lastString(args.format) === 'json';
    if (action === 'check') {
      const dir = lastString(args.id);
      if (!dir) throw new UserError("'rules check' needs a directory or file");
      const rules = await loadRuleDir(dir);
      await writeStdout(
        json
          ? `${JSON.stringify({ ok: true, rules: rules.map((r) => r.id) }, null, 2)}\n`
          : `${rules.length} rule(s) OK: ${rules.map((r) => r.id).join(', ')}\n`,
      );
      return 0;
    }
    const rules = await loadRules(ruleLoadOptionsFromArgs(args));
    if (action === 'show') {
      const id = lastString(args.id);
      if (!id) throw new UserError("'rules show' needs a rule id (see 'pprof-doctor rules')");
      const r = rules.find((x) => x.id === id);
      if (!r) {
        const near = rules.filter((x) => x.id.includes(id) || id.includes(x.id)).map((x) => x.id);
        throw new UserError(`no rule '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
      }
      await writeStdout(json ? `${JSON.stringify(ruleToJson(r), null, 2)}\n` : showText(r));
      return 0;
    }
    if (json) {
      const rows = rules.map((r) => ({
        id: r.id,
        group: group(r),
        severity: r.severity,
        appliesTo: r.appliesTo,
        profiles: [...new Set(r.detect.map((d) => d.profile))],
        title: r.title,
        file: r.file,
      }));
      await writeStdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      await writeStdout(listText(rules));
    }
    return 0;
  },
};
export default spec;
