// Runs benchmarks and turns their heap profiles into bytes and allocations per operation for each finding.
//
// The test binary is built once (`go test -c`, into the OS temp dir). Each top-level benchmark first runs
// at -test.benchtime=2x with -test.memprofilerate=1 (every allocation is in the profile): that lists its
// leaves (a benchmark calling b.Run has none of its own figures) and, for a benchmark without
// sub-benchmarks, is its short run. Each leaf then runs alone (a pattern per level) at 2x and at
// (2+k)x; k is sized from the short run's ns/op so a slow benchmark stays cheap. A profile counts the
// whole run: the b.N=1 probe of b.N loops, setup, the testing package. At 2x and above those are the same
// in both runs, for b.N loops and b.Loop alike, so the difference of the two profiles divided by k is
// exactly what one operation allocates (perOp.ts). Allocations with the timer off are set apart by source
// line (timerRanges.ts), as go test -benchmem leaves them out. One benchmark's failure is its own outcome.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isHeapAllocation, type Finding } from '../model';
import { moduleRoot } from '../run/module';
import { goFilesIn } from '../util/goFiles';
import { CancelledError } from '../util/cancel';
import { allocatingFindingLines, attribute, lineKey, type Attribution } from './attribute';
import { parseBenchOutput, type BenchResult } from './benchOutput';
import { findingKeys } from './findingKey';
import { failedBenchmarks, leafPattern, quoteMeta, splitPattern } from './leaves';
import type { BenchmarkOutcome } from './model';
import { perOp } from './perOp';
import { runProcess, type ProcessOptions } from './process';
import { loadProfile } from './profileProto';
import { timerOffRanges, type TimerOffRanges } from './timerRanges';
import { makeTempDir, removeTempDir } from '../run/processes';
import { executable } from '../platform';

/**
 * The short run's count, and the bounds of k. The runtime allocates now and then on its own (a new OS
 * thread's structures, a few KB) inside the timed region; go test's normal run spreads that over millions
 * of operations, so k is large enough to spread it too, under the time budget.
 */
const SHORT = 2;
const K = { min: 20, max: 20_000 } as const;
/** How long the longer run may take, judged by the short run: the plain go test gives each benchmark a second. */
const BUDGET_NS = 250e6;

export interface MeasureOptions {
  dir: string;
  /** Benchmark names (`BenchmarkParse`, `BenchmarkX/size=10`): each a leaf or a parent whose leaves are measured. */
  benchmarks?: string[];
  /** Or a go test -bench pattern (levels split by `/`) choosing among the package's benchmarks. */
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
  onProgress?: (message: string, done: number, total: number) => void;
}

export class BenchmarkError extends Error {
  constructor(message: string, readonly output: string) { super(message); }
}

interface Context {
  bin: string; tmp: string; go: string; proc: ProcessOptions; opts: MeasureOptions;
  findingLines: Set<string>; keysByLine: Map<string, Array<{ key: string; message: string }>>; inModule: (file: string) => boolean; timerOff: TimerOffRanges;
}

export async function measureBenchmarks(opts: MeasureOptions): Promise<BenchmarkOutcome[]> {
  const go = opts.goCommand || 'go';
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const tmp = makeTempDir();
  try {
    const bin = path.join(tmp, executable('pkg.test'));
    const proc = { cwd: opts.dir, env: opts.env, timeoutMs, signal: opts.signal };
    const gc = opts.gcflags?.length ? [`-gcflags=${opts.gcflags.join(' ')}`] : [];
    opts.onProgress?.('building the test binary', 0, 1);
    const build = await runProcess(go, ['test', '-c', '-o', bin, ...(opts.buildFlags ?? []), ...gc, '.'], proc);
    if (build.exitCode !== 0) throw new BenchmarkError(`go test -c failed: ${firstLine(build.output)}`, build.output);
    if (!fs.existsSync(bin)) throw new BenchmarkError('the package has no test files', build.output);
    const root = moduleRoot(opts.dir) ?? opts.dir;
    const ctx: Context = {
      bin, tmp, go, proc, opts, findingLines: allocatingFindingLines(opts.findings), keysByLine: keysByLine(opts.findings),
      inModule: (file) => file.startsWith(root + path.sep), timerOff: timerOffRanges(testFiles(opts.dir)),
    };
    const wanted = await topLevel(ctx);
    const out: BenchmarkOutcome[] = [];
    for (const [i, w] of wanted.entries()) {
      opts.onProgress?.(`${w.top}: listing its benchmarks`, i, wanted.length);
      out.push(...await measureTop(ctx, w.top, w.rest, (leaf) => opts.onProgress?.(`${leaf}: profiling`, i, wanted.length)));
    }
    opts.onProgress?.('done', 1, 1);
    return out;
  } finally {
    removeTempDir(tmp);
  }
}

/** The top-level benchmarks asked for, each with the rest of its pattern (sub-benchmark levels). */
async function topLevel(ctx: Context): Promise<Array<{ top: string; rest?: string }>> {
  if (ctx.opts.benchmarks) {
    return ctx.opts.benchmarks.map((b) => {
      const [top, ...rest] = b.split('/');
      return { top, rest: rest.length ? rest.map((e) => `^${quoteMeta(e)}$`).join('/') : undefined };
    });
  }
  const { top, rest } = splitPattern(ctx.opts.pattern ?? '.');
  const list = await runProcess(ctx.bin, [`-test.list=${top || '.'}`], ctx.proc);
  if (list.exitCode !== 0) throw new BenchmarkError(`listing benchmarks failed: ${firstLine(list.output)}`, list.output);
  return list.output.split('\n').map((l) => l.trim()).filter((l) => /^Benchmark/.test(l)).map((name) => ({ top: name, rest }));
}

async function measureTop(ctx: Context, top: string, rest: string | undefined, progress: (leaf: string) => void): Promise<BenchmarkOutcome[]> {
  const pattern = `^${quoteMeta(top)}$${rest ? `/${rest}` : ''}`;
  let first: { profile: string; output: string; results: BenchResult[] };
  try {
    first = await run(ctx, pattern, SHORT, `${top}.list`);
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return [{ benchmark: top, error: (e as Error).message, output: (e as BenchmarkError).output }];
  }
  const failed = failedBenchmarks(first.output);
  const out: BenchmarkOutcome[] = [];
  // The first run was this leaf alone (no sub-benchmarks, or a pattern naming one leaf): it is the short run.
  const alone = first.results.length === 1 && pattern === leafPattern(first.results[0].name);
  let pending: Promise<void> = Promise.resolve();
  for (const leaf of first.results) {
    progress(leaf.name);
    try {
      const short = alone ? first : await run(ctx, leafPattern(leaf.name), SHORT, `${leaf.name}.a`);
      const own = short.results.find((r) => r.name === leaf.name) ?? leaf;
      let k = countFor(own.nsPerOp);
      let long = await run(ctx, leafPattern(leaf.name), SHORT + k, `${leaf.name}.b`);
      let bench = long.results.find((r) => r.name === leaf.name);
      // Two operations are mostly cold start (first calls, caches filling): they overstate ns/op, and a
      // count sized from them can be too short for what a benchmark amortizes over its run. Sized again
      // from the longer run, once, when that gives a count several times larger.
      const again = bench ? countFor(bench.nsPerOp) : k;
      if (again >= 4 * k) {
        k = again;
        long = await run(ctx, leafPattern(leaf.name), SHORT + k, `${leaf.name}.b`);
        bench = long.results.find((r) => r.name === leaf.name);
      }
      if (!bench) throw new BenchmarkError(`${leaf.name} printed no result in its own run`, long.output);
      // Read the profiles while the next leaf runs: one read at a time, so they never pile up.
      const slot = out.length;
      out.push({ benchmark: leaf.name, error: 'not read' });
      const previous = pending;
      pending = (async () => {
        await previous;
        const [a, b] = await Promise.all([read(ctx, short.profile), read(ctx, long.profile)]);
        out[slot] = { benchmark: leaf.name, measurement: perOp(leaf.name, ctx.opts.dir, { small: SHORT, large: SHORT + k }, a, b, bench, ctx.keysByLine) };
      })().catch((e) => {
        if (e instanceof CancelledError) throw e;
        out[slot] = { benchmark: leaf.name, error: (e as Error).message };
      });
      // Awaited below; marked handled so a cancellation while the next leaf runs is not an unhandled rejection.
      pending.catch(() => undefined);
    } catch (e) {
      if (e instanceof CancelledError) { await pending.catch(() => undefined); throw e; }
      out.push({ benchmark: leaf.name, error: (e as Error).message, output: (e as BenchmarkError).output });
    }
  }
  await pending;
  for (const [name, why] of failed) {
    if (!out.some((o) => o.benchmark === name) && name !== top) out.push({ benchmark: name, error: why, output: first.output });
  }
  if (out.length === 0) {
    const why = failed.get(top) ?? 'printed no result';
    out.push({ benchmark: top, error: `${top} ${why}`, output: first.output });
  }
  return out;
}

function countFor(nsPerOp: number): number {
  return Math.max(K.min, Math.min(K.max, Math.floor(BUDGET_NS / Math.max(1, nsPerOp))));
}

async function run(ctx: Context, pattern: string, n: number, label: string): Promise<{ profile: string; output: string; results: BenchResult[] }> {
  const profile = path.join(ctx.tmp, `${label.replace(/[^\w.=-]/g, '_')}.${n}.prof`);
  const r = await runProcess(ctx.bin, ['-test.run=^$', `-test.bench=${pattern}`, '-test.benchmem', `-test.benchtime=${n}x`,
    '-test.count=1', `-test.memprofile=${profile}`, '-test.memprofilerate=1'], ctx.proc);
  const results = parseBenchOutput(r.output);
  if (r.exitCode !== 0 && results.length === 0) throw new BenchmarkError(`${label.replace(/\.\w+$/, '')} failed: ${firstLine(r.output)}`, r.output);
  return { profile, output: r.output, results };
}

async function read(ctx: Context, profile: string): Promise<Attribution> {
  if (ctx.opts.signal?.aborted) throw new CancelledError();
  return attribute(await loadProfile(profile), ctx.findingLines, ctx.inModule, ctx.timerOff);
}

function keysByLine(findings: readonly Finding[]): Map<string, Array<{ key: string; message: string }>> {
  const out = new Map<string, Array<{ key: string; message: string }>>();
  for (const [f, k] of findingKeys(findings)) {
    if (!isHeapAllocation(f) || !f.file) continue;
    const line = lineKey(f.file, f.pos.line);
    out.set(line, [...(out.get(line) ?? []), { key: k, message: f.message }]);
  }
  return out;
}

function testFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of goFilesIn(dir, { onlyTests: true })) {
    try { out.set(f, fs.readFileSync(f, 'utf8')); } catch { /* vanished: go test reports it */ }
  }
  return out;
}

function firstLine(output: string): string {
  return output.split('\n').find((l) => /\S/.test(l) && !/^(goos|goarch|pkg|cpu):/.test(l))?.trim() ?? 'no output';
}
