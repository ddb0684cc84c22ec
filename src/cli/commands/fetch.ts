/**
 * `pprof-doctor fetch <url>`: download a profile from a /debug/pprof endpoint (mTLS welcome), save
 * the exact bytes and print where. Exit 0 when a profile was saved; 2 on any failure, including a
 * server answer that is not a profile (those bytes are kept too, and the message says where).
 */
import { fetchProfile } from '../../fetch/resolve.js';
import { addFetchOptions, fetchOptionsFromArgs } from '../fetch-options.js';
import type { CommandSpec } from '../main.js';

const spec: CommandSpec = {
  command: 'fetch <url>',
  describe:
    'Download a profile from a /debug/pprof endpoint and save the exact bytes. <url> is http(s)://host:port/debug/pprof/<name>, or host:port/debug/pprof/<name> (http://, or https:// when TLS flags are given). Prints the path of the saved file.',
  builder: (y) =>
    addFetchOptions(
      y
        .positional('url', {
          type: 'string',
          describe: 'e.g. https://127.0.0.1:2379/debug/pprof/heap',
        })
        .option('o', {
          alias: 'output',
          type: 'string',
          describe:
            'Save to this file instead of ./pprof-doctor.<host>_<port>.<profile>.<YYYYMMDD-HHMMSS>.pb.gz; never overwrites an existing file without --force',
        })
        .option('force', { type: 'boolean', describe: 'Let -o overwrite an existing file (never an input file)' })
        .epilog(
          'TLS is verified by default. The exact bytes received are saved, and checked to be a profile (gzipped or raw pprof, or the text of ?debug=1/2). When the server answers with something else (an HTML login page, an execution trace) the bytes are still saved, and the command says where and exits with 2. User names, passwords and token-like query values of the URL are shown as ***. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are followed as Go does (localhost and loopback addresses are never proxied); proxy passwords are never shown.',
        )
        .example(
          '$0 https://127.0.0.1:2379/debug/pprof/heap --cacert ca.pem --cert client.pem --key client-key.pem',
          '',
        )
        .example('$0 127.0.0.1:2379/debug/pprof/profile --seconds 30 --cacert ca.pem --cert c.pem --key k.pem', ''),
    ),
  run: async (args) => {
    const out = args.o ?? args.output;
    const outFile = Array.isArray(out) ? out[out.length - 1] : out;
    const result = await fetchProfile(String(args.url), {
      ...fetchOptionsFromArgs(args),
      outFile: typeof outFile === 'string' ? outFile : undefined,
      force: args.force === true,
    });
    process.stdout.write(`${result.savedTo}\n`);
    return 0;
  },
};
export default spec;
