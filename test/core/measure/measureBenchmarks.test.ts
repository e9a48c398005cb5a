// measureBenchmarks on its own (core/measure/measure.ts): a real benchmark's allocations per operation,
// charged by finding key to the real compiler's findings; the errors a caller shows.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { findingKeys } from '../../../core/measure/findingKey';
import { BenchmarkError, measureBenchmarks } from '../../../core/measure/measure';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { PROFILED } from '../../helpers/heapProfile';
import { tempModule } from '../../helpers/goEnv';

const BENCH = 'package prof\n\nimport "testing"\n\nvar sink any\n\nfunc BenchmarkNew(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tsink = New()\n\t}\n}\n\nfunc BenchmarkNothing(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t}\n}\n';

describe('measure/measure measureBenchmarks', function () {
  this.timeout(600_000);

  it('charges New’s &T{} one 64-byte allocation per operation in the benchmark that calls it', async () => {
    const dir = tempModule({ 'p.go': PROFILED, 'p_test.go': BENCH }, '1.24', 'example.com/prof');
    const r = await analyzePackage({ dir, sources: new SourceCache(await loadGoParser()), all: true });
    assert.deepEqual(r.errors, []);
    const progress: string[] = [];
    const ms = (await measureBenchmarks({ dir, findings: r.findings, onProgress: (m) => progress.push(m) }))
      .map((o) => ('measurement' in o ? o.measurement : assert.fail(`${o.benchmark}: ${o.error}`)));
    assert.deepEqual(ms.map((m) => m.benchmark), ['BenchmarkNew', 'BenchmarkNothing']);
    const [withNew, nothing] = ms;
    // Two runs whose difference is whole operations: the smaller at 2, the larger sized from ns/op.
    assert.equal(withNew.iterations.small, 2);
    assert.ok(withNew.iterations.large > withNew.iterations.small);
    assert.equal(withNew.goTest.bytesPerOp, 64);
    assert.equal(withNew.goTest.allocsPerOp, 1);
    const site = withNew.sites.find((s) => s.file === path.join(dir, 'p.go') && s.line === 7);
    assert.ok(site, `no site at p.go:7 in ${JSON.stringify(withNew.sites)}`);
    assert.deepEqual([site.bytesPerOp, site.allocsPerOp], [64, 1]);
    const newFinding = r.findings.find((f) => f.file === path.join(dir, 'p.go') && f.pos.line === 7 && f.message === '&T{} escapes to heap')!;
    assert.deepEqual(site.findings, [findingKeys(r.findings).get(newFinding)]);
    assert.equal(withNew.explained.share, 1);
    assert.equal(nothing.goTest.allocsPerOp, 0);
    assert.deepEqual(nothing.sites, []);
    assert.equal(progress[0], 'building the test binary');
  });

  it('measures only the benchmarks named, or those a pattern chooses', async () => {
    const dir = tempModule({ 'p.go': PROFILED, 'p_test.go': BENCH }, '1.24', 'example.com/prof');
    assert.deepEqual((await measureBenchmarks({ dir, findings: [], benchmarks: ['BenchmarkNothing'] })).map((m) => m.benchmark), ['BenchmarkNothing']);
    assert.deepEqual((await measureBenchmarks({ dir, findings: [], pattern: 'New$' })).map((m) => m.benchmark), ['BenchmarkNew']);
  });

  it('fails with BenchmarkError without test files, and when the test binary does not build', async () => {
    const none = tempModule({ 'p.go': PROFILED }, '1.24', 'example.com/prof');
    await assert.rejects(measureBenchmarks({ dir: none, findings: [] }), (e: unknown) => e instanceof BenchmarkError && /no test files/.test(e.message));
    const broken = tempModule({ 'p.go': PROFILED, 'p_test.go': 'package prof\n\nfunc broken() { undefinedName() }\n' }, '1.24', 'example.com/prof');
    await assert.rejects(measureBenchmarks({ dir: broken, findings: [] }),
      (e: unknown) => e instanceof BenchmarkError && /^go test -c failed/.test(e.message) && /undefinedName/.test(e.output));
  });
});
