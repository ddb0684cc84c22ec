import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UserError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { DEFAULT_MAX_SIZE } from '../../src/input/gzip.js';
import { expandProfilePaths, loadProfile } from '../../src/input/load.js';

const FIX = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/pprof');
const fix = (name: string): string => join(FIX, name);
const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Loads and returns the InputError, checking the shape every loader error must have. */
async function loadError(path: string, opts?: Parameters<typeof loadProfile>[1]): Promise<InputError> {
  try {
    await loadProfile(path, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(2);
    expect(e.file).toBe(opts?.name ?? path);
    expect(e.message).toBe(`${e.file}: ${e.problem}`);
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('loadProfile: good input', () => {
  it('reads an uncompressed profile and records its source', async () => {
    const p = await loadProfile(fix('go-style-cpu.pb'));
    expect(p.samples.length).toBe(2);
    expect(p.source).toEqual({
      format: 'pprof-proto',
      path: fix('go-style-cpu.pb'),
      bytes: statSync(fix('go-style-cpu.pb')).size,
      gzipped: false,
      truncated: false,
      hasStacks: true,
      notes: [],
    });
  });

  it('reads a gzipped profile', async () => {
    const p = await loadProfile(fix('delta-heap.pb.gz'));
    expect(p.source.gzipped).toBe(true);
    expect(p.source.bytes).toBe(statSync(fix('delta-heap.pb.gz')).size);
    expect(Array.from(p.samples.values.subarray(8, 12))).toEqual([0, 0, -1, -(2 ** 40)]);
  });

  it('inflates a profile gzipped twice, once more, and says so', async () => {
    const p = await loadProfile(fix('double-gzip.pb.gz'));
    expect(p.samples.length).toBe(2);
    expect(p.source.gzipped).toBe(true);
    expect(p.source.notes).toContain('the file was gzip-compressed twice; both layers were removed');
  });

  it('reads a multi-member gzip stream as one (as Go does)', async () => {
    const raw = readFileSync(fix('go-style-cpu.pb'));
    const path = join(tmp, 'multi.pb.gz');
    writeFileSync(path, Buffer.concat([gzipSync(raw.subarray(0, 100)), gzipSync(raw.subarray(100))]));
    expect((await loadProfile(path)).samples.length).toBe(2);
  });

  it('accepts bytes, with a name for messages', async () => {
    const b = new Uint8Array(readFileSync(fix('delta-heap.pb.gz')));
    const p = await loadProfile(b, { name: 'heap from memory' });
    expect(p.source.path).toBe('heap from memory');
    await expect(loadProfile(new Uint8Array(0))).rejects.toThrow('<bytes>: empty file');
  });

  it('never modifies the input (bytes or file)', async () => {
    const b = new Uint8Array(readFileSync(fix('double-gzip.pb.gz')));
    const before = createHash('sha256').update(b).digest('hex');
    await loadProfile(b);
    expect(createHash('sha256').update(b).digest('hex')).toBe(before);
    const path = join(tmp, 'copy.pb.gz');
    writeFileSync(path, b);
    const mtime = statSync(path).mtimeMs;
    await loadProfile(path);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it('hands text to the text importers, plain or gzipped', async () => {
    const text = 'goroutine profile: total 2\n2 @ 0x401000 0x402000\n#\t0x401000\tmain.f+0x10\t/src/a.go:12\n\n';
    const plain = join(tmp, 'goroutine.txt');
    writeFileSync(plain, text);
    const gz = join(tmp, 'goroutine.txt.gz');
    writeFileSync(gz, gzipSync(text));
    for (const [path, gzipped] of [
      [plain, false],
      [gz, true],
    ] as const) {
      const p = await loadProfile(path);
      expect(p.source.format).toBe('count-text');
      expect(p.source.path).toBe(path);
      expect(p.source.gzipped).toBe(gzipped);
      expect(p.source.bytes).toBe(statSync(path).size);
      expect(p.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    }
  });

  it('reads UTF-16 text (PowerShell redirection) as text', async () => {
    const text = 'goroutine profile: total 2\n2 @ 0x401000\n#\t0x401000\tmain.f+0x10\t/src/a.go:12\n\n';
    const path = join(tmp, 'goroutine-utf16.txt');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const p = await loadProfile(path);
    expect(p.source.format).toBe('count-text');
    expect(p.source.notes).toContain('the file is UTF-16 text (as PowerShell writes with ">"); it was read as such');
  });

  it('detects from content, not from the name', async () => {
    const path = join(tmp, 'looks-like.png');
    writeFileSync(path, readFileSync(fix('delta-heap.pb.gz')));
    expect((await loadProfile(path)).sampleTypes.length).toBe(4);
  });
});

describe('loadProfile: bad input gets one line naming the file', () => {
  const cases: [string, string | RegExp][] = [
    ['bad/empty.pb.gz', 'empty file'],
    [
      'bad/random.bin',
      /^not a pprof profile: unrecognized binary data \(starts with c7 [0-9a-f ]+; protobuf decoding stopped with: .+\)$/,
    ],
    ['bad/truncated.pb.gz', 'truncated gzip data (the download may have been cut off)'],
    ['bad/image.png', 'a PNG image, not a profile'],
    [
      'bad/profile.json',
      'JSON, not a pprof profile (pprof-doctor reads profile.proto files, usually .pb.gz, and Go text profiles)',
    ],
    [
      'bad/error-page.html',
      'an HTML page, not a profile (an error or login page was probably saved in place of the profile)',
    ],
    ['bad/string-index.pb.gz', 'string index 99 out of range (table has 4 strings)'],
    [
      'bad/concatenated.pb.gz',
      'concatenated profiles detected (the data holds two or more profiles back to back; save each to its own file)',
    ],
  ];
  for (const [name, problem] of cases) {
    it(name, async () => {
      const e = await loadError(fix(name));
      if (typeof problem === 'string') expect(e.problem).toBe(problem);
      else expect(e.problem).toMatch(problem);
    });
  }

  it('a directory', async () => {
    expect((await loadError(FIX)).problem).toBe('is a directory (give a profile file)');
  });

  it('a missing file', async () => {
    expect((await loadError(join(tmp, 'nope.pb.gz'))).problem).toBe('no such file');
    expect((await loadError(join(fix('go-style-cpu.pb'), 'x'))).problem).toMatch(/^no such file/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file (real permissions; skipped as root)', async () => {
    const path = join(tmp, 'secret.pb.gz');
    writeFileSync(path, 'x');
    chmodSync(path, 0o000);
    expect((await loadError(path)).problem).toBe('permission denied');
  });

  it('a gzip bomb is refused at the cap, quickly', async () => {
    const path = join(tmp, 'bomb.gz');
    writeFileSync(path, gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    const t = performance.now();
    const e = await loadError(path, { maxSize: 1024 * 1024 });
    expect(e.problem).toBe('decompressed size exceeds 1 MiB (use --max-size to raise it)');
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('a file larger than the cap is refused before reading', async () => {
    expect((await loadError(fix('bad/random.bin'), { maxSize: 1000 })).problem).toBe(
      'file size exceeds 1000 bytes (use --max-size to raise it)',
    );
  });

  it('gzip with garbage after the stream', async () => {
    const path = join(tmp, 'trailing.pb.gz');
    writeFileSync(path, Buffer.concat([readFileSync(fix('delta-heap.pb.gz')), Buffer.from('garbage!')]));
    expect((await loadError(path)).problem).toBe(
      'corrupt gzip data (unexpected bytes after the end of the compressed data)',
    );
  });

  it('gzip wrapping something that is not a profile', async () => {
    const path = join(tmp, 'gz-random.gz');
    writeFileSync(path, gzipSync(readFileSync(fix('bad/random.bin'))));
    expect((await loadError(path)).problem).toMatch(
      /^not a pprof profile: gzip-compressed data that is not a profile inside/,
    );
  });

  it('an uncompressed profile cut off near its end', async () => {
    const raw = readFileSync(fix('go-style-cpu.pb'));
    const path = join(tmp, 'cut.pb');
    writeFileSync(path, raw.subarray(0, raw.length - 30));
    expect((await loadError(path)).problem).toMatch(
      /^truncated pprof profile: .* \(the download may have been cut off\)$/,
    );
  });

  it('other known binary formats', async () => {
    const magic: [string, number[], RegExp][] = [
      ['elf', [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], /^an ELF executable, not a profile/],
      ['zip', [0x50, 0x4b, 3, 4, 20, 0, 0, 0], /^a zip archive/],
      ['perf', Array.from(Buffer.from('PERFILE2\x68\0\0\0')), /^a Linux perf.data file/],
      ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0], /^zstd-compressed data/],
      [
        'gperftools',
        [
          0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x27, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0,
        ],
        /^a legacy gperftools CPU profile/,
      ],
    ];
    for (const [name, bytes, re] of magic) {
      const path = join(tmp, `magic-${name}`);
      writeFileSync(path, Buffer.from([...bytes, ...new Array(64).fill(0xee)]));
      expect((await loadError(path)).problem).toMatch(re);
    }
  });

  it('text in no known format', async () => {
    const path = join(tmp, 'notes.txt');
    writeFileSync(path, 'hello, this is not a profile\nsecond line\n');
    expect((await loadError(path)).problem).toBe(
      'not a pprof profile: text in no format pprof-doctor reads (first line: "hello, this is not a profile"; ' +
        'it reads profile.proto, debug=1/2 text or excerpts, tracebacks, pprof top/peek/tree/list/traces/raw)',
    );
  });

  it('an SVG image', async () => {
    const path = join(tmp, 'graph.svg');
    writeFileSync(path, '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n');
    expect((await loadError(path)).problem).toBe('an SVG image, not a profile');
  });

  it('uses the given name in messages', async () => {
    const e = await loadError(fix('bad/image.png'), { name: 'http://host:2379/debug/pprof/heap' });
    expect(e.message).toBe('http://host:2379/debug/pprof/heap: a PNG image, not a profile');
  });
});

describe('parseProfileBytes', () => {
  it('agrees with loadProfile on every fixture, good or bad', async () => {
    const names = ['go-style-cpu.pb', 'delta-heap.pb.gz', 'labels-header.pb.gz', 'double-gzip.pb.gz'];
    names.push(...readdirSync(fix('bad')).map((f) => `bad/${f}`));
    for (const n of names) {
      const bytes = new Uint8Array(readFileSync(fix(n)));
      const viaBytes = (() => {
        try {
          return parseProfileBytes(bytes, fix(n));
        } catch (err) {
          return (err as Error).message;
        }
      })();
      const viaLoad = await loadProfile(fix(n)).catch((err: Error) => err.message);
      expect(viaLoad).toStrictEqual(viaBytes);
    }
  });

  it('works without Node when the input is not gzipped', () => {
    const p = parseProfileBytes(new Uint8Array(readFileSync(fix('go-style-cpu.pb'))), 'cpu.pb');
    expect(p.source.path).toBe('cpu.pb');
    expect(p.source.gzipped).toBe(false);
  });

  it('takes an inflater as an option', () => {
    let called = 0;
    const p = parseProfileBytes(new Uint8Array(readFileSync(fix('delta-heap.pb.gz'))), 'x', {
      gunzip: (b, max) => {
        called++;
        expect(max).toBe(DEFAULT_MAX_SIZE);
        return new Uint8Array(gunzipSync(b));
      },
    });
    expect(called).toBe(1);
    expect(p.samples.length).toBe(3);
  });
});

describe('expandProfilePaths', () => {
  it('expands a directory to its files in natural name order', async () => {
    const dir = join(tmp, 'series');
    mkdirSync(dir);
    for (const n of ['heap.10.pb.gz', 'heap.2.pb.gz', '.hidden', 'heap.1.pb.gz']) writeFileSync(join(dir, n), 'x');
    mkdirSync(join(dir, 'sub'));
    expect(await expandProfilePaths([dir, fix('go-style-cpu.pb')])).toEqual([
      join(dir, 'heap.1.pb.gz'),
      join(dir, 'heap.2.pb.gz'),
      join(dir, 'heap.10.pb.gz'),
      fix('go-style-cpu.pb'),
    ]);
  });

  it('reports missing paths and empty directories', async () => {
    await expect(expandProfilePaths([join(tmp, 'missing')])).rejects.toThrow(`${join(tmp, 'missing')}: no such file`);
    const empty = join(tmp, 'empty-dir');
    mkdirSync(empty);
    await expect(expandProfilePaths([empty])).rejects.toThrow(`${empty}: is a directory with no profile files in it`);
  });
});
