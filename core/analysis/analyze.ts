// Compiler output → located, classified findings: the one pipeline the CLI, the language server and the
// quick-fix verifier share. It reads the sources the output names through the source cache (unsaved
// buffers first, then the disk); the work itself is recordAnalysis.ts, run at once or in time slices.
import type { AnalysisResult, RawRecord } from '../model';
import { parseOutput, type ParsedOutput } from '../parse/parse';
import type { ReadFile, SourceCache } from '../locate/sourceCache';
import { runInSlices, TimeSlice } from '../util/steps';
import type { Platform } from '../platform';
import { Analysis } from './recordAnalysis';

export interface AnalyzeOptions {
  /** The directory the go command ran in: relative paths are resolved against it. */
  cwd: string;
  exitCode?: number;
  /** Keep non-escaping, inlining and other informational lines (default: heap escapes and leaks only). */
  all?: boolean;
  sources: SourceCache;
  /** Reads a file's current text: unsaved editor buffers first, then the disk. */
  readFile?: ReadFile;
  exists?: (absPath: string) => boolean;
  /** Locate and classify only findings in these files (the editor's open files); others are skipped. */
  onlyFiles?: ReadonlySet<string>;
  /**
   * The directories of the analysed packages. Findings in files elsewhere — generic code of GOROOT or of
   * another module instantiated here (`slices/slices.go`, `internal/sync/hashtriemap.go`) — are counted
   * in `foreign` and skipped: they are not the user's code and nothing there can be edited.
   */
  packageDirs?: readonly string[];
  /** Path semantics of the system the compiler ran on (default: this one). */
  platform?: Platform;
  /** GOROOT of the go command, to look up standard-library types (is `context.backgroundCtx` zero-size?). */
  goroot?: string;
  /**
   * With several packages in one output: the directory of each package (by import path). The go command
   * prints each package's paths relative to that package's directory (`./a.go` under `# example.com/m/sub`).
   */
  packageDirOf?: ReadonlyMap<string, string>;
}

export function analyzeOutput(output: string, options: AnalyzeOptions): AnalysisResult {
  const parsed = parseOutput(output, { exitCode: options.exitCode, heapOnly: !options.all });
  return analyzeParsed(parsed, options);
}

export function analyzeParsed(parsed: ParsedOutput, options: AnalyzeOptions): AnalysisResult {
  const a = new Analysis(parsed, options);
  for (const rec of parsed.records) a.add(rec);
  return a.finish();
}

export interface AsyncAnalyzeOptions extends AnalyzeOptions {
  /** Cancels between slices of work: the promise rejects with CancelledError. */
  signal?: AbortSignal;
  /** Longest stretch of work before yielding to the event loop (default 5 ms), so a server stays responsive. */
  sliceMs?: number;
  /**
   * The caller is done with `parsed`: each record is let go as soon as it is analysed, so a language
   * server's peak holds the findings or the records, not both.
   */
  release?: boolean;
}

/**
 * The same analysis in slices: it yields to the event loop every `sliceMs`, so a language server answers
 * hovers while a big output is being analysed, and a newer request's cancellation takes effect within
 * one slice.
 */
export async function analyzeParsedAsync(parsed: ParsedOutput, options: AsyncAnalyzeOptions): Promise<AnalysisResult> {
  const sliceMs = options.sliceMs ?? 5;
  const slice = new TimeSlice(sliceMs, options.signal);
  const a = new Analysis(parsed, options);
  const records = parsed.records;
  for (let i = 0; i < records.length; i++) {
    a.add(records[i]);
    if (options.release) (records as (RawRecord | undefined)[])[i] = undefined;
    if (slice.due()) await slice.pause();
  }
  if (options.release) records.length = 0;
  // Merging duplicates and the final sort are long on big outputs: in slices too.
  return runInSlices(a.finishSteps(true), sliceMs, options.signal);
}
