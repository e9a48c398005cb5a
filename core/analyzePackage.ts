// One analysis of one package directory: run the compiler, then the pure pipeline on its output.
import type { AnalysisResult } from './model';
import { analyzeParsedAsync } from './analyze';
import { OutputParser, type ParsedOutput, type ParseOptions } from './parse/parse';
import { CancelledError } from './run/runGo';
import { runGo, type RunOptions, type RunResult } from './run/runGo';
import { spawnTracked } from './run/spawn';
import { watchDownloads, type DownloadNotice } from './run/downloads';
import { moduleRoot } from './run/module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFromDisk, type SourceCache } from './locate/sourceCache';
import { PathResolver } from './locate/resolvePath';
import { isProgressLine } from './parse/inspectLog';
import { contractFlags, packageContracts, packageFiles } from './contracts/packageContracts';
import { openEarlyOutput, type EarlyOutput } from './run/earlyOutput';
import { goLineRewriter } from './run/goPrints';
import { EarlyParse } from './parse/earlyParse';

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
  const early = opts.early && !opts.started && earlyApplies(opts, files, extra, goFlagsKnown(opts)) ? await openEarly(opts) : undefined;
  opts.onPhase?.('compiling');
  let runOpts: RunOptions = extra.length ? { ...opts, gcflags: [...(opts.gcflags ?? []), ...extra] } : opts;
  if (early) runOpts = { ...runOpts, buildFlags: [...(runOpts.buildFlags ?? []), `-toolexec=${early.toolexec}`] };
  const running = opts.started ?? runGo(runOpts);
  // Asked while the compiler runs: where the analysed packages are (findings elsewhere are foreign
  // generic code) and GOROOT (to look up standard-library types).
  const listed = opts.packages?.length ? (opts.listed ? Promise.resolve(opts.listed) : listPackages(opts)) : Promise.resolve(undefined);
  const goroot = gorootOf(opts);
  // While the compiler runs, the parser helper (of the same toolchain) parses the package's sources:
  // locating the output then finds the trees ready. Its failures surface through the run (go missing)
  // or, at the latest, when a tree is needed.
  const read = (p: string) => opts.overlay?.get(p) ?? readFromDisk(p);
  const warm = opts.sources.preload(goFilesIn(opts.dir, opts.mode === 'test'), read).catch(() => undefined);
  const overlay = opts.overlay;
  // Unsaved buffers (an overlay) exist for the analysis as the files on disk do.
  const exists = overlay && overlay.size > 0 ? (p: string) => overlay.has(p) || fs.existsSync(p) : undefined;
  const context: OutputContext = { opts, files, warm, listed, goroot, read, exists };
  // The compile's early output, parsed as the frontend prints it and analysed once it stops while the
  // backend runs: the analysis is kept if the go command then prints exactly that text.
  let speculation: { matches: Promise<(output: string) => boolean>; controller: AbortController; result: Promise<Analysed> } | undefined;
  const drop = (): void => { speculation?.controller.abort(); speculation = undefined; };
  let speculated = false;
  let feed: EarlyParse | undefined;
  if (early) {
    const named = opts.sources.preloadAsNamed(new PathResolver(opts.dir, exists), read);
    const parse = feed = new EarlyParse(() => {
      const parser = new OutputParser({ exitCode: 0, heapOnly: !opts.all });
      parser.onPath = named.onPath;
      return parser;
    });
    let ended = false;
    early.onLines = (block) => parse.add(block);
    early.onQuiet = () => {
      drop();
      speculated = true;
      ended = true;
      const controller = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
      const ready = parse.end();
      const result = ready.then(({ text, parsed }) => analyzeParsedOutput(parsed, named, text, 0, context, signal, false))
        .then((r) => withPrepared(r, opts, signal));
      const s = { matches: ready.then((r) => r.matches), controller, result };
      s.matches.catch(() => undefined);
      s.result.catch(() => undefined);
      speculation = s;
    };
    early.onMore = () => {
      drop();
      if (ended) { ended = false; parse.restart(); }
    };
  }
  let run: RunResult;
  try {
    run = await running;
  } finally {
    early?.close();
  }
  const t0 = performance.now();
  let result: Analysed | undefined;
  let earlyUsed = false;
  if (speculation && run.exitCode === 0) {
    try {
      // The text first (ready at once): an analysis of another text is not waited for.
      if ((await speculation.matches)(run.output)) { result = await speculation.result; earlyUsed = true; }
    } catch (e) {
      if (opts.signal?.aborted) throw e;
    }
  }
  drop();
  // The early text and its parser are not needed past this point (a finding's strings never point into them).
  if (early) { early.onLines = early.onQuiet = early.onMore = undefined; }
  feed?.dispose();
  feed = undefined;
  result ??= await withPrepared(await analyzeOutput(run.output, run.exitCode, context, opts.signal), opts, opts.signal);
  const out: PackageAnalysis = { ...result.result, dir: opts.dir, args: run.args, output: run.output, compileMs: run.durationMs, analyzeMs: performance.now() - t0 };
  if (opts.prepare) out.prepared = result.prepared;
  if (speculated) out.early = earlyUsed ? 'used' : 'redone';
  const packages = await listed;
  if (packages) out.packages = packages;
  return out;
}

interface Analysed { result: AnalysisResult; prepared?: unknown }

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
}

type NamedPreload = ReturnType<SourceCache['preloadAsNamed']>;

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
  const contracts = packageContracts(c.files, result, output, opts.dir);
  if (contracts) result.contracts = contracts;
  return result;
}

/** How long the early output must stop growing before it is analysed (the backend prints nothing). */
const EARLY_QUIET_MS = 50;

/**
 * Below this much source the compile is over in a few hundred milliseconds and its analysis in a few
 * tens: the tee's two extra processes would cost about what the early analysis saves.
 */
const EARLY_MIN_SOURCE = 64_000;

/**
 * Above this much source the early copy (two bytes per character of output, held until go prints its own)
 * would count against the server's memory on the biggest packages (a 2.3 MB package prints 51 MB), where
 * the analysis after go exits is a small part of a compile of many seconds anyway.
 */
const EARLY_MAX_SOURCE = 1_000_000;

/**
 * The early copy serves one package of some size (not the biggest) built (not tested) as it is on disk, with the helper
 * already built, and no -toolexec of the user's: test builds compile several variants, an overlay's temp
 * names are replaced in the printed output only, and `gcassert:bce` contracts print during the backend.
 */
function earlyApplies(opts: AnalyzePackageOptions, files: Map<string, string>, extra: string[], goflags: string | undefined): boolean {
  // The go env file's GOFLAGS (`go env -w`) too: a -toolexec of the user's must never be replaced by ours.
  if (goflags === undefined) return false;
  if (opts.packages?.length || opts.mode === 'test' || (opts.overlay && opts.overlay.size > 0) || extra.length > 0) return false;
  let size = 0;
  for (const text of files.values()) size += text.length;
  if (size < EARLY_MIN_SOURCE || size > EARLY_MAX_SOURCE) return false;
  const userFlags = [...(opts.buildFlags ?? []), goflags];
  return !userFlags.some((f) => /(^|\s)--?toolexec\b/.test(f));
}

async function openEarly(opts: AnalyzePackageOptions): Promise<EarlyOutput | undefined> {
  const helper = opts.sources.helperBinary();
  if (!helper) return undefined;
  // The go command names the directory as getcwd() does: the real path, symbolic links resolved.
  let dir: string;
  try { dir = fs.realpathSync(opts.dir); } catch { return undefined; }
  return openEarlyOutput(helper, EARLY_QUIET_MS, goLineRewriter(dir)).catch(() => undefined);
}

const GOROOTS = new Map<string, Promise<string | undefined>>();

/** `go env GOROOT` of the go command, asked once per command. */
export function gorootOf(opts: RunOptions): Promise<string | undefined> {
  // Per module too: a go.mod `toolchain` line (GOTOOLCHAIN=auto) selects another Go, with its own GOROOT.
  const key = `${opts.goCommand ?? 'go'}\0${JSON.stringify(opts.env ?? {})}\0${moduleRoot(opts.dir) ?? opts.dir}`;
  let p = GOROOTS.get(key);
  if (!p) {
    // Running beside the build, this go may be the one that downloads the toolchain go.mod asks for.
    p = spawnTracked(opts.goCommand || 'go', ['env', 'GOROOT'], {
      cwd: opts.dir, env: opts.env, timeoutMs: 30_000, onStderr: opts.onDownload && ((s) => watchDownloads(s, opts.onDownload!)),
    }).then((r) => (r.exitCode === 0 ? r.stdout.trim() || undefined : undefined), () => undefined);
    GOROOTS.set(key, p);
  }
  return p;
}

const GOFLAGS = new Map<string, { value?: string }>();

/**
 * `go env GOFLAGS` of the go command (the environment's, else the go env file's), once it is known: asked
 * in the background the first time, undefined until it has answered.
 */
function goFlagsKnown(opts: RunOptions): string | undefined {
  // The environment's or the user's go env file: the same for every module.
  const key = `${opts.goCommand ?? 'go'}\0${JSON.stringify(opts.env ?? {})}`;
  let entry = GOFLAGS.get(key);
  if (!entry) {
    const e: { value?: string } = {};
    GOFLAGS.set(key, entry = e);
    void spawnTracked(opts.goCommand || 'go', ['env', 'GOFLAGS'], { cwd: opts.dir, env: opts.env, timeoutMs: 30_000 })
      .then((r) => { if (r.exitCode === 0) e.value = r.stdout.trim(); }, () => undefined);
  }
  return entry.value;
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
