// One analysis of one package directory: run the compiler, then the pure pipeline on its output.
import type { AnalysisResult } from '../model';
import { analyzeParsedAsync } from './analyze';
import { OutputParser, type ParsedOutput, type ParseOptions } from '../parse/parse';
import { CancelledError } from '../run/runGo';
import { runGo, type RunOptions, type RunResult } from '../run/runGo';
import { lazyProperty, spawnTracked } from '../run/spawn';
import { watchDownloads, type DownloadNotice } from '../run/downloads';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFromDisk, type SourceCache } from '../locate/sourceCache';
import { PathResolver } from '../locate/resolvePath';
import { isProgressLine } from '../parse/inspectLog';
import { contractFlags, noheapFunctions, packageContracts, packageFiles } from '../contracts/packageContracts';
import { compiledAllocations } from '../compiled/compiledAllocations';
import type { CompiledAllocations } from '../model/allocations';
import { EarlyAnalysis, type Analysed } from './earlyAnalysis';
import { noLinkFlag } from '../run/noLink';
import { goEnvOnce } from '../run/goEnv';

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

export interface ListedPackage { importPath: string; dir: string }

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
   * parsed as the go command prints it and not kept (a 600k-line package prints 51 MB), where that gives
   * the same records. A successful build's `output` is empty; a failed one's holds its lines that are not
   * escape analysis.
   */
  outputOnFailure?: boolean;
}

export type AnalysisPhase = 'compiling' | 'reading output' | 'locating';

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
  // The compile's output analysed while its backend runs (core/earlyAnalysis.ts), kept if go prints the same.
  const early = opts.early && !opts.started ? await EarlyAnalysis.open(opts, files, extra, {
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
  // The tee skips linking too; without it, a command or a test binary is not linked either (core/run/noLink.ts).
  const toolexec = early ? `-toolexec=${early.toolexec}` : !opts.started && !opts.packages?.length && links(files, opts.mode)
    ? await noLinkFlag(opts, () => opts.sources.helperReady(), NO_LINK_WAIT_MS, opts.signal) : undefined;
  if (toolexec) runOpts = { ...runOpts, buildFlags: [...(runOpts.buildFlags ?? []), toolexec] };
  if (streamed) runOpts = { ...runOpts, onOutput: (chunk: string) => streamed!.write(chunk), onlyOnOutput: true };
  const running = opts.started ?? runGo(runOpts);
  // Asked while the compiler runs: where the analysed packages are (findings elsewhere are foreign
  // generic code) and GOROOT (to look up standard-library types).
  const listed = opts.packages?.length ? (opts.listed ? Promise.resolve(opts.listed) : listPackages(opts)) : Promise.resolve(undefined);
  const goroot = gorootOf(opts);
  // While the compiler runs, the parser helper (of the same toolchain) parses the package's sources:
  // locating the output then finds the trees ready. Its failures surface through the run (go missing)
  // or, at the latest, when a tree is needed.
  const warm = opts.sources.preload(goFilesIn(opts.dir, opts.mode === 'test'), read).catch(() => undefined);
  const context: OutputContext = { opts, files, warm, listed, goroot, read, exists, compiled: compiledCode(opts, files) };
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

/** What the analysis of an output needs from the run: started beside the compile. */
interface OutputContext {
  opts: AnalyzePackageOptions;
  files: Map<string, string>;
  warm: Promise<unknown>;
  listed: Promise<ListedPackage[] | undefined>;
  goroot: Promise<string | undefined>;
  read: (p: string) => string | undefined;
  exists: ((p: string) => boolean) | undefined;
  /** The compiled code's allocations, read beside the compile only when //escape:noheap is in the package. */
  compiled: Promise<CompiledAllocations | undefined>;
}

export type NamedPreload = ReturnType<SourceCache['preloadAsNamed']>;

/** The go command's output → findings and contracts. */
async function analyzeOutput(output: string, exitCode: number, c: OutputContext, signal: AbortSignal | undefined): Promise<AnalysisResult> {
  const { opts, read } = c;
  opts.onPhase?.('reading output');
  // Files of other packages the output names (flows, inlined code) go to the parser helper as the parser
  // first reads their names, so the helper parses them while the rest of the output is read (no second
  // scan of the output for paths).
  const named = opts.sources.preloadAsNamed(new PathResolver(opts.dir, c.exists), read);
  const parsed = await parseInSlices(output, { exitCode, heapOnly: !opts.all }, signal, named.onPath);
  return analyzeParsedOutput(parsed, named, output, exitCode, c, signal, true);
}

/** Does the build link: a test binary, or a command (a file of the package says `package main`)? */
function links(files: ReadonlyMap<string, string>, mode: AnalyzePackageOptions['mode']): boolean {
  if (mode === 'test') return true;
  for (const text of files.values()) if (PACKAGE_MAIN.test(text)) return true;
  return false;
}

const PACKAGE_MAIN = /^package\s+main\b/m;

/** How long a build that links waits to learn whether it can skip that (go env answers in ~10 ms). */
const NO_LINK_WAIT_MS = 5000;

/** The parsed output → findings and contracts (phases told only when `tell`: not for an early copy). */
async function analyzeParsedOutput(parsed: ParsedOutput, named: NamedPreload, output: string | (() => string), exitCode: number, c: OutputContext,
  signal: AbortSignal | undefined, tell: boolean): Promise<AnalysisResult> {
  const { opts, read } = c;
  const overlay = opts.overlay;
  await c.warm;
  await named.settled(); // a failure surfaces when a tree is needed, as for the package's own files
  const [packages, gorootDir] = await Promise.all([c.listed, c.goroot]);
  if (signal?.aborted) throw new CancelledError();
  // Several packages: the classifier asks about every file of each (package-level variables), in one batch.
  if (packages && packages.length > 1) await opts.sources.preload(packages.flatMap((p) => goFilesIn(p.dir, opts.mode === 'test')), read).catch(() => undefined);
  const packageDirList = opts.packages?.length ? packages?.map((p) => p.dir) : [opts.dir];
  if (tell) opts.onPhase?.('locating');
  // In slices: a server keeps answering hovers meanwhile, and a newer request cancels within one slice.
  const result = await analyzeParsedAsync(parsed, {
    release: true,
    signal,
    cwd: opts.dir,
    exitCode,
    all: opts.all,
    sources: opts.sources,
    onlyFiles: opts.onlyFiles,
    packageDirs: packageDirList,
    packageDirOf: packages ? new Map(packages.map((p) => [p.importPath, p.dir])) : undefined,
    goroot: gorootDir,
    readFile: overlay && overlay.size > 0 ? (p) => overlay.get(p) ?? readFromDisk(p) : undefined,
    exists: c.exists,
  });
  if (exitCode !== 0 && result.errors.length === 0) {
    // A failure the parser did not recognise as a compile error (a go-command problem): never silent.
    const lines = (typeof output === 'string' ? output : output()).trim().split('\n').filter((l) => !isProgressLine(l));
    result.errors.push({ message: lines.slice(0, 5).join('\n') || `go exited with status ${exitCode}` });
    result.findings = [];
  }
  const contracts = packageContracts(c.files, result, output, opts.dir, undefined, await c.compiled);
  if (contracts) result.contracts = contracts;
  return result;
}

/** The allocations //escape:noheap reads (core/compiled); without one, nothing is run. A failure falls back to the findings. */
function compiledCode(opts: AnalyzePackageOptions, files: ReadonlyMap<string, string>): Promise<CompiledAllocations | undefined> {
  const wanted = opts.packages?.length ? undefined : noheapFunctions(files);
  if (!wanted) return Promise.resolve(undefined);
  const buildFlags = [...(opts.buildFlags ?? []), ...(opts.gcflags?.length ? [`-gcflags=${opts.gcflags.join(' ')}`] : [])];
  return compiledAllocations({ dir: opts.dir, goCommand: opts.goCommand, env: opts.env, buildFlags, overlay: opts.overlay, signal: opts.signal, timeoutMs: opts.timeoutMs, ...wanted })
    .catch(() => undefined);
}

/** `go env GOROOT` of the go command: per module too, as a go.mod `toolchain` line (GOTOOLCHAIN=auto) selects another Go. */
export function gorootOf(opts: RunOptions): Promise<string | undefined> {
  return goEnvOnce(opts, 'GOROOT', true).answer.then((v) => v || undefined);
}

/** The directories of the named packages (`go list`), or undefined when that fails. */
async function listPackages(opts: RunOptions): Promise<ListedPackage[] | undefined> {
  const r = await spawnTracked(opts.goCommand || 'go', ['list', '-e', '-f', '{{.ImportPath}}\t{{.Dir}}', ...(opts.buildFlags ?? []).filter((f) => /^-?-tags(=|$)/.test(f)), ...opts.packages!], {
    cwd: opts.dir, env: opts.env, timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal, what: 'go list',
    onStderr: opts.onDownload && ((s) => watchDownloads(s, opts.onDownload!)),
  }).catch(() => undefined);
  if (!r || r.exitCode !== 0) return undefined;
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const tab = l.indexOf('\t');
    return { importPath: l.slice(0, tab), dir: l.slice(tab + 1) };
  });
}

/**
 * The .go files of the directory (the parser reads them while the compiler runs); _test.go files only
 * when the tests are compiled too (a build's output never names them, and the classifier reads a
 * package's other files only).
 */
export function goFilesIn(dir: string, tests = true): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.go') && (tests || !f.endsWith('_test.go'))).map((f) => path.join(dir, f));
  } catch {
    return []; // runGo reports it
  }
}

/** The output parsed in pieces of 16 kB, yielding every 5 ms (a server keeps answering meanwhile). */
async function parseInSlices(output: string, options: ParseOptions, signal?: AbortSignal, onPath?: (printed: string) => void): Promise<ParsedOutput> {
  const parser = new OutputParser(options);
  parser.onPath = onPath;
  const piece = 16 * 1024;
  let since = performance.now();
  for (let i = 0; i < output.length; i += piece) {
    parser.write(output.slice(i, i + piece));
    if (i + piece < output.length && performance.now() - since > 5) {
      await new Promise<void>((r) => setImmediate(r));
      if (signal?.aborted) throw new CancelledError();
      since = performance.now();
    }
  }
  return parser.end();
}
