/**
 * Deterministic PRNG for the fuzzer: sfc32 seeded through splitmix32 from (seed, stream), so every
 * case has its own independent stream and `--seed S --case N` regenerates case N alone.
 */

function splitmix32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  /** `seed` and `stream` are 32-bit integers (larger values are folded). */
  constructor(seed, stream = 0) {
    const mix = splitmix32((seed >>> 0) ^ Math.imul(stream >>> 0, 0x27d4eb2f) ^ ((stream / 2 ** 32) >>> 0));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** [0, 1) */
  float() {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n) {
    if (n <= 0) return 0;
    if (n <= 4294967296) return Math.floor(this.float() * n);
    return Math.floor((this.u32() * 4294967296 + this.u32()) % n);
  }

  /** Integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  bool(p = 0.5) {
    return this.float() < p;
  }

  pick(arr) {
    return arr[this.int(arr.length)];
  }

  /** Picks from [[weight, value], ...]. */
  weighted(list) {
    let sum = 0;
    for (const [w] of list) sum += w;
    let x = this.float() * sum;
    for (const [w, v] of list) {
      x -= w;
      if (x < 0) return v;
    }
    return list[list.length - 1][1];
  }

  /** Small non-negative integer, mostly 0..8, occasionally up to `max` (log-uniform). */
  small(max = 1 << 20) {
    if (this.bool(0.7)) return this.int(9);
    return Math.floor(Math.exp(this.float() * Math.log(max + 1))) - 1;
  }

  bytes(n) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}
