// Comparing two measurement reports: per benchmark as go test printed it, per finding by portable key.
import * as assert from 'node:assert/strict';
import { compareMeasurements } from '../../../core/measure/compare';
import type { Measurement, SiteCost } from '../../../core/measure/model';

function measurement(benchmark: string, dir: string, bytes: number, allocs: number, sites: SiteCost[]): Measurement {
  return {
    benchmark, dir, iterations: { small: 100, large: 1100 },
    goTest: { n: 1100, nsPerOp: 50, bytesPerOp: bytes, allocsPerOp: allocs },
    profile: { bytesPerOp: bytes, allocsPerOp: allocs },
    explained: { bytesPerOp: bytes, allocsPerOp: allocs, share: 0.5 },
    remainder: { unexplained: { bytesPerOp: 0, allocsPerOp: 0 }, runtime: { bytesPerOp: 0, allocsPerOp: 0 }, packedTiny: { bytesPerOp: 0, allocsPerOp: 0 } },
    stopped: { bytesPerOp: 0, allocsPerOp: 0 },
    sites, unexplained: [], measuredAt: '2026-01-01T00:00:00Z',
  };
}
const site = (dir: string, key: string, bytes: number, allocs: number): SiteCost =>
  ({ file: `${dir}/a.go`, line: 3, bytesPerOp: bytes, allocsPerOp: allocs, findings: [`${dir}/a.go|${key}`] });

describe('measure/compare', () => {
  it('matches findings across checkouts by file name, and lists only those whose cost changed', () => {
    const before = [measurement('BenchmarkParse', '/old', 1204, 9, [
      site('/old', 'Parse|x escapes to heap|0', 64, 1), site('/old', 'Parse|moved to heap: b|0', 32, 1),
      site('/old', 'Parse|y escapes to heap|0', 16, 1),
    ])];
    const after = [measurement('BenchmarkParse', '/new', 688, 5, [
      site('/new', 'Parse|x escapes to heap|0', 64, 1), site('/new', 'Parse|moved to heap: b|0', 16, 1),
    ])];
    const c = compareMeasurements(before, after);
    assert.deepEqual(c.benchmarks, ['BenchmarkParse: 1,204 → 688 B/op, 9 → 5 allocs/op · findings explain 50%']);
    assert.deepEqual(c.findings.sort(), [
      'a.go Parse: moved to heap: b: 32 → 16 B/op, 1 → 1 allocs/op in BenchmarkParse',
      'a.go Parse: y escapes to heap: 16 → 0 B/op, 1 → 0 allocs/op in BenchmarkParse (gone)',
    ]);
  });

  it('reports benchmarks new in the report without a change, and those it no longer has', () => {
    const before = [measurement('BenchmarkOld', '/m', 10, 1, [])];
    const after = [measurement('BenchmarkNew', '/m', 48, 2, [site('/m', '|z escapes to heap|0', 48, 2)])];
    const c = compareMeasurements(before, after);
    assert.deepEqual(c.benchmarks, [
      'BenchmarkNew: 48 B/op, 2 allocs/op · findings explain 50%',
      'BenchmarkOld: not measured in the new report',
    ]);
    // A finding outside any function has no "F: " part.
    assert.deepEqual(c.findings, ['a.go z escapes to heap: 0 → 48 B/op, 0 → 2 allocs/op in BenchmarkNew']);
  });
});
