/**
 * Builds the shared Profile model from parsed text: interns functions and locations, and collects
 * samples into the column-wise typed arrays of `SampleTable`. Environment-neutral.
 */
import { FormatError } from '../../errors.js';
import type {
  FunctionInfo,
  InputFormat,
  Label,
  Line,
  Location,
  Profile,
  SampleTable,
  ValueType,
} from '../../profile/model.js';

/** One frame as read from text: function name, file and line (file may be empty, line 0). */
export interface TextFrame {
  name: string;
  file: string;
  line: number;
}

export class ProfileBuilder {
  readonly functions: FunctionInfo[] = [];
  readonly locations: Location[] = [];
  private readonly fnIds = new Map<string, number>();
  private readonly locIds = new Map<string, number>();
  private values: number[] = [];
  private starts: number[] = [0];
  private stack: number[] = [];
  private labels: (Label[] | undefined)[] = [];
  private anyLabels = false;
  length = 0;

  constructor(readonly nTypes: number) {}

  /** Index of the function with this name and file, created on first use. */
  fn(name: string, file: string): number {
    const key = `${name}\u0000${file}`;
    let i = this.fnIds.get(key);
    if (i === undefined) {
      i = this.functions.length;
      this.functions.push({ id: i + 1, name, systemName: name, filename: file, startLine: 0 });
      this.fnIds.set(key, i);
    }
    return i;
  }

  /**
   * Index of the location identified by `key`, created on first use from `frames` (innermost
   * inlined frame first, physical caller last, as in profile.proto).
   */
  location(key: string, address: number, frames: readonly TextFrame[]): number {
    let i = this.locIds.get(key);
    if (i === undefined) {
      i = this.locations.length;
      const lines: Line[] = frames.map((f) => ({ fn: this.fn(f.name, f.file), line: f.line, column: 0 }));
      this.locations.push({ id: i + 1, mapping: -1, address, lines, isFolded: false });
      this.locIds.set(key, i);
    }
    return i;
  }

  /** Appends a sample: `values` has `nTypes` entries, `stack` holds location indices leaf first. */
  addSample(values: readonly number[], stack: readonly number[], labels?: Label[]): void {
    for (let k = 0; k < this.nTypes; k++) {
      const v = values[k] ?? 0;
      // A number too large for the scaling arithmetic (e.g. 1e26 objects) must not become Infinity/NaN.
      if (!Number.isFinite(v)) throw new FormatError(`sample #${this.length + 1}: a count or size is out of range`);
      this.values.push(v);
    }
    for (const s of stack) this.stack.push(s);
    this.starts.push(this.stack.length);
    this.labels.push(labels && labels.length > 0 ? labels : undefined);
    if (labels && labels.length > 0) this.anyLabels = true;
    this.length++;
  }

  samples(): SampleTable {
    const table: SampleTable = {
      length: this.length,
      values: Float64Array.from(this.values),
      stackStart: Uint32Array.from(this.starts),
      stack: Uint32Array.from(this.stack),
    };
    if (this.anyLabels) table.labels = this.labels;
    return table;
  }

  /** A complete profile with these samples; callers fill what else they know. */
  profile(format: InputFormat, sampleTypes: ValueType[], notes: string[], truncated: boolean): Profile {
    return {
      sampleTypes,
      period: 0,
      timeNanos: 0,
      durationNanos: 0,
      comments: [],
      mappings: [],
      locations: this.locations,
      functions: this.functions,
      samples: this.samples(),
      source: { format, truncated, hasStacks: true, notes },
    };
  }
}
