// The go command's output of one package analysis → findings and contracts: parsed in time slices, the
// files it names handed to the parser helper as they are read, located, and checked against the
// package's contract directives. A build that failed for a reason the parser does not know is never silent.
import type { CompiledAllocations } from '../model/allocations';
import type { TypedFacts } from '../typed/typedFacts';
import type { AnalysisResult } from '../model';
import { analyzeParsedAsync } from './analyze';
import type { NamedPreload } from './earlyAnalysis';
import type { ListedPackage } from './goList';
import type { RunOptions } from '../run/runGo';
import { OutputParser, type ParsedOutput, type ParseOptions } from '../parse/parse';
import { isProgressLine } from '../parse/inspectLog';
import { readFromDisk, type SourceCache } from '../locate/sourceCache';
import { PathResolver } from '../locate/resolvePath';
import { packageContracts } from '../contracts/packageContracts';
import { CancelledError } from '../util/cancel';
import { goFilesIn } from '../util/goFiles';
import { TimeSlice } from '../util/steps';

export type AnalysisPhase = 'compiling' | 'reading output' | 'locating';

/** What the analysis of an output reads of the package analysis' options. */
export interface OutputOptions extends Pick<RunOptions, 'dir' | 'mode' | 'overlay' | 'packages'> {
  sources: SourceCache;
  all?: boolean;
  onlyFiles?: ReadonlySet<string>;
  onPhase?: (phase: AnalysisPhase) => void;
}

/** What the analysis of an output needs from the run: started beside the compile. */
export interface OutputContext {
  opts: OutputOptions;
  files: Map<string, string>;
  warm: Promise<unknown>;
  listed: Promise<ListedPackage[] | undefined>;
  goroot: Promise<string | undefined>;
  read: (p: string) => string | undefined;
  exists: ((p: string) => boolean) | undefined;
  /** The compiled code's allocations, read beside the compile only when //escape:noheap is in the package. */
  compiled?: Promise<CompiledAllocations | undefined>;
  /** The package's typed facts, checked beside the compile (one package only). */
  typed?: Promise<TypedFacts | undefined>;
}

/** The go command's output → findings and contracts. */
export async function analyzeOutput(output: string, exitCode: number, c: OutputContext, signal: AbortSignal | undefined): Promise<AnalysisResult> {
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
export async function analyzeParsedOutput(parsed: ParsedOutput, named: NamedPreload, output: string | (() => string), exitCode: number, c: OutputContext,
  signal: AbortSignal | undefined, tell: boolean): Promise<AnalysisResult> {
  const { opts, read } = c;
  const overlay = opts.overlay;
  await c.warm;
  await named.settled(); // a failure surfaces when a tree is needed, as for the package's own files
  const [packages, gorootDir, typed] = await Promise.all([c.listed, c.goroot, c.typed]);
  if (signal?.aborted) throw new CancelledError();
  // Several packages: the classifier asks about every file of each (package-level variables), in one batch.
  if (packages && packages.length > 1) {
    const files = packages.flatMap((p) => goFilesIn(p.dir, { tests: opts.mode === 'test' }));
    await opts.sources.preload(files, read).catch(() => undefined);
  }
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
    typed,
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

/** The output parsed in pieces, yielding between them (a server keeps answering meanwhile). */
async function parseInSlices(output: string, options: ParseOptions, signal?: AbortSignal, onPath?: (printed: string) => void): Promise<ParsedOutput> {
  const parser = new OutputParser(options);
  parser.onPath = onPath;
  const piece = 16 * 1024;
  const slice = new TimeSlice(SLICE_MS, signal);
  for (let i = 0; i < output.length; i += piece) {
    parser.write(output.slice(i, i + piece));
    if (i + piece < output.length && slice.due()) await slice.pause();
  }
  return parser.end();
}

/** Longest stretch of parsing before a pause. */
const SLICE_MS = 5;
