// The live run: the CLI's targets expanded into package dirs, each `DIR/...` tree of several packages
// compiled by one go command (started early, beside `go list`), every other package one by one — with
// tests (`go test -c`, one binary per package) or, with --bench, measured by its benchmarks.
import * as path from 'node:path';
import { analyzePackage } from '../core/analysis/analyzePackage';
import { gorootOf } from '../core/analysis/goList';
import { analyzePackages } from '../core/analysis/analyzePackages';
import { startPackagesBuild, type StartedBuild } from '../core/analysis/packagesBuild';
import { measurePackage, type BenchmarkFailure } from '../core/analysis/measurePackage';
import { goParser } from '../core/locate/goParser';
import type { SourceCache } from '../core/locate/sourceCache';
import { BenchmarkError } from '../core/measure/measure';
import type { Measurement } from '../core/measure/model';
import { startReaper } from '../core/gohelper/reaper';
import { CancelledError, GoEnvironmentError, GoNotFoundError, OutputTooLargeError, TimeoutError } from '../core/run/runGo';
import type { CliOptions } from './args';
import { EXIT } from './exitCodes';
import { Progress, say, toolchainNotice } from './notices';
import { isDirectory, ListError, packageDirs, recursivePattern } from './packages';
import type { ExitCode, Results } from './results';

/** Analyses every target's packages into `results`; returns an exit status when the targets cannot be listed. */
/** What --bench measured: each benchmark's figures, or its own error (one failure never loses the rest). */
export interface Measured { measurements: Measurement[]; failures: BenchmarkFailure[] }

export async function analyseTargets(opts: CliOptions, sources: SourceCache, results: Results, measured: Measured): Promise<ExitCode | undefined> {
  // Before the first go command: a SIGKILL of the CLI must not leave its builds running.
  void startReaper({ goCommand: opts.goCommand });
  const batching = !opts.tests && opts.bench === undefined;
  const early = batching ? startEarlyBuilds(opts) : new Map<string, StartedBuild>();
  const importPaths = new Map<string, string>();
  let dirs: string[];
  try {
    // Every process of the run has the same deadline (--timeout); SIGINT/SIGTERM/SIGHUP end them all.
    dirs = await packageDirs(opts.targets, opts.cwd, opts.goCommand, { timeoutMs: opts.timeoutMs }, undefined, toolchainNotice, importPaths);
  } catch (e) {
    say((e as Error).message);
    return e instanceof ListError ? EXIT.buildFailed : e instanceof GoNotFoundError || e instanceof TimeoutError || e instanceof GoEnvironmentError ? EXIT.goFailed : EXIT.usage;
  }
  const batched = new Set<string>();
  const stopped = batching && await analyseTrees(opts, sources, results, dirs, importPaths, early, batched);
  // Early builds of roots that were not batched (one package, or inside another root).
  for (const b of early.values()) b.cancel();
  if (stopped) return undefined;
  const progress = new Progress(!opts.json && dirs.length > 1 && process.stderr.isTTY === true);
  for (const [i, dir] of dirs.entries()) {
    if (batched.has(dir)) continue;
    progress.show(`[${i + 1}/${dirs.length}] ${dir}`);
    try {
      const r = opts.bench === undefined ? await analyzePackage({
        dir, goCommand: opts.goCommand, mode: opts.tests ? 'test' : 'build', gcflags: opts.gcflags,
        buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs, sources, all: opts.all,
        onDownload: (n) => toolchainNotice(n, progress.on),
      }) : await measure(dir, opts, sources, measured);
      results.add(dir, r, progress.on);
    } catch (e) {
      progress.clear();
      if (goFailure(e, dir, [dir], results) === 'stop') break;
    }
  }
  progress.clear();
  return undefined;
}

/**
 * `DIR/...`: the one go command for the whole tree starts now, beside `go list` (which only says which
 * packages it will build); a root that turns out to hold one package cancels it.
 */
function startEarlyBuilds(opts: CliOptions): Map<string, StartedBuild> {
  const early = new Map<string, StartedBuild>();
  for (const root of treeRoots(opts)) {
    if (early.has(root) || !isDirectory(root)) continue;
    // What the analysis asks first, asked now: GOROOT, and the parser helper (its go env, its process).
    void gorootOf({ dir: root, goCommand: opts.goCommand, onDownload: (n) => toolchainNotice(n) });
    goParser({ goCommand: opts.goCommand }).parse('package p\n').catch(() => undefined);
    early.set(root, startPackagesBuild({
      root, pattern: './...', goCommand: opts.goCommand, gcflags: opts.gcflags, buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs,
      onDownload: (n) => toolchainNotice(n),
    }));
  }
  return early;
}

/** The dir of each `DIR/...` target, absolute. */
function treeRoots(opts: CliOptions): string[] {
  return opts.targets.map((t) => recursivePattern(t)).filter((r) => r !== undefined).map((r) => path.resolve(opts.cwd, r));
}

/**
 * Each `DIR/...` tree of several packages through one go command (see core/analysis/analyzePackages.ts),
 * its packages added to `batched`. True when the run must stop (go is missing, or the run was cancelled).
 */
async function analyseTrees(
  opts: CliOptions, sources: SourceCache, results: Results, dirs: readonly string[], importPaths: Map<string, string>,
  early: Map<string, StartedBuild>, batched: Set<string>,
): Promise<boolean> {
  const progress = new Progress(!opts.json && process.stderr.isTTY === true);
  for (const root of treeRoots(opts)) {
    const inRoot = dirs.filter((d) => d === root || d.startsWith(root + path.sep));
    if (inRoot.length < 2 || inRoot.some((d) => batched.has(d))) continue;
    progress.show(`compiling ${inRoot.length} packages in ${root} with one go command…`);
    const started = early.get(root);
    early.delete(root);
    try {
      const r = await analyzePackages({
        root, pattern: './...', dirs: inRoot, importPaths, goCommand: opts.goCommand, mode: 'build', gcflags: opts.gcflags,
        buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs, sources, all: opts.all, started,
        // Each package as its results arrive (the go command prints them as it compiles them).
        onPart: progress.on ? (part, done, total) => progress.show(`[${done}/${total}] ${part.dir}`) : undefined,
      });
      progress.clear();
      for (const part of r.parts) {
        batched.add(part.dir);
        results.add(part.dir, part);
      }
    } catch (e) {
      for (const d of inRoot) batched.add(d);
      if (goFailure(e, root, inRoot, results) === 'stop') return true;
    }
  }
  return false;
}

/** --bench: the same core call as the editor's lens; packages without benchmarks just have none. */
async function measure(dir: string, opts: CliOptions, sources: SourceCache, measured: Measured) {
  const m = await measurePackage({
    dir, goCommand: opts.goCommand, gcflags: opts.gcflags, buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs,
    sources, pattern: opts.bench, all: opts.all,
  }).catch((e: unknown) => {
    if (e instanceof BenchmarkError && /no test files/.test(e.message)) return undefined;
    throw e;
  });
  if (!m) return analyzePackage({ dir, goCommand: opts.goCommand, mode: 'test', gcflags: opts.gcflags, buildFlags: opts.buildFlags,
    timeoutMs: opts.timeoutMs, sources, all: opts.all });
  measured.measurements.push(...m.measurements);
  measured.failures.push(...m.failures);
  return m.analysis;
}

/**
 * A failure of the go command (not found, past its deadline, too much output, cancelled, a benchmark
 * that failed) for the packages `dirs` (named by `where`): reported, exit 4. Missing go or a
 * cancellation stops the run; anything else is rethrown.
 */
function goFailure(e: unknown, where: string, dirs: readonly string[], results: Results): 'stop' | 'next' {
  if (!(e instanceof GoNotFoundError || e instanceof TimeoutError || e instanceof OutputTooLargeError || e instanceof CancelledError
    || e instanceof BenchmarkError || e instanceof GoEnvironmentError)) throw e;
  say(`${where}: ${e.message}`);
  results.failed(dirs, e.message);
  return e instanceof GoNotFoundError || e instanceof CancelledError || e instanceof GoEnvironmentError ? 'stop' : 'next';
}
