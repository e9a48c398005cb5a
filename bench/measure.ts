// What a measurement (CLI --bench) costs on top of the plain `go test -bench` run, on fixtures/measure,
// measured in the same run: the plain run uses go test's default -benchtime=1s per benchmark; the
// measurement builds the test binary once, runs each benchmark at two fixed counts with
// -memprofilerate=1 and reads both profiles.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { median } from './stats';

export function benchMeasure(repo: string): void {
  const dir = path.join(repo, 'fixtures', 'measure');
  const run = (cmd: string, args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
    return performance.now() - t0;
  };
  const plain: number[] = [];
  const plainFixed: number[] = [];
  const measured: number[] = [];
  for (let i = 0; i < 3; i++) {
    plain.push(run('go', ['test', '-run=^$', '-bench=.', '-benchmem', '.']));
    plainFixed.push(run('go', ['test', '-run=^$', '-bench=.', '-benchmem', '-benchtime=1100x', '.']));
    measured.push(run(process.execPath, [path.join(repo, 'dist', 'cli.js'), '--json', '--bench', '.', dir]));
  }
  const [p, f, m] = [median(plain), median(plainFixed), median(measured)];
  console.log(`measure: fixtures/measure (3 benchmarks), medians of 3`);
  console.log(`  go test -bench=. -benchmem (default 1s per benchmark): ${p.toFixed(0)} ms; with -benchtime=1100x: ${f.toFixed(0)} ms`);
  console.log(`  go-escape-lens --json --bench . (analysis + 2 profiled runs per benchmark + pprof): ${m.toFixed(0)} ms ` +
    `= ${(m / p).toFixed(2)}× the default go test -bench run, ${(m / f).toFixed(2)}× the same-count run`);
}
