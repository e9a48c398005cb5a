// One analysis of one package directory (or of the packages a pattern names, in one go command): the
// compile runs while the parser helper parses the package's files; its output is then analysed
// (packageOutput.ts) — as it streams, when only a failure needs the text, or early, while the compiler's
// backend still runs (earlyAnalysis.ts).
import type { AnalysisResult } from '../model';
import { OutputParser } from '../parse/parse';
import { runGo, type RunOptions, type RunResult } from '../run/runGo';
import { compileFlags } from '../run/flags';
import { lazyProperty } from '../run/spawn';
import type { DownloadNotice } from '../run/downloads';
import * as fs from 'node:fs';
import { readFromDisk, type SourceCache } from '../locate/sourceCache';
import { PathResolver } from '../locate/resolvePath';
import { contractFlags, noheapFunctions, packageFiles } from '../contracts/packageContracts';
import { compiledAllocations } from '../compiled/compiledAllocations';
import { typedFacts } from '../typed/packageTypes';
import type { TypedFacts } from '../typed/typedFacts';
import type { CompiledAllocations } from '../model/allocations';
import { EarlyAnalysis, type Analysed } from './earlyAnalysis';
import { gorootOf, listPackages, type ListedPackage } from './goList';
import { analyzeOutput, analyzeParsedOutput, type AnalysisPhase, type OutputContext } from './packageOutput';
import { goFilesIn } from '../util/goFiles';

export type { AnalysisPhase } from './packageOutput';
export type { ListedPackage } from './goList';

export interface PackageAnalysis extends AnalysisResult {
  dir: string;
  /** The go command line, for logs. */
  args: string[];
  output: string;
  compileMs: number;
  analyzeMs: number;
  /** With `packages`: every package the patterns named (`go list`), so results can be reported per package. */
  packages?: ListedPackage[];
  /**
   * With `early`, when the compile's output came early (not on a build-cache replay): the early analysis
   * was the one kept (`used`), or the printed output differed and was analysed as printed (`redone`).
   */
  early?: 'used' | 'redone';
  /** What `prepare` made of the result. */
  prepared?: unknown;
}

export interface AnalyzePackageOptions extends RunOptions {
  sources: SourceCache;
  all?: boolean;
  /** Only findings in these files (absolute paths) are located and returned. */
  onlyFiles?: ReadonlySet<string>;
  /** With `packages`: the packages they name, when the caller has listed them already (no second `go list`). */
  listed?: ListedPackage[];
  /** Told when the analysis enters a phase (a server's progress report). */
  onPhase?: (phase: AnalysisPhase) => void;
  /** The go command already started with these options (its gcflags include the contract flags). */
  started?: Promise<RunResult>;
  /**
   * Analyse the compile's output while its backend still runs (core/run/earlyOutput.ts), when the build
   * allows it; the result is the same either way.
   */
  early?: boolean;
  /**
   * Run on the analysis before it is returned (`prepared`): with `early`, on the early analysis while the
   * backend still runs, so a caller's own work on the result (a server's presentation) is done by then too.
   */
  prepare?: (result: AnalysisResult, signal?: AbortSignal) => Promise<unknown>;
  /**
   * The caller reads `output` only when the build fails: without an early analysis, the output is then
   * parsed as the go command prints it and not kept (the biggest packages print tens of MB), where that
   * gives the same records. A successful build's `output` is empty; a failed one's holds its lines that
   * are not escape analysis.
   */
  outputOnFailure?: boolean;
}

export async function analyzePackage(options: AnalyzePackageOptions): Promise<PackageAnalysis> {
  // The go processes below run side by side, and more than one may start the same download: tell once.
  const told = new Set<string>();
  const onDownload = options.onDownload && ((n: DownloadNotice) => {
    if (told.has(n.kind + n.what)) return;
    told.add(n.kind + n.what);
    options.onDownload!(n);
  });
  const opts = { ...options, onDownload };
  // Contract directives are read before the run: gcassert:bce needs a compiler flag.
  const files = opts.packages?.length ? new Map<string, string>() : packageFiles(opts.dir, opts.mode === 'test', opts.overlay);
  const extra = contractFlags(files);
  opts.sources.useToolchain({ goCommand: opts.goCommand, env: opts.env });
  const read = (p: string) => opts.overlay?.get(p) ?? readFromDisk(p);
  const overlay = opts.overlay;
  // Unsaved buffers (an overlay) exist for the analysis as the files on disk do.
  const exists = overlay && overlay.size > 0 ? (p: string) => overlay.has(p) || fs.existsSync(p) : undefined;
  // The compile's output analysed while its backend runs (earlyAnalysis.ts), kept if go prints the same.
  // //escape:noheap reads the compiled code of this very build from the cache (compiledCode): a build through
  // the tee would be another cache entry, compiled twice.
  const noheap = opts.packages?.length ? undefined : noheapFunctions(files);
  const early = opts.early && !opts.started && !noheap ? await EarlyAnalysis.open(opts, files, extra, {
    named: () => opts.sources.preloadAsNamed(new PathResolver(opts.dir, exists), read),
    analyse: (parsed, named, text, signal) => analyzeParsedOutput(parsed, named, text, 0, context, signal, false).then((r) => withPrepared(r, opts, signal)),
  }) : undefined;
  // The output parsed as it comes, as if the build succeeds; if it fails, the lines kept for that are parsed
  // again with its exit code. Not with an overlay (its temp paths are replaced in the whole text), nor when
  // the text itself is read later: several packages (split by package), gcassert directives (matched
  // against the output), a caller's own onOutput, an early analysis (compared with the text).
  let streamed = !early && opts.outputOnFailure && !opts.started && !opts.onOutput && !exists && !opts.packages?.length
    && ![...files.values()].some((t) => t.includes('gcassert:'))
    ? new OutputParser({ exitCode: 0, heapOnly: !opts.all, keepForFailure: true }) : undefined;
  // Files the streamed output names go to the parser helper as the parser first reads them (see analyzeOutput).
  const named = streamed ? opts.sources.preloadAsNamed(new PathResolver(opts.dir, exists), read) : undefined;
  if (streamed) streamed.onPath = named!.onPath;
  opts.onPhase?.('compiling');
  let runOpts: RunOptions = extra.length ? { ...opts, gcflags: [...(opts.gcflags ?? []), ...extra] } : opts;
  // //escape:noheap reads the compiled code: the build names the export files it made (of a test build,
  // the reader asks the go command itself for the package's plain compile).
  if (noheap && opts.mode !== 'test' && !opts.started) runOpts = { ...runOpts, exports: true };
  if (early) runOpts = { ...runOpts, buildFlags: [...(runOpts.buildFlags ?? []), `-toolexec=${early.toolexec}`] };
  if (streamed) runOpts = { ...runOpts, onOutput: (chunk: string) => streamed!.write(chunk), onlyOnOutput: true };
  const running = opts.started ?? runGo(runOpts);
  // Asked while the compiler runs: where the analysed packages are and GOROOT.
  const listed = opts.packages?.length ? (opts.listed ? Promise.resolve(opts.listed) : listPackages(opts)) : Promise.resolve(undefined);
  const goroot = gorootOf(opts);
  // While the compiler runs, the parser helper (of the same toolchain) parses the package's sources:
  // locating the output then finds the trees ready. Its failures surface through the run (go missing)
  // or, at the latest, when a tree is needed. _test.go files only when the tests are compiled too (a
  // build's output never names them).
  const warm = opts.sources.preload(goFilesIn(opts.dir, { tests: opts.mode === 'test' }), read).catch(() => undefined);
  const context: OutputContext = { opts, files, warm, listed, goroot, read, exists, compiled: compiledCode(runOpts, noheap, running), typed: typedCode(opts) };
  let run: RunResult;
  try {
    run = await running;
  } finally {
    early?.close();
  }
  const t0 = performance.now();
  let result = early ? await early.take(run, opts.signal) : undefined;
  let output: string | undefined;
  if (streamed && run.exitCode === 0) {
    opts.onPhase?.('reading output');
    const parsed = streamed.end();
    // The parser's indexes hold every record: let go of it, so that the analysis frees each record it is done with.
    streamed = undefined;
    output = '';
    result = await withPrepared(await analyzeParsedOutput(parsed, named!, output, 0, context, opts.signal, true), opts, opts.signal);
  } else if (streamed) {
    output = streamed.keptText();
    streamed = undefined;
  }
  if (!result) {
    output ??= run.output;
    result = await withPrepared(await analyzeOutput(output, run.exitCode, context, opts.signal), opts, opts.signal);
  }
  const out: PackageAnalysis = { ...result.result, dir: opts.dir, args: run.args, output: output ?? '', compileMs: run.durationMs, analyzeMs: performance.now() - t0 };
  // The early analysis was kept without decoding what go printed: decoded if someone reads it.
  if (output === undefined) lazyProperty(out, 'output', () => run.output);
  if (opts.prepare) out.prepared = result.prepared;
  if (early?.outcome) out.early = early.outcome;
  const packages = await listed;
  if (packages) out.packages = packages;
  return out;
}

async function withPrepared(result: AnalysisResult, opts: AnalyzePackageOptions, signal: AbortSignal | undefined): Promise<Analysed> {
  return opts.prepare ? { result, prepared: await opts.prepare(result, signal) } : { result };
}

/**
 * The package's types, checked while the compiler runs (one package; a pattern's packages use the syntax
 * facts). A package that does not type-check still answers for the rest; one that cannot be checked at all
 * leaves the classifier to the syntax.
 */
function typedCode(opts: AnalyzePackageOptions): Promise<TypedFacts | undefined> {
  if (opts.packages?.length) return Promise.resolve(undefined);
  return typedFacts(opts.dir, {
    toolchain: { goCommand: opts.goCommand, env: opts.env }, buildFlags: opts.buildFlags, tests: opts.mode === 'test',
    overlay: opts.overlay, signal: opts.signal, timeoutMs: opts.timeoutMs, onDownload: opts.onDownload,
  }).catch(() => undefined);
}

/** The allocations //escape:noheap reads (core/compiled); without one, nothing is run. A failure falls back to the findings. */
async function compiledCode(opts: RunOptions, wanted: ReturnType<typeof noheapFunctions>, build: Promise<RunResult>): Promise<CompiledAllocations | undefined> {
  if (!wanted) return undefined;
  // Once the build is done, with its own flags (escape flags included: they do not change the code), so
  // its compile is read back from the cache rather than compiled a second time beside it.
  const built = await build.catch(() => undefined);
  if (built?.exitCode !== 0) return undefined;
  const flags = compileFlags(opts);
  const buildFlags = [...flags.gcflags, ...flags.build];
  return compiledAllocations({ dir: opts.dir, goCommand: opts.goCommand, env: opts.env, buildFlags, overlay: opts.overlay, signal: opts.signal,
    timeoutMs: opts.timeoutMs, exports: built.exports, ...wanted }).catch(() => undefined);
}
