// What keeps measurements meaningful across runs: a finding's identity (not its words or line), the
// timer-off lines read from a benchmark's source, sub-benchmark patterns, and the store that brings
// measurements back after a restart while the code is unchanged (and keeps them in memory when the cache
// cannot be written).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { measurePackage } from '../../../core/analysis/measurePackage';
import { compareMeasurements } from '../../../core/measure/compare';
import { perOp } from '../../../core/measure/perOp';
import { findingKeys } from '../../../core/measure/findingKey';
import type { Finding } from '../../../core/model';
import { failedBenchmarks, leafPattern, splitPattern } from '../../../core/measure/leaves';
import { contentHash, MeasurementStore } from '../../../core/measure/store';
import { isTimerOff, timerOffRanges } from '../../../core/measure/timerRanges';
import type { Measurement } from '../../../core/measure/model';
import { findSubBenchmarks } from '../../../core/measure/benchmarks';
import { REPO, tempDir, tempModule } from '../../helpers/goEnv';

const MAKES = `package m

import "testing"

var sink []int

func BenchmarkMake(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = make([]int, 1000)
	}
}
`;

describe('measure: identity across runs and edits', () => {
  it('compares identical runs as unchanged, and an edited allocation as one finding before → after', async () => {
    const sources = new SourceCache(await loadGoParser());
    const dir = tempModule({ 'm_test.go': MAKES });
    const first = await measurePackage({ dir, sources });
    const again = await measurePackage({ dir, sources });
    assert.deepEqual(compareMeasurements(first.measurements, again.measurements).findings, []);
    const file = path.join(dir, 'm_test.go');
    // A line above the allocation moves it; its size halves.
    fs.writeFileSync(file, MAKES.replace('make([]int, 1000)', 'make([]int, 500)').replace('func BenchmarkMake', '// BenchmarkMake makes.\nfunc BenchmarkMake'));
    const edited = await measurePackage({ dir, sources });
    assert.deepEqual(compareMeasurements(first.measurements, edited.measurements).findings,
      ['m_test.go BenchmarkMake: make([]int, 500) escapes to heap: 8,192 → 4,096 B/op, 1 → 1 allocs/op in BenchmarkMake']);
  });
});

describe('measure: finding keys', () => {
  it('are the file name, function, cause and place among its kind: not the words, not the line', () => {
    const f = (line: number, message: string, inlinedFrom?: string) => ({
      file: '/a/m.go', pos: { path: 'm.go', line, col: 2 }, function: 'F', kind: 'escapes', cause: 'make', message, ...(inlinedFrom ? { inlinedFrom } : {}),
    }) as unknown as Finding;
    const before = [f(10, 'make([]int, 1000) escapes to heap'), f(12, 'make([]int, n) escapes to heap'), f(14, 'x escapes to heap', 'G')];
    const after = [f(11, 'make([]int, 500) escapes to heap'), f(13, 'make([]int, n) escapes to heap'), f(15, 'x escapes to heap', 'G')];
    assert.deepEqual([...findingKeys(before).values()], [...findingKeys(after).values()]);
    assert.deepEqual([...findingKeys(before).values()], ['m.go|F|escapes:make|0', 'm.go|F|escapes:make|1', 'm.go|F|escapes:make<G|0']);
  });
});

describe('measure: timer-off lines, patterns, failures', () => {
  it('reads StopTimer…StartTimer, setup before ResetTimer and b.Loop, and what follows a b.Loop loop', () => {
    const text = [
      'func BenchmarkA(b *testing.B) {', // 1
      '\tsetup := make([]int, b.N)', //     2
      '\tb.ResetTimer()', //                3
      '\tfor i := 0; i < b.N; i++ {', //    4
      '\t\tb.StopTimer()', //               5
      '\t\tx := make([]byte, 64)', //       6
      '\t\tb.StartTimer()', //              7
      '\t\tuse(x, setup)', //               8
      '\t}', //                             9
      '}', //                               10
      'func BenchmarkL(bb *testing.B) {', // 11
      '\tdata := load()', //                12
      '\tfor bb.Loop() {', //               13
      '\t\tuse(data)', //                   14
      '\t}', //                             15
      '\tcheck(data)', //                   16
      '}', //                               17
    ].join('\n');
    const r = timerOffRanges(new Map([['/t.go', text]]));
    const off = Array.from({ length: 17 }, (_, i) => i + 1).filter((l) => isTimerOff(r, '/t.go', l));
    assert.deepEqual(off, [1, 2, 3, 5, 6, 7, 11, 12, 13, 15, 16, 17]);
  });

  it('finds b.Run calls with the names go test gives their leaves, when the names are literals', () => {
    const text = fs.readFileSync(path.join(REPO, 'fixtures', 'measure-styles', 'styles_test.go'), 'utf8');
    const lines = text.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    assert.deepEqual(findSubBenchmarks(text), [
      { line: at('b.Run("size="'), parent: 'BenchmarkTable' },
      { line: at('b.Run("outer"'), parent: 'BenchmarkNested', path: 'BenchmarkNested/outer' },
      { line: at('b.Run("block"'), parent: 'BenchmarkNested/outer', path: 'BenchmarkNested/outer/block' },
      { line: at('b.Run("sized"'), parent: 'BenchmarkNested/outer', path: 'BenchmarkNested/outer/sized' },
    ]);
  });

  it('makes one quoted pattern per level, and splits a pattern at its first level', () => {
    assert.equal(leafPattern('BenchmarkX/size=10/a.b'), '^BenchmarkX$/^size=10$/^a\\.b$');
    assert.deepEqual(splitPattern('Enc[/]x/size'), { top: 'Enc[/]x', rest: 'size' });
    assert.deepEqual(splitPattern('Encode'), { top: 'Encode' });
  });

  it('reads which leaves failed or were skipped, with why', () => {
    const out = 'BenchmarkX/ok-2   100  5 ns/op  0 B/op  0 allocs/op\n--- FAIL: BenchmarkX/bad\n    x_test.go:9: boom\n--- SKIP: BenchmarkY\n    y_test.go:3: no data\nFAIL\n';
    assert.deepEqual([...failedBenchmarks(out)], [['BenchmarkX/bad', 'failed: x_test.go:9: boom'], ['BenchmarkY', 'skipped: y_test.go:3: no data']]);
  });
});

describe('measure: per operation', () => {
  const cost = (bytes: number, objects: number, block16 = 0) => ({ bytes, objects, block16 });
  const zero = () => cost(0, 0);
  const attribution = (site: ReturnType<typeof cost>, runtime = zero()) => ({
    sites: new Map([['/m/a.go:3', site]]), unexplained: new Map(), stopped: zero(), runtime, total: cost(site.bytes + runtime.bytes, site.objects + runtime.objects),
  });
  const bench = (bytesPerOp: number, allocsPerOp: number) => ({ name: 'BenchmarkA', n: 1002, nsPerOp: 10, bytesPerOp, allocsPerOp });
  const keys = new Map([['/m/a.go:3', [{ key: 'a.go|F|escapes:x|0', message: 'x escapes to heap' }]]]);

  it('gives the tiny allocations go test counted and the profile did not to the one line opening tiny blocks', () => {
    // 1000 operations, one 8-byte boxing each: 500 blocks of 16 bytes seen, 1000 allocations counted.
    const m = perOp('BenchmarkA', '/m', { small: 2, large: 1002 }, attribution(cost(32, 2, 2)), attribution(cost(8032, 502, 502)), bench(8, 1), keys);
    assert.deepEqual(m.sites.map((s) => [s.bytesPerOp, s.allocsPerOp, s.packedTiny, s.findings]), [[8, 1, true, ['a.go|F|escapes:x|0']]]);
    assert.deepEqual(m.remainder.packedTiny, { bytesPerOp: 0, allocsPerOp: 0 });
  });

  it('shows exactly 0 for a benchmark go test measured at 0, and never a negative figure', () => {
    const z = perOp('BenchmarkA', '/m', { small: 2, large: 1002 }, attribution(cost(64, 1)), attribution(cost(128, 2)), bench(0, 0), keys);
    assert.deepEqual([z.sites.length, z.explained.bytesPerOp, z.profile.bytesPerOp], [0, 0, 0]);
    const less = perOp('BenchmarkA', '/m', { small: 2, large: 1002 }, attribution(cost(640, 10), cost(900, 3)), attribution(cost(64640, 1010), cost(100, 1)), bench(64, 1), keys);
    assert.deepEqual([less.remainder.runtime, less.explained.share], [{ bytesPerOp: 0, allocsPerOp: 0 }, 1]);
  });
});

describe('measure: the store', () => {
  const m = { benchmark: 'BenchmarkA', dir: '', goTest: { bytesPerOp: 8, allocsPerOp: 1, n: 10, nsPerOp: 1 } } as unknown as Measurement;

  it('brings measurements back after a restart while the package is unchanged, and not after an edit', () => {
    const dir = tempModule({ 'a.go': 'package m\n', 'a_test.go': 'package m\n' });
    const cache = tempDir();
    new MeasurementStore(cache).save(dir, new Map([['BenchmarkA', { last: m }]]));
    assert.deepEqual([...new MeasurementStore(cache).load(dir).keys()], ['BenchmarkA']);
    const before = contentHash(dir);
    fs.appendFileSync(path.join(dir, 'a_test.go'), '// edited\n');
    assert.notEqual(contentHash(dir), before);
    assert.equal(new MeasurementStore(cache).load(dir).size, 0);
  });

  it('keeps them in memory when the cache cannot be written', () => {
    const dir = tempModule({ 'a.go': 'package m\n' });
    const file = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(file, '');
    const store = new MeasurementStore(path.join(file, 'cache'));
    store.save(dir, new Map([['BenchmarkA', { last: m }]]));
    assert.deepEqual([...store.load(dir).keys()], ['BenchmarkA']);
  });
});
