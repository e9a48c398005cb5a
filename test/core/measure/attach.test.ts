// Measurements put on findings by key: the cost per benchmark, the previous run as `before`, costliest first.
import * as assert from 'node:assert/strict';
import { attachMeasurements, measuredBytes } from '../../../core/measure/attach';
import { findingKeys } from '../../../core/measure/findingKey';
import type { Measurement, SiteCost } from '../../../core/measure/model';
import { finding } from '../../helpers/finding';

function measurement(benchmark: string, sites: SiteCost[]): Measurement {
  return {
    benchmark, dir: '/m', iterations: { small: 1, large: 2 }, goTest: { n: 2, nsPerOp: 1, bytesPerOp: 0, allocsPerOp: 0 },
    profile: { bytesPerOp: 0, allocsPerOp: 0 }, explained: { bytesPerOp: 0, allocsPerOp: 0, share: 0 },
    remainder: { unexplained: { bytesPerOp: 0, allocsPerOp: 0 }, runtime: { bytesPerOp: 0, allocsPerOp: 0 }, packedTiny: { bytesPerOp: 0, allocsPerOp: 0 } },
    stopped: { bytesPerOp: 0, allocsPerOp: 0 },
    sites, unexplained: [], measuredAt: '2026-01-01T00:00:00Z',
  };
}

describe('measure/attach', () => {
  const a = finding({ function: 'F', message: 'x escapes to heap', pos: { path: './a.go', line: 3 } });
  const b = finding({ function: 'F', message: 'moved to heap: y', pos: { path: './a.go', line: 5 } });
  const keys = findingKeys([a, b]);
  const site = (bytes: number, allocs: number, ...fs: typeof a[]): SiteCost =>
    ({ file: '/m/a.go', line: 3, bytesPerOp: bytes, allocsPerOp: allocs, findings: fs.map((f) => keys.get(f)!) });

  it('charges each finding its line’s cost in each benchmark, costliest benchmark first', () => {
    attachMeasurements([a, b], [measurement('BenchmarkSmall', [site(16, 1, a)]), measurement('BenchmarkBig', [site(64, 2, a)])]);
    assert.deepEqual(a.measured, [
      { benchmark: 'BenchmarkBig', bytesPerOp: 64, allocsPerOp: 2 },
      { benchmark: 'BenchmarkSmall', bytesPerOp: 16, allocsPerOp: 1 },
    ]);
    assert.equal(b.measured, undefined);
    assert.equal(measuredBytes(a), 64);
    assert.equal(measuredBytes(b), 0);
  });

  it('adds the previous run of the same benchmark as before, zero when the finding cost nothing then', () => {
    const prev = new Map([['BenchmarkBig', measurement('BenchmarkBig', [site(128, 3, a), site(8, 1, b)])]]);
    attachMeasurements([a, b], [measurement('BenchmarkBig', [site(64, 2, a), site(0, 0)])], prev);
    assert.deepEqual(a.measured, [{ benchmark: 'BenchmarkBig', bytesPerOp: 64, allocsPerOp: 2, before: { bytesPerOp: 128, allocsPerOp: 3 } }]);
    // b cost 8 B before and nothing now: it shows the drop to zero.
    assert.deepEqual(b.measured, [{ benchmark: 'BenchmarkBig', bytesPerOp: 0, allocsPerOp: 0, before: { bytesPerOp: 8, allocsPerOp: 1 } }]);
  });

  it('replaces what an earlier call attached', () => {
    attachMeasurements([a, b], [measurement('BenchmarkBig', [site(64, 2, a)])]);
    attachMeasurements([a, b], []);
    assert.equal(a.measured, undefined);
  });
});
