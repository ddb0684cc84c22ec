/**
 * `analyze --format json` documents against schema/analysis.schema.json (draft 2020-12, ajv):
 * every bundled sample, a multi-profile analysis and a pasted table validate; broken documents
 * do not.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_SCHEMA_VERSION } from '../../src/diagnosis/report.js';
import { renderReport } from '../../src/report/render.js';
import { goldenSamples, reportFor } from './helpers.js';

const schema = JSON.parse(readFileSync('schema/analysis.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

function errors(): string {
  return ajv.errorsText(validate.errors, { separator: '\n' });
}

async function jsonOf(paths: string[]): Promise<Record<string, unknown>> {
  const { report } = await reportFor(paths);
  return JSON.parse(await renderReport(report, 'json'));
}

describe('analysis JSON Schema', () => {
  it('is a valid draft 2020-12 schema for the current schemaVersion', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.schemaVersion.const).toBe(ANALYSIS_SCHEMA_VERSION);
  });

  for (const sample of goldenSamples()) {
    it(`validates the JSON of ${sample}`, async () => {
      const doc = await jsonOf([sample]);
      expect(validate(doc), errors()).toBe(true);
      expect(doc.schemaVersion).toBe(ANALYSIS_SCHEMA_VERSION);
    });
  }

  it('validates a multi-profile analysis (heap, cpu, goroutine, mutex, block, debug=1/2 text)', async () => {
    const dir = 'samples/etcd-3.4.23/many-watchers';
    const files = [
      'heap.pb.gz',
      'cpu.pb.gz',
      'goroutine.pb.gz',
      'mutex.pb.gz',
      'block.pb.gz',
      'heap.debug1.txt',
      'goroutine.debug2.txt',
    ];
    const doc = await jsonOf(files.map((f) => `${dir}/${f}`));
    expect(validate(doc), errors()).toBe(true);
    expect((doc.profiles as unknown[]).length).toBe(files.length);
  });

  it('validates a pasted top table and the small Go fixtures', async () => {
    for (const f of [
      'test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt',
      'test/fixtures/go/heap.delta.pb.gz',
      'test/fixtures/go/goroutine.debug2.txt',
      // goroutine-pileup fires: evidence with a stack, and the stacks table (proto and dump)
      'test/fixtures/go/leak/go1.19/leak-goroutine.pb.gz',
      'test/fixtures/go/leak/go1.24/leak-goroutine.debug2.txt.gz',
      'test/fixtures/go/leak/go1.24/leak-mutex.pb.gz',
    ]) {
      const doc = await jsonOf([f]);
      expect(validate(doc), `${f}: ${errors()}`).toBe(true);
    }
  });

  it('rejects documents that break the contract', async () => {
    const good = await jsonOf(['samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz']);
    expect(validate(good), errors()).toBe(true);
    const diag = (good.diagnoses as Record<string, unknown>[])[0]!;
    const broken: [string, (d: Record<string, unknown>) => void][] = [
      ['wrong schemaVersion', (d) => (d.schemaVersion = 1)],
      ['missing diagnoses', (d) => delete d.diagnoses],
      ['missing lens', (d) => delete d.lens],
      ['bad lens kind', (d) => ((d.lens as Record<string, unknown>).kind = 'heap')],
      ['bad measure', (d) => ((d.diagnoses as Record<string, unknown>[])[0]!.measures = ['bytes'])],
      ['diagnosis without omitted', (d) => delete (d.diagnoses as Record<string, unknown>[])[0]!.omitted],
      ['unknown top-level field', (d) => (d.extra = 1)],
      ['bad severity', (d) => ((d.diagnoses as Record<string, unknown>[])[0]!.severity = 'fatal')],
      ['confidence above 1', (d) => ((d.diagnoses as Record<string, unknown>[])[0]!.confidence = 1.5)],
      ['fixedIn not a list', (d) => ((d.diagnoses as Record<string, unknown>[])[0]!.fixedIn = '3.4.10')],
      ['bad process kind', (d) => ((d.process as Record<string, unknown>).kind = 'etcd')],
      ['top row without flatText', (d) => delete (d.top as Record<string, unknown>[])[0]!.flatText],
    ];
    expect(diag).toBeDefined();
    for (const [what, mutate] of broken) {
      const d = structuredClone(good);
      mutate(d);
      expect(validate(d), what).toBe(false);
    }
  });
});
