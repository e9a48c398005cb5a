// go-escape-lens: the terminal and CI face of the analysis core. The run in order: options, the analysis
// (a saved log, or the go command on the targets), heap profile and deep paths, then the reports.
import { SourceCache } from '../core/locate/sourceCache';
import { PolicyError } from '../core/policy/policy';
import { loadHeapProfile } from '../core/measure/heapProfile';
import { weigh } from '../core/measure/weigh';
import { endAll, endAllOnEveryWayOut } from '../core/run/processes';
import { TimeoutError } from '../core/run/runGo';
import { version } from '../package.json';
import { HELP, parseCli, type CliOptions } from './args';
import { deepen, deepenOne, findingAt, graphText } from './deep';
import { EXIT } from './exitCodes';
import { analyseInputLog } from './inputLog';
import { compareReports } from './measure';
import { say, sayHelperNotes } from './notices';
import { analyseTargets, type Measured } from './packageRun';
import { isDirectory } from './packages';
import { writeReports } from './report';
import { Results } from './results';

export { EXIT };

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
  } catch (e) {
    process.stderr.write(`go-escape-lens: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  if (opts.help) { process.stdout.write(HELP); return EXIT.ok; }
  if (opts.version) { process.stdout.write(`${version}\n`); return EXIT.ok; }
  const color = opts.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  if (opts.compare) {
    try {
      process.stdout.write(compareReports(opts.compare[0], opts.compare[1]) + '\n');
      return EXIT.ok;
    } catch (e) {
      say(`--compare: ${(e as Error).message}`);
      return EXIT.usage;
    }
  }
  if (!isDirectory(opts.cwd)) {
    say(`--cwd: not a directory: ${opts.cwd}`);
    return EXIT.usage;
  }
  sayHelperNotes();
  const sources = new SourceCache();
  sources.useToolchain({ goCommand: opts.goCommand });
  const results = new Results(opts, color);
  const measured: Measured = { measurements: [], failures: [] };
  try {
    const stop = opts.input !== undefined
      ? await analyseInputLog(opts.input, opts, sources, results)
      : await analyseTargets(opts, sources, results, measured);
    if (stop !== undefined) return stop;
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    say(`policy: ${e.message}`);
    return EXIT.usage;
  }

  if (opts.profile !== undefined) {
    try {
      weigh(results.findings, await loadHeapProfile(opts.profile, opts.goCommand, undefined, { timeoutMs: opts.timeoutMs }));
    } catch (e) {
      say((e as Error).message);
      return e instanceof TimeoutError ? EXIT.goFailed : EXIT.usage;
    }
  }
  if (opts.graph !== undefined && opts.at !== undefined) {
    const hit = findingAt(results.groups, opts.at, opts.cwd);
    if (!hit) {
      say(`no heap finding at ${opts.at.file}:${opts.at.line}`);
      return EXIT.usage;
    }
    await deepenOne(hit.dir, hit.finding, opts);
    process.stdout.write(graphText(hit.finding, opts.graph));
    return results.exit;
  }
  if (opts.deep) await deepen(results.groups, opts);
  if (opts.graph !== undefined) {
    for (const f of results.findings) if (f.deep) process.stdout.write(graphText(f, opts.graph) + '\n');
    return results.exit;
  }
  return writeReports(opts, results, sources, measured, color);
}

// Whatever ends the CLI (done, a signal, an uncaught error), every process tree and temp dir it started
// ends with it; a user never sees a stack trace.
endAllOnEveryWayOut({
  report: (m) => say(m),
  onSignal: (name) => say(`stopped by ${name}; every process it started has ended`),
  errorExitCode: EXIT.internal,
});
// A reader that stops early (`| head`) closes our stdout: the run ends as SIGPIPE ends a Unix filter,
// quietly, instead of as an internal error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  endAll();
  process.exit(EXIT.pipeClosed);
});
main(process.argv.slice(2)).then(
  // Done: a lookup still running (go env GOROOT of a build that failed) is not waited for.
  (code) => { process.exitCode = code; endAll(); },
  (e: unknown) => {
    say(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = EXIT.internal;
  },
);
