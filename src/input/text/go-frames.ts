/**
 * Stacks of the Go runtime's `debug=1` text profiles (heap, goroutine, threadcreate, mutex, block).
 *
 * A record line lists return PCs (`@ 0x… 0x…`); the `#\t0x<pc>\t<func>+0x<off>\t<file>:<line>`
 * comment lines that follow name the frames. `go tool pprof` ignores those comments and can only
 * show addresses unless it finds the binary; we use them.
 *
 * Inlined frames. Since Go 1.12 the traceback gives every inlined frame its own ("fake") PC, and the
 * runtime prints one `#` line per PC, so an inlined call shows as consecutive `#` lines. Their
 * PCs differ, but `<pc> - <off>` — the entry of the physical function, since `off` is always
 * relative to the physical function's entry — is the same. The runtime's proto writer groups those
 * PCs into one Location with several Lines (runtime/pprof `pcDeck.tryAdd`: same entry, different
 * function, and the previous frame is an inlined one). We rebuild the same groups: a run of
 * consecutive frames with the same entry ends at the physical function, which is the one whose
 * frame closes such runs (it is followed by a frame of another function, or ends the stack).
 *
 * Hidden frames. The text writer hides leading `runtime.*` frames and `runtime.goexit` from the
 * `#` lines (runtime/pprof `printStackRecord`) but keeps their PCs on the record line. We use the
 * `#` lines only: for heap profiles the proto writer hides the same frames, so stacks match; for
 * goroutine profiles the proto keeps them (runtime.gopark …), which the importers note.
 *
 * Environment-neutral.
 */
import type { ProfileBuilder, TextFrame } from './builder.js';

/** A `#` line: `name` is empty when the runtime could not symbolize the PC. */
export interface SymFrame extends TextFrame {
  pc: number;
  /** Entry PC of the physical function: `pc - offset`. */
  entry: number;
}

const FRAME_RE = /^#\s+0x([0-9a-fA-F]+)(?:\s+(.+?)\+0x([0-9a-fA-F]+)(?:\s+(.*?):(\d+))?)?\s*$/;

/** Parses a `#\t0x…\tfunc+0x…\tfile:line` line; `undefined` when the line is not one. */
export function parseFrameLine(line: string): SymFrame | undefined {
  const m = FRAME_RE.exec(line);
  if (!m) return undefined;
  const pc = Number.parseInt(m[1]!, 16);
  if (m[2] === undefined) return { pc, entry: pc, name: '', file: '', line: 0 };
  const off = Number.parseInt(m[3]!, 16);
  return { pc, entry: pc - off, name: m[2].trim(), file: m[4] ?? '', line: m[5] ? Number(m[5]) : 0 };
}

const HEX_RE = /0x[0-9a-fA-F]+/g;

/** The `0x…` addresses of a record line's `@` part. */
export function parseAddressList(s: string): number[] {
  const out: number[] = [];
  for (const m of s.matchAll(HEX_RE)) out.push(Number.parseInt(m[0].slice(2), 16));
  return out;
}

interface PendingStack {
  pcs: number[];
  frames: SymFrame[];
}

/**
 * Collects the stacks of a whole profile, then turns them into Locations. Two passes because
 * telling the physical function of an inline run needs every stack that shows it.
 */
export class StackResolver {
  private readonly stacks: PendingStack[] = [];
  /** Stacks that had PCs but no `#` lines (address-only frames). */
  addressOnly = 0;
  /**
   * Stacks with more PCs than `#` lines beyond a final runtime.goexit: the text writer hid leading
   * runtime frames.
   */
  hiddenLeading = 0;

  /** Adds one record's stack; returns its handle for `resolve()`'s result. */
  add(pcs: number[], frames: SymFrame[]): number {
    if (frames.length > 0 && pcs.length > frames.length + 1) this.hiddenLeading++;
    this.stacks.push({ pcs, frames });
    return this.stacks.length - 1;
  }

  /** Location indices (leaf first) of each added stack, in the order added. */
  resolve(b: ProfileBuilder): number[][] {
    const owners = this.physicalOwners();
    // In a symbolized file the runtime prints a `#` line for every frame it does not hide, and it
    // shows hidden runtime frames when nothing else would be left: a record without `#` lines
    // holds only runtime.goexit, which the proto writer drops too.
    const symbolized = this.stacks.some((st) => st.frames.length > 0);
    const out: number[][] = [];
    for (const st of this.stacks) {
      const locs: number[] = [];
      if (st.pcs.length === 0 || (symbolized && st.frames.length === 0)) {
        // An empty stack (threadcreate's `6 @` followed by `#\t0x0`, or a goroutine whose only
        // frame is runtime.goexit): the proto writer emits a sample without locations.
      } else if (st.frames.length === 0) {
        this.addressOnly++;
        // Like pprof's legacy parsers: return addresses, moved back by one into the call.
        for (const pc of st.pcs) locs.push(b.location(`${pc - 1}/0`, pc - 1, []));
      } else {
        let group: SymFrame[] = [];
        const flush = () => {
          if (group.length === 0) return;
          const first = group[0]!;
          locs.push(b.location(`${first.pc}/${group.length}`, first.pc, group));
          group = [];
        };
        for (const f of st.frames) {
          if (f.name === '') {
            flush();
            if (f.pc !== 0) locs.push(b.location(`${f.pc}/0`, f.pc, []));
            continue;
          }
          if (group.length > 0 && group[0]!.entry !== f.entry) flush();
          group.push(f);
          if (owners.get(f.entry) === f.name) flush();
        }
        flush();
      }
      out.push(locs);
    }
    return out;
  }

  /** entry PC → name of the physical function at that entry. */
  private physicalOwners(): Map<number, string> {
    const owners = new Map<number, string>();
    // Runs that end a stack are weaker evidence: a stack cut at its root end may stop inside an
    // inline run. Use them only for entries no other run names.
    const weak = new Map<number, string>();
    for (const st of this.stacks) {
      const fr = st.frames;
      let i = 0;
      while (i < fr.length) {
        if (fr[i]!.name === '') {
          i++;
          continue;
        }
        let j = i;
        while (j + 1 < fr.length && fr[j + 1]!.name !== '' && fr[j + 1]!.entry === fr[i]!.entry) j++;
        const last = fr[j]!;
        if (j === fr.length - 1) {
          if (!weak.has(last.entry)) weak.set(last.entry, last.name);
        } else if (!owners.has(last.entry)) {
          owners.set(last.entry, last.name);
        }
        i = j + 1;
      }
    }
    for (const [entry, name] of weak) if (!owners.has(entry)) owners.set(entry, name);
    return owners;
  }
}
