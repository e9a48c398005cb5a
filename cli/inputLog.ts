// --input: a saved compiler log (a file, or standard input) analysed instead of running go, with the
// contracts of the packages it covers checked as a live run checks them.
import { analyzeLog, LogReadError, type LogAnalysis } from '../core/analysis/analyzeLog';
import { LogContracts, logContracts } from '../core/contracts/logContracts';
import type { SourceCache } from '../core/locate/sourceCache';
import type { CliOptions } from './args';
import { EXIT } from './exitCodes';
import { say } from './notices';
import type { ExitCode, Results } from './results';

/** Adds the log's results; returns an exit status when the log cannot be analysed at all. */
export async function analyseInputLog(input: string, opts: CliOptions, sources: SourceCache, results: Results): Promise<ExitCode | undefined> {
  // Read in chunks, inspected and parsed in one pass while the parser helper parses the sources it names.
  let log: LogAnalysis;
  const logDirectives = new LogContracts(opts.cwd);
  try {
    log = await analyzeLog(input === '-' ? 0 : input, { cwd: opts.cwd, all: opts.all, sources }, (t) => logDirectives.write(t));
  } catch (e) {
    if (e instanceof LogReadError) {
      say(`cannot read ${input}: ${e.message}`);
      return EXIT.usage;
    }
    say((e as Error).message);
    return EXIT.goFailed;
  }
  if (!log.result) {
    say(`${input === '-' ? 'standard input' : input}: ${log.verdict.kind === 'empty'
      ? 'the log is empty (the go command prints escape analysis on stderr: capture it with 2>)'
      : 'not compiler output (no line is a compiler position in a .go file, escape analysis, or a go-command line)'}`);
    return EXIT.usage;
  }
  const r = log.result;
  results.add(opts.cwd, r);
  // The contracts of the packages the log covers, each on its own section, as a live run checks them.
  logDirectives.end();
  results.contracts.push(...await logContracts(logDirectives, r, { goCommand: opts.goCommand, timeoutMs: opts.timeoutMs }));
  return undefined;
}
