// Benchmark measurement against the live toolchain: fixtures/measure's benchmarks allocate known amounts
// by construction (one 64-byte Block, one boxed int ≥ 256, 32 bytes inside strings.Repeat), measured
// with -memprofilerate=1, so per-finding figures must equal the construction and go test's own totals.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding, MeasuredCost } from '../../../core/model';
import { CancelledError } from '../../../core/run/runGo';
import { attribute } from '../../../core/measure/attribute';
import { parseBenchOutput } from '../../../core/measure/benchOutput';
import { findBenchmarks } from '../../../core/measure/benchmarks';
import { benchmarkText, measuredText } from '../../../core/measure/format';
import { measurePackage } from '../../../core/analysis/measurePackage';
import type { Measurement } from '../../../core/measure/model';
import { spawnSync } from 'node:child_process';
import { REPO, tempDir } from '../../helpers/goEnv';
import { present } from '../../../core/present/present';

const FIXTURE = path.join(REPO, 'fixtures', 'measure');

function lineOf(file: string, text: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

function finding(findings: Finding[], file: string, text: string): Finding {
  const line = lineOf(file, text);
  const f = findings.find((x) => x.file === file && x.pos.line === line && x.kind === 'escapes');
  assert.ok(f, `an escape finding on ${path.basename(file)}:${line}`);
  return f;
}

function benchTempDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('go-escape-lens-bench-'));
}

describe('measure: benchmarks against the live toolchain', () => {
  let sources: SourceCache;
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  it('charges each allocation once, to the finding the compiler reports where it was inlined, and adds up to go test -benchmem', async () => {
    const alloc = path.join(FIXTURE, 'alloc.go');
    const test = path.join(FIXTURE, 'alloc_test.go');
    const { analysis, measurements } = await measurePackage({ dir: FIXTURE, sources, benchmarks: ['BenchmarkBoth'] });
    assert.equal(measurements.length, 1);
    const m = measurements[0];
    assert.equal(m.goTest.n, m.iterations.large);
    // go test's own totals: 64 + 8 bytes, two allocations.
    assert.deepEqual({ b: m.goTest.bytesPerOp, a: m.goTest.allocsPerOp }, { b: 72, a: 2 });
    // NewBlock and Box are inlined into the benchmark: the compiler reports their inlined copies at the
    // calls, and those are what allocated; the callees' own findings are about their standalone copies.
    const atCall = (text: string) => finding(analysis.findings, test, text).measured?.map((c) => [c.benchmark, Math.round(c.bytesPerOp), c.allocsPerOp]);
    assert.deepEqual(atCall('sink = NewBlock()'), [['BenchmarkBoth', 64, 1]]);
    assert.deepEqual(atCall('sink = Box(i + 1000)'), [['BenchmarkBoth', 8, 1]]);
    assert.equal(finding(analysis.findings, alloc, 'return &Block{}').measured, undefined);
    assert.equal(finding(analysis.findings, alloc, 'return n').measured, undefined);
    // Counted once each, the findings explain exactly what go test measured.
    assert.deepEqual([Math.round(m.explained.bytesPerOp), m.explained.allocsPerOp, m.explained.share], [72, 2, 1]);
    // The setup slice (before b.ResetTimer) is left out, as go test leaves it out.
    const setup = finding(analysis.findings, test, 'make([]*Block, 0, 16)');
    assert.equal(setup.measured, undefined);
    assert.ok(!m.sites.some((s) => s.line === setup.pos.line && s.file === test));
    assert.equal(benchmarkText(m), 'BenchmarkBoth: 72 B/op, 2 allocs/op · findings explain 100%');
  });

  it('measures b.Loop benchmarks, and lists allocations inside library calls as unexplained', async () => {
    const { measurements } = await measurePackage({ dir: FIXTURE, sources });
    assert.deepEqual(measurements.map((m) => m.benchmark), ['BenchmarkBoth', 'BenchmarkLoop', 'BenchmarkRepeat']);
    const loop = measurements[1];
    assert.deepEqual({ b: loop.goTest.bytesPerOp, a: loop.goTest.allocsPerOp }, { b: 64, a: 1 });
    assert.deepEqual([Math.round(loop.explained.bytesPerOp), loop.explained.allocsPerOp, loop.explained.share], [64, 1, 1]);
    const repeat = measurements[2];
    assert.equal(repeat.explained.bytesPerOp, 0);
    assert.equal(repeat.explained.share, 0);
    assert.deepEqual(repeat.unexplained.map((s) => [path.basename(s.file), s.line, Math.round(s.bytesPerOp), s.allocsPerOp, s.callee]),
      [['alloc.go', lineOf(path.join(FIXTURE, 'alloc.go'), 'strings.Repeat'), 32, 1, 'strings.Repeat']]);
    assert.equal(Math.round(repeat.remainder.unexplained.bytesPerOp), 32);
  });

  it('shows before → after when the same benchmark is measured again after an edit', async () => {
    const dir = tempDir();
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const first = await measurePackage({ dir, sources, benchmarks: ['BenchmarkBoth'] });
    const test = path.join(dir, 'alloc_test.go');
    // The "fix": the benchmark stops boxing.
    fs.writeFileSync(test, fs.readFileSync(test, 'utf8').replace('\t\tsink = Box(i + 1000)\n', ''));
    const previous = new Map<string, Measurement>(first.measurements.map((m) => [m.benchmark, m]));
    const second = await measurePackage({ dir, sources, benchmarks: ['BenchmarkBoth'], previous });
    const m = second.measurements[0];
    assert.equal(benchmarkText(m, previous.get(m.benchmark)), 'BenchmarkBoth: 72 → 64 B/op, 2 → 1 allocs/op · findings explain 100%');
    const block = finding(second.analysis.findings, test, 'sink = NewBlock()');
    const round = (c: MeasuredCost) => ({ ...c, bytesPerOp: Math.round(c.bytesPerOp), before: c.before && { ...c.before, bytesPerOp: Math.round(c.before.bytesPerOp) } });
    assert.equal(measuredText(round(block.measured![0])), '64 → 64 B/op, 1 → 1 allocs/op in BenchmarkBoth');
  });

  it('stops when cancelled and leaves no temp files', async () => {
    const before = new Set(benchTempDirs());
    const abort = new AbortController();
    const run = measurePackage({
      dir: FIXTURE, sources, signal: abort.signal,
      onProgress: (message) => { if (message.includes('profiling')) abort.abort(); },
    });
    await assert.rejects(run, CancelledError);
    assert.deepEqual(benchTempDirs().filter((d) => !before.has(d)), []);
  });

  it('reports a package without test files', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/none\n\ngo 1.24\n');
    fs.writeFileSync(path.join(dir, 'a.go'), 'package none\n\nfunc F() *int { return new(int) }\n');
    await assert.rejects(measurePackage({ dir, sources }), /no test files/);
  });
});

describe('measure: CLI --bench and --compare', () => {
  const CLI = path.join(REPO, 'dist', 'cli.js');
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8' });

  it('puts per-finding figures and measurements in --json, and compares two reports', () => {
    const dir = tempDir();
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const before = run(['--json', '--bench', 'Both', dir]);
    assert.equal(before.status, 0, before.stderr);
    const doc = JSON.parse(before.stdout) as { measurements: Measurement[]; findings: Finding[] };
    assert.deepEqual(doc.measurements.map((m) => [m.benchmark, m.goTest.bytesPerOp, Math.round(m.explained.bytesPerOp)]), [['BenchmarkBoth', 72, 72]]);
    const block = doc.findings.find((f) => f.file === path.join(dir, 'alloc_test.go') && f.subject === '&Block{}')!;
    assert.deepEqual(block.measured?.map((c) => [c.benchmark, Math.round(c.bytesPerOp), c.allocsPerOp]), [['BenchmarkBoth', 64, 1]]);
    const test = path.join(dir, 'alloc_test.go');
    fs.writeFileSync(test, fs.readFileSync(test, 'utf8').replace('\t\tsink = Box(i + 1000)\n', ''));
    const after = run(['--json', '--bench', 'Both', dir]);
    assert.equal(after.status, 0, after.stderr);
    const files = [path.join(dir, 'old.json'), path.join(dir, 'new.json')];
    fs.writeFileSync(files[0], before.stdout);
    fs.writeFileSync(files[1], after.stdout);
    const cmp = run(['--compare', ...files]);
    assert.equal(cmp.status, 0, cmp.stderr);
    assert.deepEqual(cmp.stdout.trim().split('\n'), [
      'BenchmarkBoth: 72 → 64 B/op, 2 → 1 allocs/op · findings explain 100%',
      '  alloc_test.go BenchmarkBoth: n escapes to heap: 8 → 0 B/op, 1 → 0 allocs/op in BenchmarkBoth (gone)',
    ]);
    // Two reports of the same code: nothing changed.
    fs.writeFileSync(files[0], run(['--json', '--bench', 'Both', dir]).stdout);
    assert.deepEqual(run(['--compare', files[0], files[1]]).stdout.trim().split('\n'), ['BenchmarkBoth: 64 → 64 B/op, 1 → 1 allocs/op · findings explain 100%']);
    assert.equal(run(['--compare', files[0]]).status, 2);
    assert.equal(run(['--bench', '.', '--input', files[0]]).status, 2);
  });
});

describe('measure: rules', () => {
  const file = '/m/a.go';
  const frame = (fn: string, line: number, inlined = false, f = file) => ({ fn, file: f, line, inlined });

  it('charges an allocation once, to the outermost finding of its inlining chain, not callers further out', () => {
    const lines = new Set([`${file}:7`, `${file}:20`, `${file}:30`]);
    const bench = frame('testing.(*B).runN', 100, false, '/go/src/testing/benchmark.go');
    const a = attribute([
      // New (line 7) inlined into Bench (line 20), which a non-inlined caller (line 30) called.
      { objects: 10, bytes: 640, frames: [frame('m.New', 7, true), frame('m.Bench', 20), frame('m.Outer', 30), bench] },
    ], lines, (f) => f.startsWith('/m/'));
    assert.deepEqual([...a.sites.entries()], [[`${file}:20`, { bytes: 640, objects: 10, block16: 0 }]]);
  });

  it('sets apart what was allocated with the timer off, and the runtime\'s background work', () => {
    const bench = frame('testing.(*B).runN', 100, false, '/go/src/testing/benchmark.go');
    const off = new Map([[file, [[3, 5] as [number, number]]]]);
    const a = attribute([
      { objects: 1, bytes: 4096, frames: [frame('runtime.makeslice', 1, false, '/go/src/runtime/slice.go'), frame('m.Bench', 4), bench] },
      { objects: 1, bytes: 480, frames: [frame('runtime.malg', 1, false, '/go/src/runtime/proc.go'), frame('runtime.systemstack', 2, false, '/go/src/runtime/asm.s'), frame('m.Bench', 9), bench] },
      { objects: 1, bytes: 16, frames: [frame('context.WithCancel', 1, false, '/go/src/context/context.go'), bench] },
    ], new Set([`${file}:4`]), (f) => f.startsWith('/m/'), off);
    assert.deepEqual(a.stopped, { bytes: 4096, objects: 1, block16: 0 });
    assert.deepEqual(a.sites.size + a.unexplained.size, 0);
    assert.deepEqual(a.runtime, { bytes: 16, objects: 1, block16: 1 });
  });

  it('names the library function a module line called when the allocation happened inside it', () => {
    const bench = frame('testing.(*B).runN', 100, false, '/go/src/testing/benchmark.go');
    const a = attribute([{ objects: 1, bytes: 32, frames: [
      frame('internal/bytealg.MakeNoZero', 9, false, '/go/src/internal/bytealg/x.go'),
      frame('strings.Repeat', 60, false, '/go/src/strings/strings.go'), frame('m.R', 5), bench] }], new Set([`${file}:5`]), (f) => f.startsWith('/m/'));
    assert.deepEqual([...a.unexplained.entries()], [[`${file}:5\0strings.Repeat`, { bytes: 32, objects: 1, block16: 0 }]]);
    assert.equal(a.sites.size, 0);
  });

  it('reads go test benchmark lines with and without the GOMAXPROCS suffix and custom metrics', () => {
    assert.deepEqual(parseBenchOutput('BenchmarkBoth-2   \t    1100\t      2116 ns/op\t      72 B/op\t       2 allocs/op\n' +
      'BenchmarkX \t 10\t 5.5 ns/op\t 3.00 widgets/op\t 0 B/op\t 0 allocs/op\nPASS\n'), [
      { name: 'BenchmarkBoth', n: 1100, nsPerOp: 2116, bytesPerOp: 72, allocsPerOp: 2 },
      { name: 'BenchmarkX', n: 10, nsPerOp: 5.5, bytesPerOp: 0, allocsPerOp: 0 },
    ]);
  });

  it('ranks measured findings costliest first, ahead of unmeasured ones of a higher tier', () => {
    const f = (subject: string, tier: 'L1' | 'L3', bytes?: number): Finding => ({
      file: file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, exact: true, kind: 'escapes',
      message: `${subject} escapes to heap`, subject, cause: 'x', tier, allocates: true, flow: [], otherPaths: 0,
      pos: { path: file, line: 1 }, measured: bytes === undefined ? undefined : [{ benchmark: 'BenchmarkA', bytesPerOp: bytes, allocsPerOp: 1 }],
    });
    const sorted = present([f('a', 'L1'), f('b', 'L3', 8), f('c', 'L3', 64)]).items.map((x) => x.finding.subject);
    assert.deepEqual(sorted, ['c', 'b', 'a']);
  });

  it('finds benchmark declarations as go test does', () => {
    const text = 'package p\n\nimport "testing"\n\nfunc BenchmarkA(b *testing.B) {}\nfunc Benchmarkb(b *testing.B) {}\nfunc Benchmark(b *testing.B) {}\nfunc BenchmarkC(t *testing.T) {}\n';
    assert.deepEqual(findBenchmarks(text), [{ name: 'BenchmarkA', line: 4 }, { name: 'Benchmark', line: 6 }]);
  });
});
