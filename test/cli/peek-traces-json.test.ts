/**
 * `peek --format json` and `traces --format json`: versioned documents that validate against
 * schema/peek.schema.json and schema/traces.schema.json and hold what the text reports show
 * (same functions, same samples, same stacks); broken documents do not validate.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PEEK_SCHEMA_VERSION } from '../../src/report/peek-json.js';
import { TRACES_SCHEMA_VERSION } from '../../src/report/traces-json.js';
import { ensureBuilt, runCli } from './cli-helpers.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const peekSchema = JSON.parse(readFileSync('schema/peek.schema.json', 'utf8'));
const tracesSchema = JSON.parse(readFileSync('schema/traces.schema.json', 'utf8'));
const validatePeek = ajv.compile(peekSchema);
const validateTraces = ajv.compile(tracesSchema);

const heap = 'samples/etcd-3.4.23/idle/heap.pb.gz';
const leader = 'samples/docs/etcd-3.2.23-leader-heap.pb.gz';

interface TracesDoc {
  schemaVersion: number;
  sampleType: string;
  unit: string;
  samples: {
    value: number;
    numLabels: { key: string; values: number[]; unit: string }[];
    frames: { name: string }[];
  }[];
}

describe('peek --format json', () => {
  it('validates and lists the functions the text report shows, with their callers', () => {
    ensureBuilt();
    expect(peekSchema.properties.schemaVersion.const).toBe(PEEK_SCHEMA_VERSION);
    const r = runCli(['peek', leader, 'recvBuffer', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validatePeek(doc), ajv.errorsText(validatePeek.errors)).toBe(true);
    expect(doc.schemaVersion).toBe(PEEK_SCHEMA_VERSION);
    expect(doc.regex).toBe('recvBuffer');
    const text = runCli(['peek', leader, 'recvBuffer']).stdout;
    expect(doc.functions.length).toBeGreaterThan(0);
    for (const f of doc.functions) {
      expect(f.name).toMatch(/recvBuffer/);
      expect(text).toContain(f.name);
      for (const c of [...f.callers, ...f.callees]) expect(text).toContain(c.name);
    }
    const put = doc.functions.find((f: { name: string }) => f.name.endsWith('(*recvBuffer).put'));
    expect(put.flatPercent).toBeCloseTo(63.56, 1); // the text report's 63.56%
    expect(text).toMatch(/63\.56%/);
  });

  it('a document with a field removed or of the wrong type does not validate', () => {
    const doc = JSON.parse(runCli(['peek', leader, 'recvBuffer', '--format=json']).stdout);
    const { total: _total, ...noTotal } = doc;
    expect(validatePeek(noTotal)).toBe(false);
    expect(validatePeek({ ...doc, functions: [{ ...doc.functions[0], flat: '1' }] })).toBe(false);
  });
});

describe('traces --format json', () => {
  it('validates and holds every sample of the text report, stacks leaf first, numeric labels with units', () => {
    ensureBuilt();
    expect(tracesSchema.properties.schemaVersion.const).toBe(TRACES_SCHEMA_VERSION);
    const r = runCli(['traces', heap, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as TracesDoc;
    expect(validateTraces(doc), ajv.errorsText(validateTraces.errors)).toBe(true);
    expect(doc.schemaVersion).toBe(TRACES_SCHEMA_VERSION);
    expect(doc.sampleType).toBe('inuse_space');
    expect(doc.unit).toBe('bytes');
    const text = runCli(['traces', heap]).stdout;
    // pprof's layout: header, then each sample after a separator line, and a closing separator.
    const blocks = text
      .split('-----------+-------------------------------------------------------\n')
      .slice(1)
      .filter((b) => b.trim() !== '');
    expect(doc.samples.length).toBe(blocks.length);
    expect(doc.samples.length).toBeGreaterThan(3);
    doc.samples.forEach((s, i) => {
      const names = blocks[i]!.split('\n')
        .filter((l) => /^\s+\S/.test(l) && !/^\s+\S+:/.test(l))
        .map((l) => l.replace(/^\s+(?:\S+\s{2,})?/, '').replace(/ \(inline\)$/, ''));
      expect(s.frames.map((f) => f.name)).toEqual(names);
      const bytes = s.numLabels.find((l) => l.key === 'bytes');
      expect(bytes?.unit).toBe('bytes');
      expect(bytes!.values[0]).toBeGreaterThan(0);
    });
  });

  it('a document with a bad sample does not validate', () => {
    const doc = JSON.parse(runCli(['traces', heap, '--format', 'json']).stdout);
    expect(validateTraces({ ...doc, samples: [{ value: 1, frames: [] }] })).toBe(false);
    expect(validateTraces({ ...doc, schemaVersion: 2 })).toBe(false);
  });
});
