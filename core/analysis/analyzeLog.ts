// A saved compiler log (the CLI's `--input`) → findings, in one pass over the log: each line is read,
// inspected and parsed once, and each source file the log names is sent to the parser helper as soon as
// it is first named, so the helper parses the sources while the rest of the log is read.
import type { AnalysisResult, RawRecord } from '../model';
import type { AnalyzeOptions } from './analyze';
import { Analysis } from './recordAnalysis';
import type { ParsedOutput } from '../parse/parse';
import { readLog } from '../parse/readLog';
import type { LogVerdict } from '../parse/inspectLog';
import { packageDirsIn } from '../run/module';
import { PathResolver } from '../locate/resolvePath';
import { readFromDisk } from '../locate/sourceCache';

export interface LogAnalysis {
  verdict: LogVerdict;
  /** Absent when the log is not compiler output (`verdict.kind` is `empty` or `foreign`). */
  result?: AnalysisResult;
}

/** Reading the log failed (it cannot be opened or read): a usage error, not a failed analysis. */
export class LogReadError extends Error {}

/**
 * `source`: a path or a file descriptor (0: standard input). `onText` sees the log's text as it is read
 * (LogContracts keeps what the contracts need). Throws LogReadError when the log cannot be
 * read, and whatever the parser helper throws (go not found, the helper does not build).
 */
export async function analyzeLog(source: string | number, options: Omit<AnalyzeOptions, 'exitCode'>, onText?: (text: string) => void): Promise<LogAnalysis> {
  const named = options.sources.preloadAsNamed(new PathResolver(options.cwd, options.exists, options.platform), options.readFile ?? readFromDisk);
  let log;
  try {
    log = await readLog(source, { heapOnly: !options.all, onPath: named.onPath, onText });
  } catch (e) {
    await named.settled();
    throw new LogReadError((e as Error).message);
  }
  const failure = await named.settled();
  if (log.verdict.kind !== 'compiler') return { verdict: log.verdict };
  if (failure) throw failure.error;
  const exitCode = log.verdict.failed ? 1 : 0;
  // Each `# pkg` section's paths are relative to where go ran, except a cache replay's: relative to where
  // that package was first compiled (`./q.go` from q's directory in a log made at the module root). The
  // headers say which package, the module where it is (as a live DIR/... run knows from go list).
  const packageDirOf = options.packageDirOf ?? packageDirsIn(options.cwd, log.parsed.packages);
  const result = analyzeParsedOnce(log.parsed, { ...options, exitCode, packageDirOf });
  // A failed build's log: its errors are the answer, as for a package that does not build.
  if (log.verdict.failed && result.errors.length === 0) result.errors.push({ message: 'the log shows a build that failed' });
  return { verdict: log.verdict, result };
}

/**
 * analyzeParsed for a caller done with `parsed` (a saved log read once): each record is let go as soon
 * as it is analysed and `parsed.records` is left empty, so the memory of the records is reused for the
 * findings instead of adding to it.
 */
export function analyzeParsedOnce(parsed: ParsedOutput, options: AnalyzeOptions): AnalysisResult {
  const a = new Analysis(parsed, options);
  const records = parsed.records;
  for (let i = 0; i < records.length; i++) {
    a.add(records[i]);
    (records as (RawRecord | undefined)[])[i] = undefined;
  }
  records.length = 0;
  return a.finish();
}
