// A saved compiler log (the CLI's `--input`) → findings, in one pass over the log: each line is read,
// inspected and parsed once, and each source file the log names is sent to the parser helper as soon as
// it is first named, so the helper parses the sources while the rest of the log is read.
import type { AnalysisResult, RawRecord } from '../model';
import type { AnalyzeOptions } from './analyze';
import { Analysis } from './recordAnalysis';
import { fullCollection } from './fullCollection';
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
 * findings instead of adding to it. For a big log, V8 is also asked for a full collection after the
 * first half of the records and at the end: the records are old-generation objects by then, and without it
 * the dropped ones stayed in memory beside the findings and the report being written (a 600k-line log:
 * 340–390 MB peak → about 280 MB, for 0.3–0.5 s more CPU: fewer collections keep more, e.g. only the
 * last one ~360 MB; V8's own --heap-growing-percent=10 gets ~270 MB for more CPU than these).
 */
export function analyzeParsedOnce(parsed: ParsedOutput, options: AnalyzeOptions, collectFrom = COLLECT_FROM): AnalysisResult {
  const a = new Analysis(parsed, options);
  const records = parsed.records;
  const n = records.length;
  const collect = n >= collectFrom ? fullCollection() : undefined;
  const every = Math.ceil(n / COLLECTIONS);
  for (let i = 0; i < n; i++) {
    a.add(records[i]);
    (records as (RawRecord | undefined)[])[i] = undefined;
    if (collect && i % every === every - 1 && i < n - 1) collect();
  }
  records.length = 0;
  const result = a.finish();
  collect?.();
  return result;
}

/** Records from which a log is big enough for collections to pay (~220k lines, ~30 MB of records). */
const COLLECT_FROM = 40_000;
/**
 * Parts of the analysis with a collection after each but the last (and one at the end): more keep less
 * garbage at a time, and each costs ~80–200 ms on a 600k-line log. Two: with the records' step
 * positions and the steps' points shared and the tree's links derived, a 600k-line log peaks at
 * ~275 MB, as four parts did before those (four now: ~265 MB for two more collections).
 */
const COLLECTIONS = 2;
