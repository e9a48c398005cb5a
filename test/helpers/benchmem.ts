// Live references for benchmark measurement: go test -benchmem's own figures for every leaf benchmark
// of a package (a normal run), and go tool pprof's per-line cumulative figures of a leaf's heap profile,
// per operation (two fixed-count runs, differenced), to check core/measure against.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseBenchOutput, type BenchResult } from '../../core/measure/benchOutput';
import { leafPattern } from '../../core/measure/leaves';
import type { Measurement, PerOp } from '../../core/measure/model';
import { tempDir } from './goEnv';

/** `go test -run=^$ -bench=PATTERN -benchmem` in `dir`, with go test's default -benchtime unless given: leaf name → result. */
export function benchmem(dir: string, pattern = '.', benchtime?: string): Map<string, BenchResult> {
  const r = spawnSync('go', ['test', '-run=^$', `-bench=${pattern}`, '-benchmem', ...(benchtime ? [`-benchtime=${benchtime}`] : []), '.'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return new Map(parseBenchOutput(r.stdout).map((b) => [b.name, b]));
}

/** pprof's cumulative alloc_space per `file:line`, per operation: runs `leaf` at 2x and 1002x with -memprofilerate=1. */
export function pprofCumPerOp(dir: string, leaf: string): Map<string, number> {
  const tmp = tempDir();
  const bin = path.join(tmp, 'pkg.test');
  const build = spawnSync('go', ['test', '-c', '-o', bin, '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const cum = (n: number) => {
    const prof = path.join(tmp, `${n}.prof`);
    const r = spawnSync(bin, ['-test.run=^$', `-test.bench=${leafPattern(leaf)}`, `-test.benchtime=${n}x`, `-test.memprofile=${prof}`,
      '-test.memprofilerate=1'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout);
    const top = spawnSync('go', ['tool', 'pprof', '-top', '-lines', '-cum', '-sample_index=alloc_space', '-unit=B', '-nodecount=100000',
      '-nodefraction=0', prof], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(top.status, 0, top.stderr);
    const out = new Map<string, number>();
    for (const line of top.stdout.split('\n')) {
      const m = /^\s*\d+B?\s+[\d.]+%\s+[\d.]+%\s+(\d+)B?\s+[\d.]+%\s+\S+ (.+):(\d+)(?: \(inline\))?\s*$/.exec(line);
      if (m) out.set(`${m[2]}:${m[3]}`, (out.get(`${m[2]}:${m[3]}`) ?? 0) + Number(m[1]));
    }
    return out;
  };
  const [a, b] = [cum(2), cum(1002)];
  return new Map([...b].map(([k, v]) => [k, (v - (a.get(k) ?? 0)) / 1000]));
}

/** Everything a measurement accounts go test's figures to: findings, lines without one, runtime, packed tiny allocations. */
export function accounted(m: Measurement): PerOp {
  const parts = [m.explained, m.remainder.unexplained, m.remainder.runtime, m.remainder.packedTiny];
  return { bytesPerOp: parts.reduce((n, p) => n + p.bytesPerOp, 0), allocsPerOp: parts.reduce((n, p) => n + p.allocsPerOp, 0) };
}

/**
 * Within 1 % of go test's figure, which go test truncates to an integer (1.06 allocs/op prints as 1;
 * 0.02 prints as 0). A benchmark go test measured at 0 B/op and 0 allocs/op shows exactly 0: perOp.ts
 * does that, and the styles test asserts it.
 */
export function addsUp(figure: number, goTest: number): boolean {
  return figure >= goTest * 0.99 && figure < (goTest + 1) * 1.01;
}
