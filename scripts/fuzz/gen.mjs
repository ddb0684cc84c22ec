/**
 * Random inputs from scratch: profile.proto messages (mostly well-formed, sometimes subtly not),
 * Go text profiles of every format we read, pasted `go tool pprof -top` tables, and YAML rule files
 * shaped like rules/README.md describes, with hostile values.
 */
import { concat, lenField, packed, varint, varintField } from './proto.mjs';

const PKGS = [
  'go.etcd.io/etcd/mvcc',
  'go.etcd.io/etcd/etcdserver',
  'go.etcd.io/etcd/etcdserver/api/v3rpc',
  'go.etcd.io/etcd/lease',
  'go.etcd.io/bbolt',
  'github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport',
  'google.golang.org/grpc/internal/transport',
  'go.etcd.io/etcd/client/v3',
  'runtime',
  'sync',
  'net/http',
  'main',
  'k8s.io/kubernetes/vendor/github.com/coreos/etcd/clientv3',
];
const TYPES = [
  '',
  '(*watchableStore)',
  '(*treeIndex)',
  '(*lessor)',
  '(*recvBuffer)',
  '(*Mutex)',
  'Server',
  '(*raftNode)',
];
const METHODS = ['watch', 'Range', 'Renew', 'put', 'Lock', 'mallocgc', 'scanobject', 'main', 'run', 'gopark', 'Serve'];
const HOSTILE_NAMES = [
  '',
  ' ',
  '\u0000',
  'a'.repeat(64),
  `${'a'.repeat(40)}!`,
  `${'x'.repeat(30)}`,
  'é中😀\u202e\u200b',
  '(',
  '.leading.dot',
  'operator()',
  '(anonymous namespace)::f',
  'x'.repeat(10000),
  '%s%n%x',
  '\r\n\t',
];

export function goName(rng) {
  if (rng.bool(0.05)) return rng.pick(HOSTILE_NAMES);
  const pkg = rng.pick(PKGS);
  const typ = rng.pick(TYPES);
  let name = `${pkg}.${typ ? `${typ}.` : ''}${rng.pick(METHODS)}`;
  if (rng.bool(0.2)) name += `.func${rng.range(1, 12)}`;
  if (rng.bool(0.05)) name += `.${rng.range(1, 3)}`;
  if (rng.bool(0.02)) name += `[...]`;
  return name;
}

function goFile(rng) {
  if (rng.bool(0.05)) return rng.pick(HOSTILE_NAMES);
  return `/home/user/go/src/${rng.pick(PKGS)}/${rng.pick(['file', 'server', 'watch', 'proc', 'malloc'])}.go`;
}

/** int64-ish values: small, negative, large, extreme. */
export function int64(rng) {
  const x = rng.int(90);
  if (x < 50) return rng.int(1001);
  if (x < 65) return rng.range(1000, 1e9);
  if (x < 73) return -rng.int(1e6);
  if (x < 78) return 0;
  if (x < 82) return rng.range(1e9, 2 ** 53 - 1);
  if (x < 85) return -(2 ** 53) + 1;
  if (x < 87) return 9223372036854775807n;
  if (x < 89) return -9223372036854775808n;
  return 18446744073709551615n;
}

function ids(rng, n) {
  const mode = rng.weighted([
    [80, 'dense'],
    [10, 'sparse'],
    [5, 'huge'],
    [5, 'shuffled'],
  ]);
  const out = [];
  if (mode === 'dense') for (let i = 1; i <= n; i++) out.push(i);
  else if (mode === 'shuffled') {
    for (let i = 1; i <= n; i++) out.push(i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
  } else {
    const seen = new Set();
    while (out.length < n) {
      const id = mode === 'huge' ? BigInt(rng.u32()) * 4294967296n + BigInt(rng.u32()) : BigInt(rng.range(1, 1e6));
      if (id === 0n || seen.has(id)) continue;
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

/**
 * A random profile.proto message. Mostly consistent (so the analysis runs on it), with a small
 * chance of each kind of inconsistency the decoder must reject.
 */
export function genProto(rng, opts = {}) {
  const strings = [''];
  const strIndex = new Map([['', 0]]);
  const S = (s) => {
    let i = strIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      strIndex.set(s, i);
    }
    return i;
  };
  const bad = (p) => rng.bool(p * (opts.badness ?? 1));
  const parts = [];
  const nTypes = rng.weighted([
    [85, rng.range(1, 4)],
    [5, 0],
    [5, rng.range(5, 40)],
  ]);
  const typeNames = [
    'samples',
    'cpu',
    'alloc_objects',
    'alloc_space',
    'inuse_objects',
    'inuse_space',
    'goroutine',
    'delay',
  ];
  const units = ['count', 'nanoseconds', 'bytes', 'seconds', 'microseconds', '', 'kilobytes', 'weird'];
  for (let i = 0; i < nTypes; i++) {
    parts.push(lenField(1, concat([varintField(1, S(rng.pick(typeNames))), varintField(2, S(rng.pick(units)))])));
  }
  const nMap = rng.range(0, 3);
  const mapIds = ids(rng, nMap);
  for (let i = 0; i < nMap; i++) {
    parts.push(
      lenField(
        3,
        concat([
          varintField(1, mapIds[i]),
          varintField(2, rng.bool(0.1) ? int64(rng) : 0x400000 * (i + 1)),
          varintField(3, rng.bool(0.1) ? int64(rng) : 0x400000 * (i + 2)),
          varintField(5, S(rng.pick(['/usr/bin/etcd', 'http://x/y', '', '[vdso]', goFile(rng)]))),
          varintField(6, S(rng.bool(0.5) ? '' : 'abc123')),
          varintField(7, 1),
        ]),
      ),
    );
  }
  const nFn = rng.weighted([
    [70, rng.range(1, 60)],
    [20, rng.range(60, 600)],
    [10, 0],
  ]);
  const fnIds = ids(rng, nFn);
  for (let i = 0; i < nFn; i++) {
    parts.push(
      lenField(
        5,
        concat([
          varintField(1, fnIds[i]),
          varintField(2, S(goName(rng))),
          varintField(3, S(rng.bool(0.9) ? '' : goName(rng))),
          varintField(4, S(goFile(rng))),
          varintField(5, rng.bool(0.9) ? rng.range(0, 3000) : int64(rng)),
        ]),
      ),
    );
  }
  const nLoc = nFn === 0 ? rng.range(0, 5) : rng.range(1, nFn * 2);
  const locIds = ids(rng, nLoc);
  for (let i = 0; i < nLoc; i++) {
    const body = [varintField(1, locIds[i])];
    if (nMap > 0 && rng.bool(0.8)) body.push(varintField(2, rng.pick(mapIds)));
    else if (bad(0.01)) body.push(varintField(2, 999999));
    body.push(varintField(3, rng.bool(0.95) ? 0x401000 + i * 16 : int64(rng)));
    const nLines =
      nFn === 0
        ? 0
        : rng.weighted([
            [80, 1],
            [15, rng.range(2, 4)],
            [3, 0],
            [2, rng.range(5, 40)],
          ]);
    for (let k = 0; k < nLines; k++) {
      const fnId = bad(0.005) ? 123456789 : rng.bool(0.02) ? 0 : rng.pick(fnIds);
      body.push(
        lenField(4, concat([varintField(1, fnId), varintField(2, rng.bool(0.95) ? rng.range(1, 5000) : int64(rng))])),
      );
    }
    if (rng.bool(0.02)) body.push(varintField(5, 1));
    parts.push(lenField(4, concat(body)));
  }
  const ns = rng.int(100);
  const nSamples = nLoc === 0 ? rng.range(0, 3) : ns < 75 ? rng.range(1, 100) : ns < 90 ? rng.range(100, 1000) : 0;
  const labelKeys = ['state', 'goroutine', 'bytes', 'pprof::base', 'wait_minutes', ''];
  // At most one very deep stack per profile (deep stacks are costly to generate and to read).
  const deepSample = rng.bool(0.05) ? rng.int(Math.max(1, nSamples)) : -1;
  for (let s = 0; s < nSamples; s++) {
    const depth =
      s === deepSample
        ? rng.range(500, 50000)
        : rng.weighted([
            [85, rng.range(1, 40)],
            [10, 0],
            [5, rng.range(40, 300)],
          ]);
    const stack = [];
    for (let k = 0; k < depth && nLoc > 0; k++) {
      // recursion: sometimes repeat a frame already in the stack
      if (k > 0 && rng.bool(0.1)) stack.push(stack[rng.int(k)]);
      else stack.push(rng.pick(locIds));
    }
    if (bad(0.002) && stack.length) stack[rng.int(stack.length)] = 987654321;
    const body = [];
    if (stack.length) body.push(packed(1, stack));
    const nv = bad(0.005) ? nTypes + rng.range(-1, 2) : nTypes;
    const vals = [];
    for (let k = 0; k < nv; k++) vals.push(int64(rng));
    if (vals.length) {
      if (rng.bool(0.9)) body.push(packed(2, vals));
      else for (const v of vals) body.push(varintField(2, v));
    }
    if (rng.bool(0.05)) {
      const key = rng.pick(labelKeys);
      if (rng.bool(0.6))
        body.push(
          lenField(3, concat([varintField(1, S(key)), varintField(2, S(rng.pick(['true', 'chan receive', 'x'])))])),
        );
      else
        body.push(
          lenField(
            3,
            concat([varintField(1, S(key)), varintField(3, int64(rng)), varintField(4, S(rng.pick(['bytes', ''])))]),
          ),
        );
    }
    parts.push(lenField(2, concat(body)));
  }
  if (rng.bool(0.8)) parts.push(varintField(9, rng.bool(0.8) ? 1666000000000000000 + rng.range(0, 1e9) : int64(rng)));
  if (rng.bool(0.7)) parts.push(varintField(10, rng.bool(0.8) ? rng.range(0, 60e9) : int64(rng)));
  if (rng.bool(0.7)) parts.push(lenField(11, concat([varintField(1, S('cpu')), varintField(2, S('nanoseconds'))])));
  if (rng.bool(0.7)) parts.push(varintField(12, rng.bool(0.8) ? 10000000 : int64(rng)));
  if (rng.bool(0.1)) parts.push(packed(13, [S('comment one'), S('#hidden')]));
  if (rng.bool(0.3)) parts.push(varintField(14, S(rng.pick(typeNames))));
  if (rng.bool(0.1)) {
    parts.push(varintField(7, S(rng.pick(['runtime\\..*', '.*', '(a+)+$', '[', 'x{1001}', '(?P<n>a)', '\\', '']))));
    if (rng.bool(0.5)) parts.push(varintField(8, S(rng.pick(['runtime\\.main', '(', '.*']))));
  }
  // The string table: Go writes it last; sometimes put it first or in the middle.
  const strParts = [];
  const nStr = bad(0.01) ? Math.max(1, strings.length - rng.range(1, 3)) : strings.length;
  for (let i = 0; i < nStr; i++) strParts.push(lenField(6, new TextEncoder().encode(strings[i])));
  const where = rng.weighted([
    [80, parts.length],
    [10, 0],
    [10, rng.int(parts.length + 1)],
  ]);
  parts.splice(where, 0, ...strParts);
  return concat(parts);
}

// ---------------------------------------------------------------------------------------------
// Text formats

function hex(rng) {
  return `0x${(0x400000 + rng.int(0x800000)).toString(16)}`;
}

const ODD_NUMBERS = ['0', '-1', '99999999999999999999999999', '1e309', 'NaN', '', '0x10'];

function num(rng) {
  const x = rng.int(100);
  if (x < 85) return String(rng.int(100001));
  if (x < 90) return String(rng.range(1e9, 2 ** 53));
  return ODD_NUMBERS[x - 90] ?? '0';
}

function frameLines(rng, n) {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push(`#\t${hex(rng)}\t${goName(rng)}+0x${rng.int(4096).toString(16)}\t${goFile(rng)}:${num(rng)}`);
  return out;
}

function addrs(rng, n) {
  const a = [];
  for (let i = 0; i < n; i++) a.push(hex(rng));
  return a.join(' ');
}

/** Stack depths: mostly short; one record per document may be very deep. */
function depthOf(rng, state) {
  if (!state.deepDone && rng.bool(0.01)) {
    state.deepDone = true;
    return rng.range(100, 5000);
  }
  const x = rng.int(100);
  if (x < 92) return rng.range(1, 20);
  if (x < 98) return 0;
  return rng.range(20, 100);
}

export function genHeapText(rng) {
  const state = {};
  const lines = [
    `heap profile: ${num(rng)}: ${num(rng)} [${num(rng)}: ${num(rng)}] @ ${rng.pick(['heap/1048576', 'heap/524288', 'heap/0', 'heapprofile', 'heap_v2/524288', 'heap/-1', 'growthz'])}`,
  ];
  const n = rng.small(300);
  for (let i = 0; i < n; i++) {
    const d = depthOf(rng, state);
    lines.push(`${num(rng)}: ${num(rng)} [${num(rng)}: ${num(rng)}] @ ${addrs(rng, d)}`);
    lines.push(...frameLines(rng, rng.bool(0.9) ? d : rng.int(d + 2)));
    lines.push('');
  }
  if (rng.bool(0.5)) {
    lines.push(
      '',
      '# runtime.MemStats',
      `# Alloc = ${num(rng)}`,
      `# HeapIdle = ${num(rng)}`,
      `# HeapInuse = ${num(rng)}`,
      `# PauseNs = [${num(rng)} ${num(rng)}]`,
    );
  }
  return lines.join('\n');
}

export function genCountText(rng) {
  const state = {};
  const kind = rng.pick(['goroutine', 'threadcreate']);
  const lines = [`${kind} profile: total ${num(rng)}`];
  const n = rng.small(200);
  for (let i = 0; i < n; i++) {
    const d = depthOf(rng, state);
    lines.push(`${num(rng)} @ ${addrs(rng, d)}`);
    if (rng.bool(0.1)) lines.push(`# labels: {"state":"${rng.pick(['x', 'y"', '\\'])}"}`);
    lines.push(...frameLines(rng, d));
    lines.push('');
  }
  return lines.join('\n');
}

export function genContentionText(rng) {
  const state = {};
  const lines = [`--- ${rng.pick(['mutex', 'contention'])}:`, `cycles/second=${num(rng)}`];
  if (rng.bool(0.7)) lines.push(`sampling period=${num(rng)}`);
  const n = rng.small(200);
  for (let i = 0; i < n; i++) {
    const d = depthOf(rng, state);
    lines.push(`${num(rng)} ${num(rng)} @ ${addrs(rng, d)}`);
    lines.push(...frameLines(rng, d));
  }
  return lines.join('\n');
}

const STATES = [
  'running',
  'runnable',
  'chan receive',
  'select',
  'IO wait',
  'semacquire',
  'sync.Mutex.Lock',
  'sleep',
  'syscall',
];

function dumpFrames(rng, n, out) {
  for (let i = 0; i < n; i++) {
    out.push(`${goName(rng)}(${rng.bool(0.5) ? '0xc000123456, 0x1' : rng.bool(0.5) ? '...' : ''})`);
    out.push(`\t${goFile(rng)}:${num(rng)}${rng.bool(0.8) ? ` +0x${rng.int(999).toString(16)}` : ''}`);
  }
}

export function genGoroutineDump(rng) {
  const state = {};
  const out = [];
  if (rng.bool(0.2))
    out.push(
      rng.pick([
        'panic: runtime error: index out of range [5] with length 3',
        'SIGQUIT: quit',
        'fatal error: all goroutines are asleep - deadlock!',
      ]),
      '',
    );
  const n = rng.small(300) + 1;
  for (let g = 0; g < n; g++) {
    const wait = rng.bool(0.3) ? `, ${num(rng)} minutes` : '';
    const locked = rng.bool(0.05) ? ', locked to thread' : '';
    out.push(`goroutine ${num(rng)} [${rng.pick(STATES)}${wait}${locked}]:`);
    dumpFrames(rng, depthOf(rng, state), out);
    if (rng.bool(0.05)) out.push('...additional frames elided...');
    if (rng.bool(0.7)) {
      out.push(`created by ${goName(rng)}${rng.bool(0.3) ? ` in goroutine ${num(rng)}` : ''}`);
      out.push(`\t${goFile(rng)}:${num(rng)} +0x${rng.int(999).toString(16)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'ms', 's', 'us', 'µs', 'ns', 'mins', 'hrs', '', 'XB'];

function anyAmount(rng) {
  return `${rng.bool(0.9) ? (rng.float() * 1000).toFixed(rng.int(3)) : num(rng)}${rng.pick(UNITS)}`;
}

const amount = anyAmount;

function pct(rng) {
  return `${rng.bool(0.95) ? (rng.float() * 100).toFixed(2) : num(rng)}%`;
}

export function genTopTable(rng) {
  const out = [];
  if (rng.bool(0.5)) out.push('File: etcd');
  if (rng.bool(0.6))
    out.push(`Type: ${rng.pick(['inuse_space', 'cpu', 'alloc_objects', 'goroutine', 'delay', '???'])}`);
  if (rng.bool(0.3)) out.push('Time: Oct 18, 2022 at 3:39pm (UTC)');
  if (rng.bool(0.3)) out.push(`Duration: 30.13s, Total samples = ${amount(rng)} (${pct(rng)})`);
  if (rng.bool(0.8)) out.push(`Showing nodes accounting for ${amount(rng)}, ${pct(rng)} of ${amount(rng)} total`);
  if (rng.bool(0.3)) out.push(`Dropped ${num(rng)} nodes (cum <= ${amount(rng)})`);
  if (rng.bool(0.3)) out.push(`Showing top ${num(rng)} nodes out of ${num(rng)}`);
  if (rng.bool(0.9)) out.push('      flat  flat%   sum%        cum   cum%');
  const n = rng.small(200) + 1;
  for (let i = 0; i < n; i++) {
    const inline = rng.bool(0.1) ? rng.pick([' (inline)', ' (partial-inline)']) : '';
    out.push(
      `${amount(rng).padStart(10)} ${pct(rng).padStart(6)} ${pct(rng).padStart(6)} ${amount(rng).padStart(10)} ${pct(rng).padStart(6)}  ${goName(rng)}${inline}`,
    );
  }
  return out.join('\n');
}

function reportHeader(rng, out) {
  if (rng.bool(0.5)) out.push('File: etcd');
  if (rng.bool(0.6)) out.push(`Type: ${rng.pick(['inuse_space', 'cpu', 'alloc_space', 'goroutine', 'delay', '???'])}`);
  if (rng.bool(0.7)) out.push(`Showing nodes accounting for ${amount(rng)}, ${pct(rng)} of ${amount(rng)} total`);
  if (rng.bool(0.2)) out.push(`Showing top ${num(rng)} nodes out of ${num(rng)}`);
}

/** go tool pprof -peek / -tree. */
export function genPeek(rng) {
  const out = [];
  reportHeader(rng, out);
  const sep = `${'-'.repeat(rng.bool(0.9) ? 58 : rng.range(30, 70))}+${'-'.repeat(13)}`;
  out.push(sep, '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ', sep);
  const n = rng.small(200) + 1;
  for (let i = 0; i < n; i++) {
    for (let k = rng.int(4); k > 0; k--) out.push(`${' '.repeat(41)}${amount(rng)} ${pct(rng)} |   ${goName(rng)}`);
    if (rng.bool(0.95)) {
      out.push(
        `${amount(rng).padStart(10)} ${pct(rng)} ${pct(rng)} ${amount(rng).padStart(10)} ${pct(rng)}                | ${goName(rng)}${rng.bool(0.1) ? ' (inline)' : ''}`,
      );
    }
    for (let k = rng.int(4); k > 0; k--) out.push(`${' '.repeat(41)}${amount(rng)} ${pct(rng)} |   ${goName(rng)}`);
    out.push(sep);
  }
  return out.join('\n');
}

/** go tool pprof -list. */
export function genList(rng) {
  const out = [];
  if (rng.bool(0.8)) out.push(`Total: ${amount(rng)}`);
  const n = rng.small(50) + 1;
  for (let i = 0; i < n; i++) {
    out.push(`ROUTINE ======================== ${goName(rng)} in ${goFile(rng)}`);
    if (rng.bool(0.9))
      out.push(`${amount(rng).padStart(10)} ${amount(rng).padStart(10)} (flat, cum) ${pct(rng)} of Total`);
    if (rng.bool(0.2)) out.push(` Error: could not find file ${goFile(rng)} on path /tmp`);
    for (let k = rng.small(80); k > 0; k--) {
      const v = () => (rng.bool(0.7) ? '.' : amount(rng));
      out.push(
        `${v().padStart(10)} ${v().padStart(10)} ${String(num(rng)).padStart(6)}:\t${rng.pick(['x := <-ch // wait', 'return', 'a[i] = b', '&amp; <tag>'])}`,
      );
    }
  }
  return out.join('\n');
}

/**
 * go tool pprof -weblist: the HTML page (its style sheet hides the disassembly under each line),
 * or its text as a browser copies it (blank lines around the routine's name and file). Damaged
 * at times: spans left open, a hidden element nested deep, a tag thousands of characters long.
 */
export function genWeblist(rng) {
  const html = rng.bool(0.6);
  // One unit per page (mostly), as pprof prints: the listing then reads past its first lines.
  const unit = rng.pick(['B', 'kB', 'MB', 'ms', 's']);
  const amount = (r) => (r.bool(0.98) ? `${(r.float() * 1000).toFixed(r.int(3))}${unit}` : anyAmount(r));
  const out = [];
  if (html)
    out.push(
      '<!DOCTYPE html><html><head><title>Pprof listing</title><style type="text/css">',
      rng.pick(['.asm {\ncolor: #008800;\ndisplay: none;\n}', '.asm, .x { display:none }', '.asm {}', '']),
      '</style></head><body>',
      `<div class="legend">File: etcd<br>\nType: ${rng.pick(['inuse_space', 'cpu', 'delay'])}<br>Total: ${amount(rng)}</div>`,
    );
  else out.push('File: etcd', `Type: ${rng.pick(['inuse_space', 'cpu'])}`, `Total: ${amount(rng)}`);
  const n = rng.small(20) + 1;
  for (let i = 0; i < n; i++) {
    const name = goName(rng);
    const file = goFile(rng);
    const total = `  Total: ${amount(rng).padStart(10)} ${amount(rng).padStart(10)} (flat, cum) ${pct(rng)}`;
    if (html)
      out.push(`<h2>${name}</h2><p class="filename">${file}</p>`, '<pre onClick="pprof_toggle_asm(event)">', total);
    else out.push(name, '', file, '', total);
    for (let k = rng.small(40); k > 0; k--) {
      const v = () => (rng.bool(0.7) ? '.' : amount(rng));
      const row = `${String(num(rng)).padStart(7)} ${v().padStart(12)} ${v().padStart(10)}           ${rng.pick(['x := <-ch', 'a[i] = b', '&amp; &lt;tag&gt;', '}'])} `;
      if (!html) {
        out.push(row);
        continue;
      }
      let asm = '';
      if (rng.bool(0.5)) {
        const depth = rng.bool(0.02) ? rng.int(5000) : rng.small(3);
        asm = `<span class=asm>${'<span class=unimportant>'.repeat(depth)}  . . 4aebb2: MOVQ AX, BX main.go:14${'</span>'.repeat(rng.bool(0.9) ? depth : 0)}\n</span>`;
      }
      if (rng.bool(0.01)) asm += `<span ${'a'.repeat(rng.int(20000))} class=asm>`;
      out.push(`<span class=line>${row.slice(0, 7)}</span> <span class=livesrc>${row.slice(8)}</span>${asm}`);
    }
    if (html) out.push(rng.bool(0.9) ? '</pre>' : '');
  }
  if (html) out.push('</body></html>');
  return out.join('\n');
}

/** go tool pprof -traces. */
export function genTraces(rng) {
  const out = [];
  reportHeader(rng, out);
  const sep = `-----------+-------------------------------------------------------`;
  const state = {};
  const n = rng.small(200) + 1;
  for (let i = 0; i < n; i++) {
    out.push(sep);
    if (rng.bool(0.3)) out.push(`${'bytes'.padStart(10)}:  ${amount(rng)}`);
    if (rng.bool(0.1)) out.push(`${'state'.padStart(10)}:  ${rng.pick(['a b', '', 'x:y'])}`);
    const d = depthOf(rng, state);
    for (let k = 0; k < d; k++) {
      const name = `${goName(rng)}${rng.bool(0.1) ? ' (inline)' : ''}`;
      out.push(k === 0 && rng.bool(0.95) ? `${amount(rng).padStart(10)}   ${name}` : `             ${name}`);
    }
  }
  if (rng.bool(0.8)) out.push(sep);
  return out.join('\n');
}

/** go tool pprof -raw. */
export function genRaw(rng) {
  const out = ['PeriodType: space bytes', `Period: ${num(rng)}`, 'Samples:'];
  const nt = rng.range(1, 5);
  const types = [];
  for (let i = 0; i < nt; i++)
    types.push(
      `${rng.pick(['alloc_space', 'cpu', 'x'])}/${rng.pick(['bytes', 'count', 'nanoseconds'])}${rng.bool(0.1) ? '[dflt]' : ''}`,
    );
  out.push(types.join(' '));
  const nLocs = rng.small(300) + 1;
  const n = rng.small(300);
  for (let i = 0; i < n; i++) {
    const vals = [];
    for (let k = 0; k < (rng.bool(0.95) ? nt : rng.range(1, 6)); k++) vals.push(String(num(rng)).padStart(10));
    const ids = [];
    for (let k = rng.small(30); k > 0; k--) ids.push(rng.int(nLocs + 5) + 1);
    out.push(`${vals.join(' ')}: ${ids.join(' ')} `);
    if (rng.bool(0.3)) out.push(`                bytes:[${num(rng)}]${rng.bool(0.3) ? ' key:[a b]' : ''}`);
  }
  if (rng.bool(0.8)) {
    out.push('Locations');
    for (let i = 1; i <= nLocs; i++) {
      out.push(`${String(i).padStart(6)}: 0x${hex(rng).slice(2)} M=1 ${goName(rng)} ${goFile(rng)}:${num(rng)} s=0`);
      if (rng.bool(0.1)) out.push(`             ${goName(rng)} ${goFile(rng)}:${num(rng)} s=${num(rng)}`);
    }
  }
  if (rng.bool(0.7)) out.push('Mappings', `1: 0x400000/0xe00000/0x0 /usr/bin/etcd ${hex(rng)} [FN]`);
  return out.join('\n');
}

/** A paste: a form as people copy it (header cut, log prefix, prompt, quotes, fences, HTML, CRLF, wraps). */
function pasted(rng, text) {
  let lines = text.split('\n');
  if (rng.bool(0.3)) lines = lines.slice(rng.int(Math.max(1, lines.length >> 1)));
  const prefix = rng.pick([
    '',
    '',
    'Apr 26 18:18:57 host etcd[412644]: ',
    '2024-05-01T10:00:00.123Z ',
    'E0426 18:18:57.123456       1 file.go:12] ',
    '> ',
  ]);
  if (rng.bool(0.1)) lines.unshift(''); // a logged blank line first
  lines = lines.map((l) => prefix + l);
  // A second prefix over the first (a container's timestamp over klog's), long and constant.
  if (prefix && rng.bool(0.1)) lines = lines.map((l) => `E0426 18:18:06.803717       1 stackdump.go:481] ${l}`);
  if (rng.bool(0.2))
    lines.unshift(
      rng.pick([
        '$ curl -s http://127.0.0.1:2379/debug/pprof/heap?debug=1 | head',
        '(pprof) top',
        'user@host:~$ go tool pprof -peek x',
      ]),
    );
  if (rng.bool(0.1)) lines = ['```', ...lines, '```'];
  let out = lines.join(rng.bool(0.1) ? '\r\n' : '\n');
  if (rng.bool(0.1)) out = `<pre>${out.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`;
  if (rng.bool(0.1)) {
    // Hard wraps, after the quote markers (a mail client): the pieces carry none.
    const w = rng.range(20, 140);
    out = out.replace(new RegExp(`[^\n]{${w}}`, 'g'), (m) => `${m}\n`);
  }
  if (rng.bool(0.1)) out = out.replace(/[ \t]+/g, ' ');
  if (rng.bool(0.15)) out = wildShape(rng, out);
  return out;
}

/**
 * Shapes seen in public issue threads (scripts/paste-corpus/wild.mjs): tabs expanded under a
 * prompt-less command, a diff's `+`, a glued 12-hour clock, peek/tree without `+`, an indented
 * block under prose, pprof<1.10's total line, and pieces (frame lines or stack lines alone).
 */
function wildShape(rng, text) {
  const lines = text.split('\n');
  switch (rng.int(8)) {
    case 0:
      return `curl -s http://127.0.0.1:2379/debug/pprof/goroutine?debug=1\n${text.replace(/\t/g, '        ')}`;
    case 1:
      return `\`\`\`\`diff\n${lines.map((l) => `+${l}`).join('\n')}\n\`\`\`\``;
    case 2:
      return lines.map((l) => `6/13/2016 5:0${rng.int(10)}:08 ${rng.pick(['PM', 'AM'])}${l}`).join('\n');
    case 3:
      return text.replace(/-\+-/g, '- -').replace(/\+ context/g, 'context');
    case 4:
      return `Here it is:\n\n${lines.map((l) => (rng.bool(0.95) ? `    ${l}` : l)).join('\n')}`;
    case 5:
      return text.replace(/Showing nodes accounting for (\S+), (\S+) of (\S+) total/g, '$1 of $3 total ($2)');
    case 6:
      return lines.filter((l) => l.trimStart().startsWith('#')).join('\n');
    default: {
      const from = rng.int(Math.max(1, lines.length));
      return lines
        .slice(from, from + rng.range(2, 20))
        .filter((l) => !l.startsWith('goroutine '))
        .map((l) => `Apr 26 18:18:57 node-3 etcd[412644]: ${l.replace(/^\t/, '')}`)
        .join('\n');
    }
  }
}

export function genText(rng) {
  const kind = rng.pick([
    'heap',
    'count',
    'contention',
    'dump',
    'table',
    'peek',
    'list',
    'weblist',
    'traces',
    'raw',
    'paste',
    'wild',
  ]);
  const make = (k) =>
    k === 'heap'
      ? genHeapText(rng)
      : k === 'count'
        ? genCountText(rng)
        : k === 'contention'
          ? genContentionText(rng)
          : k === 'dump'
            ? genGoroutineDump(rng)
            : k === 'peek'
              ? genPeek(rng)
              : k === 'list'
                ? genList(rng)
                : k === 'weblist'
                  ? genWeblist(rng)
                  : k === 'traces'
                    ? genTraces(rng)
                    : k === 'raw'
                      ? genRaw(rng)
                      : genTopTable(rng);
  if (kind === 'paste') {
    const inner = rng.pick([
      'heap',
      'count',
      'contention',
      'dump',
      'table',
      'peek',
      'list',
      'weblist',
      'traces',
      'raw',
    ]);
    let text = pasted(rng, make(inner));
    if (rng.bool(0.2)) text += `\n${pasted(rng, make(rng.pick(['table', 'list', 'peek'])))}`;
    return { kind: `paste-${inner}`, text };
  }
  if (kind === 'wild') {
    const inner = rng.pick(['heap', 'count', 'contention', 'dump', 'table', 'peek', 'list', 'traces']);
    return { kind: `wild-${inner}`, text: wildShape(rng, make(inner)) };
  }
  return { kind, text: make(kind) };
}

// ---------------------------------------------------------------------------------------------
// Rule files

export const HOSTILE_REGEXES = [
  '(a+)+$',
  '(a|a)*b',
  '(x+x+)+y',
  '(.*a){20}',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(\\w+\\s?)+$',
  '(.+)+X',
  '(a*)*b',
  'a{1000}{1000}',
  '(?=x)',
  '(a)\\1',
  '[',
  '(?P<name>x)',
  '\\p{Greek}+',
  '\\C',
  '.*.*.*.*.*.*.*.*=',
  'x'.repeat(5000),
  `(${'a|'.repeat(2000)}b)`,
  '\\Q(a+)+\\E',
  '(?i)RUNTIME\\.',
  '(?s).',
];

/** Accepted by RE2, exponential for a backtracking engine on names of 30+ characters. */
export const CATASTROPHIC_REGEXES = ['(.*.*)*zzz', '(.+)+X', '^(\\w+\\W?)+$X', '(a+)+$', '(x+x+)+y', '(?:.*a){25,}'];
const SAFE_REGEXES = ['etcd', '^go\\.etcd\\.io/', 'mvcc.*watch', '(?i)LEASE'];

function hostileValue(rng, depth = 0, safe = false) {
  const kind = rng.weighted([
    [10, 'regex'],
    [8, 'number'],
    [8, 'string'],
    [4, 'bool'],
    [4, 'null'],
    [5, 'array'],
    [5, 'object'],
    [2, 'deep'],
    [3, 'share'],
    [3, 'quantity'],
    [3, 'range'],
  ]);
  switch (kind) {
    case 'regex':
      return `${rng.bool(0.7) ? 're:' : ''}${rng.pick(safe ? SAFE_REGEXES : HOSTILE_REGEXES)}`;
    case 'number':
      return rng.pick([0, -1, 1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 100, 1.5, Number.MAX_SAFE_INTEGER]);
    case 'string':
      return rng.pick([
        '',
        ' ',
        'x',
        'é中😀',
        'a'.repeat(20000),
        '{etcd}',
        '{nope}',
        '{',
        '}',
        're:',
        '%',
        '\u0000',
        'yes',
        '~',
        '---',
      ]);
    case 'bool':
      return rng.bool();
    case 'null':
      return null;
    case 'array': {
      const n = rng.small(20);
      const a = [];
      for (let i = 0; i < n && depth < 6; i++) a.push(hostileValue(rng, depth + 1, safe));
      return a;
    }
    case 'object': {
      const o = {};
      const n = rng.small(6);
      for (let i = 0; i < n && depth < 6; i++)
        o[rng.pick(['frame', 'cum', 'flat', 'under', 'x', '__proto__', 'constructor', 'min', 'max', 'ratio'])] =
          hostileValue(rng, depth + 1, safe);
      return o;
    }
    case 'deep': {
      let v = 'x';
      const n = rng.range(10, 300);
      for (let i = 0; i < n; i++) v = rng.bool() ? [v] : { a: v };
      return v;
    }
    case 'share':
      return rng.pick(['20%', '0%', '100%', '101%', '-5%', '1e400%', 'NaN%', '%', '0.5', '1e-400%', ' 5 % ', '5%%']);
    case 'quantity':
      return rng.pick([
        '64MB',
        '1e999GB',
        'NaNMB',
        '64 XB',
        '-1GB',
        '0',
        '1.5GiB',
        '500ms',
        '10s',
        '∞',
        '9'.repeat(400),
      ]);
    default:
      return rng.pick([
        '<3.4.0',
        '>=3.4.0 <3.4.26',
        'x',
        '',
        '>=1.0.0 <',
        `>=${'9'.repeat(400)}.0.0`,
        '||||',
        '*',
        '3.x',
        '~1.2.3 - 2',
      ]);
  }
}

const RULE_PATHS = [
  ['id'],
  ['title'],
  ['severity'],
  ['appliesTo'],
  ['detect'],
  ['detect', 0],
  ['detect', 0, 'profile'],
  ['detect', 0, 'sampleType'],
  ['detect', 0, 'require'],
  ['detect', 0, 'require', 0],
  ['detect', 0, 'require', 0, 'frame'],
  ['detect', 0, 'require', 0, 'under'],
  ['detect', 0, 'require', 0, 'notUnder'],
  ['detect', 0, 'require', 0, 'cum'],
  ['detect', 0, 'require', 0, 'flat'],
  ['detect', 0, 'require', 0, 'cumValue'],
  ['detect', 0, 'require', 0, 'labels'],
  ['detect', 0, 'require', 0, 'memStats'],
  ['detect', 0, 'support'],
  ['detect', 0, 'exclude'],
  ['etcdVersions'],
  ['etcdVersions', 'affected'],
  ['etcdVersions', 'fixed'],
  ['goVersions', 'affected'],
  ['models'],
  ['explanation'],
  ['remediation'],
  ['references'],
  ['metrics'],
  ['tags'],
  ['unknownField'],
];

function setPath(obj, path, value) {
  let o = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (o[k] === null || typeof o[k] !== 'object') o[k] = typeof path[i + 1] === 'number' ? [] : {};
    o = o[k];
  }
  const last = path[path.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** A minimal valid rule, so mutations of single fields land near the interesting checks. */
export function baseRule(rng, safe = false) {
  return {
    id: 'fuzz-rule',
    title: 'fuzzed rule',
    severity: rng.pick(['info', 'warning', 'critical']),
    appliesTo: [rng.pick(['any-go', 'etcd-server', 'etcd-client'])],
    detect: [
      {
        profile: rng.pick(['heap', 'cpu', 'goroutine', 'allocs', 'mutex', 'block', 'threadcreate']),
        require: [
          {
            frame: rng.bool(0.5)
              ? `re:${rng.pick(safe ? SAFE_REGEXES : HOSTILE_REGEXES)}`
              : '{etcd}/mvcc.(*watchableStore).watch',
            cum: '1%',
          },
        ],
      },
    ],
    explanation: 'x',
    remediation: ['y'],
    references: ['https://example.com'],
  };
}

/**
 * A YAML (or JSON, which is YAML) rule document: a real or minimal rule with random fields replaced
 * by hostile values, or a text-level attack on the YAML parser.
 */
export function genRuleText(rng, realRules, stringifyYaml, opts = {}) {
  const mode = rng.weighted([
    [45, 'mutate-object'],
    [10, 'deep-json'],
    [6, 'alias-bomb'],
    [8, 'yaml-oddities'],
    [26, 'real-text'],
    [2, 'hostile-frame'],
  ]);
  if (mode === 'hostile-frame') {
    // A valid rule whose frame / label pattern is a catastrophic regex (RE2 accepts them all).
    // Start from a real rule so that everything else validates.
    const heapRules = realRules.filter(
      (r) => Array.isArray(r.object?.detect) && r.object.detect.some((d) => d?.require?.[0]),
    );
    const rule = heapRules.length ? structuredClone(rng.pick(heapRules).object) : baseRule(rng, opts.safeRegexes);
    const pattern = opts.safeRegexes ? rng.pick(SAFE_REGEXES) : rng.pick(CATASTROPHIC_REGEXES);
    const d = rule.detect.find((x) => x?.require?.[0]);
    d.require[0].frame = `re:${pattern}`;
    if (rng.bool(0.2)) d.require[0].labels = { state: pattern };
    return { mode: `${mode}(${pattern})`, text: stringifyYaml(rule) };
  }
  if (mode === 'deep-json') {
    const n = rng.pick([100, 1000, 5000]);
    const open = rng.bool() ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    return { mode: `${mode}(${n})`, text: `id: x\ndetect: ${open.repeat(n)}1${close.repeat(n)}\n` };
  }
  if (mode === 'alias-bomb') {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const n = rng.range(3, 12);
    for (let i = 1; i <= n; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    lines.push(`id: x`, `title: *a${n}`);
    return { mode: `${mode}(${n})`, text: lines.join('\n') };
  }
  if (mode === 'yaml-oddities') {
    const odd = rng.pick([
      '\uFEFFid: x\n',
      'id: !!binary aGVsbG8=\n',
      'id: !custom x\n',
      '<<: {id: x}\ntitle: y\n',
      'id: x\nid: y\n',
      '? [complex, key]\n: value\n',
      '--- \nid: a\n---\nid: b\n',
      'id:\t x\n',
      '%YAML 1.1\n---\nid: x\n',
      'id: "\\uD800"\n',
      `id: ${'x'.repeat(200000)}\n`,
      `${'  '.repeat(5000)}id: x\n`,
      'id: *undefined_alias\n',
      '',
      '\u0000',
      'null',
      '[]',
      '42',
      '"string"',
    ]);
    return { mode, text: odd };
  }
  if (mode === 'real-text' && realRules.length) {
    return { mode, text: rng.pick(realRules).text, textMutate: true };
  }
  const src =
    rng.bool(0.6) && realRules.length ? structuredClone(rng.pick(realRules).object) : baseRule(rng, opts.safeRegexes);
  const n = rng.range(1, 4);
  const changed = [];
  for (let i = 0; i < n; i++) {
    const path = rng.pick(RULE_PATHS);
    const value = rng.bool(0.1) ? undefined : hostileValue(rng, 0, opts.safeRegexes);
    setPath(src, path, value);
    changed.push(path.join('.'));
  }
  let text;
  try {
    text = rng.bool(0.8) ? stringifyYaml(src) : JSON.stringify(src);
  } catch {
    text = JSON.stringify(src);
  }
  return { mode: `${mode}[${changed.join(',')}]`, text };
}

export { varint };
