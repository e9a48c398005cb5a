// Runs benchmarks and turns their heap profiles into bytes and allocations per operation for each finding.
//
// The test binary is built once (`go test -c`, into the OS temp dir) and each benchmark runs twice, with
// two fixed iteration counts (-test.benchtime=Nx) and -test.memprofilerate=1 so every allocation is in the
// profile. A profile counts the whole run: setup before b.ResetTimer, the b.N=1 probe `go test` runs
// first, the testing package itself. Those happen the same number of times in both runs, so the
// difference of the two profiles divided by the difference of the iteration counts is exactly what one
// operation allocates, for b.N loops and b.Loop alike.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isHeapAllocation, type Finding } from '../model';
import { moduleRoot } from '../run/module';
import { allocatingFindingLines, attribute, lineKey, type Attribution, type Cost } from './attribute';
import { parseBenchOutput } from './benchOutput';
import { findingKeys } from './findingKey';
import type { Measurement, SiteCost } from './model';
import { runProcess } from './process';
import { loadRawProfile } from './rawProfile';
import { makeTempDir, removeTempDir } from '../run/processes';
import { executable } from '../platform';

/** The fixed iteration counts: small enough for slow benchmarks, a difference of 1000 for exact per-op figures. */
const ITERATIONS = { small: 100, large: 1100 } as const;

export interface MeasureOptions {
  dir: string;
  /** Benchmark names (`BenchmarkParse`); all of the package's when absent. */
  benchmarks?: string[];
  /** Or a go test -bench pattern (a regular expression) choosing among them. */
  pattern?: string;
  /** Findings of the package, test files included: what allocations are charged to. */
  findings: readonly Finding[];
  goCommand?: string;
  env?: Record<string, string>;
  buildFlags?: string[];
  /** Compiler flags the analysis used (besides -m): the measured binary is compiled the same way. */
  gcflags?: string[];
  /** For the build, and for each run of each benchmark. */
  timeoutMs?: number;
  signal?: AbortSignal;
  iterations?: { small: number; large: number };
  onProgress?: (message: string, done: number, total: number) => void;
}

export class BenchmarkError extends Error {
  constructor(message: string, readonly output: string) { super(message); }
}

export async function measureBenchmarks(opts: MeasureOptions): Promise<Measurement[]> {
  const go = opts.goCommand || 'go';
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const iterations = opts.iterations ?? ITERATIONS;
  const tmp = makeTempDir();
  try {
    const bin = path.join(tmp, executable('pkg.test'));
    const proc = { cwd: opts.dir, env: opts.env, timeoutMs, signal: opts.signal };
    const gc = opts.gcflags?.length ? [`-gcflags=${opts.gcflags.join(' ')}`] : [];
    opts.onProgress?.('building the test binary', 0, 1);
    const build = await runProcess(go, ['test', '-c', '-o', bin, ...(opts.buildFlags ?? []), ...gc, '.'], proc);
    if (build.exitCode !== 0) throw new BenchmarkError(`go test -c failed: ${firstLine(build.output)}`, build.output);
    if (!fs.existsSync(bin)) throw new BenchmarkError('the package has no test files', build.output);
    let names = opts.benchmarks;
    if (!names) {
      const list = await runProcess(bin, [`-test.list=${opts.pattern ?? '^Benchmark'}`], proc);
      if (list.exitCode !== 0) throw new BenchmarkError(`listing benchmarks failed: ${firstLine(list.output)}`, list.output);
      names = list.output.split('\n').map((l) => l.trim()).filter((l) => /^Benchmark/.test(l));
    }
    const findingLines = allocatingFindingLines(opts.findings);
    const root = moduleRoot(opts.dir) ?? opts.dir;
    const inModule = (file: string): boolean => file.startsWith(root + path.sep);
    const keysByLine = new Map<string, string[]>();
    for (const [f, k] of findingKeys(opts.findings)) {
      const line = lineKey(f.file, f.pos.line);
      if (!findingLines.has(line) || !isHeapAllocation(f)) continue;
      keysByLine.set(line, [...(keysByLine.get(line) ?? []), k]);
    }
    const out: Measurement[] = [];
    for (const [i, name] of names.entries()) {
      const runs: { profile: string; bench: ReturnType<typeof parseBenchOutput>[number] }[] = [];
      for (const n of [iterations.small, iterations.large]) {
        opts.onProgress?.(`${name}: ${n} iterations`, i * 2 + runs.length, names.length * 2);
        const profile = path.join(tmp, `${name}.${n}.prof`);
        const r = await runProcess(bin, ['-test.run=^$', `-test.bench=^${name}$`, '-test.benchmem', `-test.benchtime=${n}x`,
          '-test.count=1', `-test.memprofile=${profile}`, '-test.memprofilerate=1'], proc);
        if (r.exitCode !== 0) throw new BenchmarkError(`${name} failed: ${firstLine(r.output)}`, r.output);
        const bench = parseBenchOutput(r.output).find((b) => b.name === name);
        if (!bench) throw new BenchmarkError(`${name} printed no result (does it exist, or does it only run sub-benchmarks?)`, r.output);
        runs.push({ profile, bench });
      }
      // Both profiles at once: the benchmark runs are over, so nothing timed competes with pprof.
      const [small, large] = await Promise.all(runs.map(async (r) =>
        attribute(await loadRawProfile(r.profile, go, opts.env, opts.signal, timeoutMs), findingLines, inModule)));
      out.push(perOp(name, opts.dir, iterations, small, large, runs[1].bench, keysByLine));
    }
    opts.onProgress?.('done', 1, 1);
    return out;
  } finally {
    removeTempDir(tmp);
  }
}

function perOp(
  benchmark: string, dir: string, iterations: { small: number; large: number }, small: Attribution, large: Attribution,
  bench: ReturnType<typeof parseBenchOutput>[number], keysByLine: Map<string, string[]>,
): Measurement {
  const ops = iterations.large - iterations.small;
  const per = (a: Cost | undefined, b: Cost | undefined, k: keyof Cost) => ((b?.[k] ?? 0) - (a?.[k] ?? 0)) / ops;
  // Allocations go test counted that the profile could not see: tiny allocations packed into blocks opened
  // before. Spread over the lines that opened 16-byte blocks, by their blocks; exact when one line does it.
  // Only the module's samples: go test times the benchmark, not the testing package around it.
  const missing = bench.allocsPerOp - per(small.module, large.module, 'objects');
  const tinyTotal = per(small.module, large.module, 'tiny');
  const spread = missing > 0.005 && tinyTotal > 0 ? missing / tinyTotal : 0;
  // Bytes to 0.1: the tiny block a run starts with may be partly used, so either run can open one more
  // 16-byte block than the other (±0.016 B/op over 1000 operations); everything else is exact.
  const diff = (a: Cost | undefined, b: Cost | undefined) => ({
    bytesPerOp: round(per(a, b, 'bytes'), 1),
    allocsPerOp: round(per(a, b, 'objects') + per(a, b, 'tiny') * spread),
  });
  const sites = (big: Map<string, Cost>, little: Map<string, Cost>, withKeys: boolean): SiteCost[] => [...big.keys()]
    .map((k) => {
      const [where, callee] = k.split('\0');
      const at = where.lastIndexOf(':');
      const site: SiteCost = { file: where.slice(0, at), line: Number(where.slice(at + 1)), ...diff(little.get(k), big.get(k)) };
      if (callee) site.callee = callee;
      if (spread > 0 && per(little.get(k), big.get(k), 'tiny') > 0) site.tinyEstimate = true;
      if (withKeys) site.findings = keysByLine.get(where) ?? [];
      return site;
    })
    // Setup and one-off allocations cancel out: what is left allocates per operation.
    .filter((s) => s.bytesPerOp > 0 || s.allocsPerOp > 0)
    .sort((a, b) => b.bytesPerOp - a.bytesPerOp || b.allocsPerOp - a.allocsPerOp);
  const explained = diff(small.explained, large.explained);
  return {
    benchmark, dir, iterations,
    goTest: { n: bench.n, nsPerOp: bench.nsPerOp, bytesPerOp: bench.bytesPerOp, allocsPerOp: bench.allocsPerOp },
    profile: { bytesPerOp: round(per(small.total, large.total, 'bytes'), 1), allocsPerOp: round(per(small.total, large.total, 'objects')) },
    explained: { ...explained, share: bench.bytesPerOp > 0 ? round(Math.min(1, explained.bytesPerOp / bench.bytesPerOp), 4) : 0 },
    sites: sites(large.sites, small.sites, true),
    unexplained: sites(large.unexplained, small.unexplained, false),
    measuredAt: new Date().toISOString(),
  };
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function firstLine(output: string): string {
  return output.split('\n').find((l) => /\S/.test(l) && !/^(goos|goarch|pkg|cpu):/.test(l))?.trim() ?? 'no output';
}
