// Compiler output → located, classified findings: the one pipeline the CLI, the language server and the
// quick-fix verifier share. It reads the sources the output names through the source cache (unsaved
// buffers first, then the disk); the work itself is recordAnalysis.ts, run at once or in time slices.
import type { AnalysisResult, RawRecord } from '../model';
import { parseOutput, type ParsedOutput } from '../parse/parse';
import { runInSlices, TimeSlice } from '../util/steps';
import { Analysis, type AnalyzeOptions } from './recordAnalysis';

export type { AnalyzeOptions } from './recordAnalysis';

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
