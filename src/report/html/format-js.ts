/**
 * Browser-side value formatting for the HTML report: the same output as `autoLabel` in
 * src/profile/units.ts (pprof's measurement.Label: natural unit, `%.2f`, a trailing `.00`
 * dropped), for sums the page computes itself (search matches, hovered frames). Plain ES2020 (BigInt) as
 * a string, inlined into the page; test/report/format-js.test.ts checks it against autoLabel.
 *
 * Go's `%.2f` rounds the exact binary value half to even; JavaScript's toFixed rounds it half up.
 * The two differ only on exact ties, which for a double means a multiple of 1/8 (x.125, x.375,
 * x.625, x.875), handled explicitly.
 */
export const FORMAT_JS = String.raw`
var PD_UNITS = [
  { units: [['B', ['b', 'byte'], 1], ['kB', ['kb', 'kbyte', 'kilobyte'], 1024], ['MB', ['mb', 'mbyte', 'megabyte'], 1048576],
      ['GB', ['gb', 'gbyte', 'gigabyte'], 1073741824], ['TB', ['tb', 'tbyte', 'terabyte'], 1099511627776],
      ['PB', ['pb', 'pbyte', 'petabyte'], 1125899906842624]], dflt: ['B', 1] },
  { units: [['ns', ['ns', 'nanosecond'], 1], ['us', ['\u03bcs', 'us', 'microsecond'], 1e3], ['ms', ['ms', 'millisecond'], 1e6],
      ['s', ['s', 'sec', 'second'], 1e9], ['hrs', ['hour', 'hr'], 3600e9]], dflt: ['s', 1e9] },
  { units: [['n*GCU', ['nanogcu'], 1e-9], ['u*GCU', ['microgcu'], 1e-6], ['m*GCU', ['milligcu'], 1e-3], ['GCU', ['gcu'], 1],
      ['k*GCU', ['kilogcu'], 1e3], ['M*GCU', ['megagcu'], 1e6], ['G*GCU', ['gigagcu'], 1e9], ['T*GCU', ['teragcu'], 1e12],
      ['P*GCU', ['petagcu'], 1e15]], dflt: ['GCU', 1] }
];
function pdUtf8Len(s) {
  var n = 0;
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c < 0x80) n += 1; else if (c < 0x800) n += 2; else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } else n += 3;
  }
  return n;
}
function pdSniff(unit) {
  var u = unit.toLowerCase();
  if (pdUtf8Len(u) > 2 && u.charAt(u.length - 1) === 's') u = u.slice(0, -1);
  for (var t = 0; t < PD_UNITS.length; t++) {
    var us = PD_UNITS[t].units;
    for (var k = 0; k < us.length; k++) if (us[k][1].indexOf(u) >= 0) return { type: PD_UNITS[t], factor: us[k][2] };
  }
  return null;
}
function pdFixed2(x) {
  if (Number.isInteger(x * 8) && !Number.isInteger(x * 4) && x < 1e300) {
    // x = j/8 with j odd, so 100x = 25j/2 lies exactly halfway: round to the even neighbour.
    var j = BigInt(x * 8) * 25n;
    var r = (j - 1n) / 2n;
    if (r % 2n !== 0n) r += 1n;
    var s = r.toString();
    while (s.length < 3) s = '0' + s;
    return s.slice(0, -2) + '.' + s.slice(-2);
  }
  return x.toFixed(2);
}
function pdLabel(value, unit) {
  if (value < 0) { var s = pdLabel(-value, unit); return s === '0' ? '0' : '-' + s; }
  var v = value, name = '';
  var sn = pdSniff(unit);
  if (sn) {
    v = value * sn.factor;
    var f = 0, us = sn.type.units;
    for (var k = 0; k < us.length; k++) if (us[k][2] >= f && v / us[k][2] >= 1) { f = us[k][2]; name = us[k][0]; }
    if (f !== 0) v = v / f; else { v = v / sn.type.dflt[1]; name = sn.type.dflt[0]; }
  }
  var sv = pdFixed2(v);
  if (sv.slice(-3) === '.00') sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + name;
}
`;
