// What a measurement (CLI --bench P) costs against the plain `go test -run='^$' -bench=P -benchmem` of the
// same pattern, on fixtures/measure-styles (one benchmark per style, table-driven and nested among them),
// run alternately so both see the same machine. The pattern leaves out the StopTimer and ResetTimer
// benchmarks: go test runs them until a second of timed work, and the untimed work (a stop of the world
// per StopTimer, setup sized by b.N) makes the plain run minutes long, which would flatter the ratio. The plain run gives each leaf go test's default second;
// the measurement analyses the package, builds the test binary once, runs each leaf at two fixed counts
// with -memprofilerate=1 and reads both profiles. The target is at most 1.2×.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { median } from './stats';

export function benchMeasure(repo: string): void {
  const dir = path.join(repo, 'fixtures', 'measure-styles');
  const pattern = 'Classic|Loop|Table|Nested|Parallel|ReportAllocs|Zero|Tiny|Join';
  const run = (cmd: string, args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
    return { ms: performance.now() - t0, out: r.stdout };
  };
  const rounds = Number(process.env.GEL_BENCH_ROUNDS) || 3;
  const plain: number[] = [];
  const measured: number[] = [];
  let leaves = 0;
  for (let i = 0; i < rounds; i++) {
    plain.push(run('go', ['test', '-run=^$', `-bench=${pattern}`, '-benchmem', '.']).ms);
    const m = run(process.execPath, [path.join(repo, 'dist', 'cli.js'), '--json', '--bench', pattern, dir]);
    measured.push(m.ms);
    leaves = (JSON.parse(m.out) as { measurements: unknown[] }).measurements.length;
  }
  const [p, m] = [median(plain), median(measured)];
  console.log(`measure: fixtures/measure-styles (${leaves} leaf benchmarks), medians of ${rounds}`);
  console.log(`  go test -run='^$' -bench='${pattern}' -benchmem: ${p.toFixed(0)} ms`);
  console.log(`  go-escape-lens --json --bench '${pattern}' (analysis + 2 profiled runs per leaf + profiles read): ${m.toFixed(0)} ms = ${(m / p).toFixed(2)}× (target ≤ 1.2×)`);
  console.log(`  rounds: plain ${plain.map((x) => x.toFixed(0)).join(', ')} ms; measured ${measured.map((x) => x.toFixed(0)).join(', ')} ms`);
}
