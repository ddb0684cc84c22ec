/**
 * `pprof-doctor collect --endpoints URL,URL,…`: one incident bundle from every member of an etcd
 * cluster at once (same CPU window on all), with a manifest; `--tar` packs it for a ticket.
 *
 * Exit codes: 0 a bundle was written and at least one member answered (failures of the others are
 * in the manifest and the summary), 2 usage error or no member answered.
 */
import { basename, dirname, join } from 'node:path';
import { DEFAULT_COLLECT_SECONDS, collectCluster } from '../../collect/collect.js';
import type { Manifest } from '../../collect/manifest.js';
import { UserError } from '../../errors.js';
import { escapeText } from '../../report/escape.js';
import { fetchOptionsFromArgs } from '../fetch-options.js';
import type { CommandSpec } from '../main.js';
import { lastString, strings } from '../options.js';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The summary printed after a collection: one line per member. */
export function summaryLines(m: Manifest, dir: string): string[] {
  const rows = m.members.map((mem) => [
    mem.name,
    mem.endpoint,
    mem.role ?? '-',
    mem.etcdVersion ?? '-',
    String(mem.filesKept),
    mem.error ? `FAILED: ${mem.error}` : mem.failed > 0 ? `${mem.failed} request(s) failed` : 'ok',
  ]);
  const head = ['member', 'endpoint', 'role', 'etcd', 'files', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [`bundle ${dir} (${join(dir, 'manifest.json')}), CPU window ${m.cpuSeconds}s`, line(head), ...rows.map(line)];
}

const spec: CommandSpec = {
  command: 'collect [endpoints..]',
  describe: 'Collect profiles, metrics and status from every etcd member at once into one bundle',
  builder: (y) =>
    y
      .positional('endpoints', { type: 'string', array: true, describe: 'Client URLs of the members' })
      .option('endpoints', {
        type: 'string',
        describe: 'Comma-separated client URLs, as etcdctl --endpoints (https://10.0.0.1:2379,https://10.0.0.2:2379)',
      })
      .option('seconds', {
        type: 'number',
        default: DEFAULT_COLLECT_SECONDS,
        describe: 'CPU profile length, the same window on every member',
      })
      .option('timeout', {
        type: 'number',
        describe: 'Give up on one request after N seconds (default 30; the CPU profile gets --seconds more)',
      })
      .option('cacert', { type: 'string', describe: 'PEM CA bundle to verify the members (etcd --trusted-ca-file)' })
      .option('cert', { type: 'string', describe: 'PEM client certificate (etcd --client-cert-auth); needs --key' })
      .option('key', { type: 'string', describe: 'PEM private key of --cert (unencrypted)' })
      .option('insecure-skip-tls-verify', { type: 'boolean', describe: 'Do not verify the members’ certificates' })
      .option('o', {
        alias: 'output',
        type: 'string',
        describe: 'Bundle folder (new or empty; default ./pprof-doctor-bundle.<YYYYMMDD-HHMMSS>)',
      })
      .option('tar', { type: 'boolean', describe: 'Also pack the bundle as <folder>.tar.gz' })
      .epilog(
        'Per member: cpu.pb.gz (all members in the same window), heap, allocs, goroutine (proto and debug=2), mutex and block when they hold samples, metrics.txt, version.json, status.json and members.json (JSON gateway), in <folder>/<member name>/. manifest.json lists every file (member, endpoint, kind, bytes, sha256, time) or why it is missing. A member that fails is recorded and the others continue. No credential is written anywhere.',
      )
      .example(
        '$0 --endpoints https://10.0.0.1:2379,https://10.0.0.2:2379 --cacert ca.pem --cert c.pem --key k.pem',
        '',
      ),
  run: async (args) => {
    const given = [...strings(args.endpoints)];
    if (given.length === 0) {
      throw new UserError('no endpoint given: pass --endpoints URL[,URL…] or the members’ client URLs as arguments');
    }
    const fetchOpts = fetchOptionsFromArgs(args);
    const out = lastString(args.o ?? args.output) ?? `pprof-doctor-bundle.${stamp(new Date())}`;
    const tty = process.stderr.isTTY === true;
    const manifest = await collectCluster({
      endpoints: given,
      ...fetchOpts,
      seconds: fetchOpts.seconds ?? DEFAULT_COLLECT_SECONDS,
      outDir: out,
      ...(tty
        ? {
            onEvent: (member: string, text: string) =>
              process.stderr.write(`pprof-doctor: ${escapeText(member)}: ${escapeText(text)}\n`),
          }
        : {}),
    });
    const lines = summaryLines(manifest, out);
    if (args.tar === true) {
      const { packTarGz } = await import('../../collect/tar.js');
      const { writeExclusive } = await import('../../io/output-file.js');
      const tarPath = `${out.replace(/\/+$/, '')}.tar.gz`;
      await writeExclusive(
        join(dirname(tarPath), basename(tarPath)),
        tarPath,
        await packTarGz(out, basename(out.replace(/\/+$/, ''))),
      );
      lines.push(`packed as ${tarPath}`);
    }
    // Member names and errors come from the servers: shown as visible escapes, never live.
    process.stdout.write(`${lines.map(escapeText).join('\n')}\n`);
    if (manifest.members.every((m) => m.filesKept === 0)) {
      throw new UserError(`no member answered; see ${join(out, 'manifest.json')}`);
    }
    return 0;
  },
};
export default spec;
