// Every way of writing a benchmark, measured against the live toolchain: fixtures/measure-styles has one
// benchmark per style with known costs (see its comments). Each leaf's figures must equal a normal
// `go test -benchmem` run's, each finding's figure pprof's figure for its line, and the parts add up.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { measurePackage, type PackageMeasurement } from '../../../core/analysis/measurePackage';
import type { Measurement } from '../../../core/measure/model';
import { REPO } from '../../helpers/goEnv';
import { accounted, addsUp, benchmem, pprofCumPerOp } from '../../helpers/benchmem';

const FIXTURE = path.join(REPO, 'fixtures', 'measure-styles');
const TEST = path.join(FIXTURE, 'styles_test.go');

function lineOf(text: string, after?: string): number {
  const lines = fs.readFileSync(TEST, 'utf8').split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, k) => k >= from && l.includes(text));
  assert.ok(i >= 0, text);
  return i + 1;
}

describe('measure: every benchmark style (fixtures/measure-styles)', () => {
  let r: PackageMeasurement;
  let reference: Map<string, { bytesPerOp: number; allocsPerOp: number }>;
  const m = (name: string): Measurement => {
    const x = r.measurements.find((y) => y.benchmark === name);
    assert.ok(x, `${name} measured (${r.failures.map((f) => `${f.benchmark}: ${f.error}`).join('; ')})`);
    return x;
  };

  before(async () => {
    const sources = new SourceCache(await loadGoParser());
    r = await measurePackage({ dir: FIXTURE, sources });
    // A fixed count: timed by the clock, BenchmarkStopTimer's b.N grows until its few timed nanoseconds
    // add up to a second, and each of its StopTimer calls reads the memory statistics (minutes of run).
    reference = benchmem(FIXTURE, '.', '20000x');
    console.log(table(r.measurements, reference));
  });

  it('measures each leaf, named as go test names it, with go test -benchmem\'s figures', () => {
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.measurements.map((x) => x.benchmark), [...reference.keys()]);
    for (const x of r.measurements) {
      const ref = reference.get(x.benchmark)!;
      assert.deepEqual({ b: x.goTest.bytesPerOp, a: x.goTest.allocsPerOp }, { b: ref.bytesPerOp, a: ref.allocsPerOp }, x.benchmark);
      const sum = accounted(x);
      assert.ok(addsUp(sum.bytesPerOp, ref.bytesPerOp) && addsUp(sum.allocsPerOp, ref.allocsPerOp), `${x.benchmark}: ${JSON.stringify(sum)} vs ${JSON.stringify(ref)}`);
      assert.ok(x.explained.share <= 1);
      for (const s of [...x.sites, ...x.unexplained]) assert.ok(s.bytesPerOp >= 0 && s.allocsPerOp >= 0, JSON.stringify(s));
    }
  });

  it('charges each style\'s allocation to the finding at the benchmark\'s line, and nothing else', () => {
    const known: Array<[string, number, number, number]> = [
      ['BenchmarkClassic', lineOf('sink = NewBlock()', 'func BenchmarkClassic'), 64, 1],
      ['BenchmarkLoop', lineOf('sink = NewBlock()', 'func BenchmarkLoop'), 64, 1],
      ['BenchmarkTable/size=16', lineOf('sinkB = Sized(n)'), 16, 1],
      ['BenchmarkTable/size=112', lineOf('sinkB = Sized(n)'), 112, 1],
      ['BenchmarkTable/size=1024', lineOf('sinkB = Sized(n)'), 1024, 1],
      ['BenchmarkNested/outer/block', lineOf('sink = NewBlock()', 'b.Run("block"'), 64, 1],
      ['BenchmarkNested/outer/sized', lineOf('sinkB = Sized(112)'), 112, 1],
      ['BenchmarkParallel', lineOf('sink = NewBlock()', 'func BenchmarkParallel'), 64, 1],
      ['BenchmarkReportAllocs', lineOf('sink = NewBlock()', 'func BenchmarkReportAllocs'), 64, 1],
      ['BenchmarkResetTimer', lineOf('sinkB = Sized(1024)'), 1024, 1],
      ['BenchmarkStopTimer', lineOf('sink = NewBlock()', 'func BenchmarkStopTimer'), 64, 1],
    ];
    for (const [name, line, bytes, allocs] of known) {
      const x = m(name);
      // Per operation to the byte: what the runtime does now and then is less than that over the run.
      assert.deepEqual(x.sites.map((s) => [path.basename(s.file), s.line, Math.round(s.bytesPerOp), s.allocsPerOp]), [['styles_test.go', line, bytes, allocs]], name);
      assert.deepEqual([Math.round(x.explained.bytesPerOp), x.explained.allocsPerOp, x.explained.share], [bytes, allocs, 1], name);
      assert.deepEqual(x.unexplained, [], name);
    }
  });

  it('leaves out what the timer did not count, and shows it apart', () => {
    const stopped = m('BenchmarkStopTimer').stopped;
    assert.deepEqual([Math.round(stopped.bytesPerOp), stopped.allocsPerOp], [4096, 1]);
    // Setup sized by b.N before ResetTimer: a 24-byte slice header and a 64-byte Sized(64) per operation,
    // and the b.N-long slice rounded up to whole pages.
    const setup = m('BenchmarkResetTimer').stopped;
    assert.ok(setup.bytesPerOp >= 88 && setup.bytesPerOp < 89 && setup.allocsPerOp === 1, JSON.stringify(setup));
  });

  it('shows a zero-allocation benchmark as exactly 0', () => {
    const z = m('BenchmarkZero');
    assert.deepEqual([z.goTest.bytesPerOp, z.goTest.allocsPerOp, z.explained.bytesPerOp, z.sites.length, z.unexplained.length], [0, 0, 0, 0, 0]);
    assert.deepEqual(accounted(z), { bytesPerOp: 0, allocsPerOp: 0 });
  });

  it('counts allocations under 16 bytes exactly, on the boxing finding', () => {
    const t = m('BenchmarkTiny');
    assert.deepEqual(t.sites.map((s) => [s.bytesPerOp, s.allocsPerOp, s.packedTiny]), [[8, 1, true]]);
    assert.deepEqual(t.explained, { bytesPerOp: 8, allocsPerOp: 1, share: 1 });
  });

  it('charges standard-library code inlined into the user\'s function to the finding at the user\'s line', () => {
    // Join is inlined into the benchmark in turn: the compiler reports the append of its inlined copy at the call.
    const j = m('BenchmarkJoin');
    assert.deepEqual(j.sites.map((s) => [path.basename(s.file), s.line, s.messages]), [['styles_test.go', lineOf('sinkS = Join(parts)'), ['append escapes to heap']]]);
    assert.deepEqual({ b: j.explained.bytesPerOp, a: j.explained.allocsPerOp }, { b: j.goTest.bytesPerOp, a: j.goTest.allocsPerOp });
  });

  it('gives each finding pprof\'s figure for its line', () => {
    for (const name of ['BenchmarkClassic', 'BenchmarkTable/size=112', 'BenchmarkStopTimer', 'BenchmarkResetTimer', 'BenchmarkJoin', 'BenchmarkTiny']) {
      const cum = pprofCumPerOp(FIXTURE, name);
      for (const s of m(name).sites) assert.equal(Math.round(cum.get(`${s.file}:${s.line}`) ?? -1), Math.round(s.bytesPerOp), `${name} ${s.file}:${s.line}`);
    }
  });
});

function table(ms: readonly Measurement[], reference: ReadonlyMap<string, { bytesPerOp: number; allocsPerOp: number }>): string {
  const rows = ms.map((x) => {
    const ref = reference.get(x.benchmark);
    const a = accounted(x);
    return `${x.benchmark.padEnd(30)} ${String(ref?.bytesPerOp ?? '-').padStart(6)} ${String(ref?.allocsPerOp ?? '-').padStart(4)} | ` +
      `${String(x.explained.bytesPerOp).padStart(7)} ${String(x.explained.allocsPerOp).padStart(5)} | ${String(a.bytesPerOp).padStart(7)} ${String(a.allocsPerOp).padStart(5)} | ` +
      `${String(x.stopped.bytesPerOp).padStart(6)} ${String(x.stopped.allocsPerOp).padStart(4)}`;
  });
  return [`${'benchmark'.padEnd(30)} go test B/op allocs | findings B/op allocs | accounted B/op allocs | timer off B/op allocs`, ...rows].join('\n');
}
