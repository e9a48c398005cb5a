// go-escape-lens: the terminal and CI face of the analysis core.
import * as fs from 'node:fs';
import { analyzePackage, gorootOf } from '../core/analysis/analyzePackage';
import { analyzePackages, startPackagesBuild, type StartedBuild } from '../core/analysis/analyzePackages';
import { noLinkFlag } from '../core/run/noLink';
import * as path from 'node:path';
import { SourceCache } from '../core/locate/sourceCache';
import { goParser } from '../core/locate/goParser';
import type { Finding } from '../core/model';
import { HEAP_KINDS } from '../core/model';
import { CancelledError, GoNotFoundError, OutputTooLargeError, TimeoutError } from '../core/run/runGo';
import { endAll, endAllOnEveryWayOut } from '../core/run/processes';
import { analyzeLog, LogReadError, type LogAnalysis } from '../core/analysis/analyzeLog';
import { EXIT } from './exitCodes';
import { summarize } from '../core/present/summary';
import { HELP, parseCli, UsageError, type CliOptions } from './args';
import { formatErrors, formatFindings, formatItems, formatSummary, formatTopAllocating } from './human';
import { present } from '../core/present/present';
import { sourceContext } from '../core/present/codeContext';
import { loadHeapProfile } from '../core/measure/heapProfile';
import { weigh } from '../core/measure/weigh';
import { writeJsonReportTo, type PackageReport } from './jsonOutput';
import { packageDirs, recursivePattern } from './packages';
import { loadBaseline, newFindings } from './baseline';
import { sarifReport } from './sarif';
import { version } from '../package.json';
import { deepen, deepenOne, findingAt, graphText, type DirFindings } from './deep';
import type { DownloadNotice } from '../core/run/downloads';
import { measurePackage, type BenchmarkFailure } from '../core/analysis/measurePackage';
import { BenchmarkError } from '../core/measure/measure';
import type { Measurement } from '../core/measure/model';
import { compareReports, formatMeasurements } from './measure';
import type { ContractReport } from '../core/model/contracts';
import { findPolicy, loadPolicy, type Action, type Policy } from '../core/policy/policy';
import { judge } from '../core/policy/judge';
import { formatContracts } from './contracts';
import { markdownSummary } from './markdown';
import { LogContracts, logContracts } from '../core/contracts/logContracts';

export { EXIT };

// A first build may fetch the toolchain go.mod asks for (minutes): say why nothing is printed yet, once.
const toldToolchains = new Set<string>();
function toolchainNotice(n: DownloadNotice, progress = false): void {
  if (n.kind !== 'toolchain' || toldToolchains.has(n.what)) return;
  toldToolchains.add(n.what);
  process.stderr.write(`${progress ? '\r\x1b[K' : ''}go-escape-lens: the go command is downloading Go toolchain ${n.what} (go.mod asks for it)…\n`);
}

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
      process.stderr.write(`go-escape-lens: --compare: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  if (!isDirectory(opts.cwd)) {
    process.stderr.write(`go-escape-lens: --cwd: not a directory: ${opts.cwd}\n`);
    return EXIT.usage;
  }
  const measurements: Measurement[] = [];
  const benchmarkFailures: BenchmarkFailure[] = [];

  const sources = new SourceCache();
  sources.useToolchain({ goCommand: opts.goCommand });
  const reports: PackageReport[] = [];
  const findings: Finding[] = [];
  const groups: DirFindings[] = [];
  const contracts: ContractReport[] = [];
  /** The policy of each package's findings (the nearest .escapelens.json, or --policy). */
  const policyOf = new Map<Finding, Policy>();
  const policies = new Map<string, Policy>();
  const policyFor = (dir: string): Policy | undefined => {
    const file = opts.policy === false ? undefined : opts.policy ?? findPolicy(dir);
    if (!file) return undefined;
    let p = policies.get(file);
    if (!p) policies.set(file, p = loadPolicy(file));
    return p;
  };
  const adopt = (dir: string, list: readonly Finding[]): void => {
    const p = policyFor(dir);
    if (p) for (const f of list) policyOf.set(f, p);
  };
  let exit: number = EXIT.ok;

  if (opts.input !== undefined) {
    // Read in chunks, inspected and parsed in one pass while the parser helper parses the sources it names.
    let log: LogAnalysis;
    const logDirectives = new LogContracts(opts.cwd);
    try {
      log = await analyzeLog(opts.input === '-' ? 0 : opts.input, { cwd: opts.cwd, all: opts.all, sources }, (t) => logDirectives.write(t));
    } catch (e) {
      if (e instanceof LogReadError) {
        process.stderr.write(`go-escape-lens: cannot read ${opts.input}: ${e.message}\n`);
        return EXIT.usage;
      }
      process.stderr.write(`go-escape-lens: ${(e as Error).message}\n`);
      return EXIT.goFailed;
    }
    const verdict = log.verdict;
    if (!log.result) {
      process.stderr.write(`go-escape-lens: ${opts.input === '-' ? 'standard input' : opts.input}: ${verdict.kind === 'empty'
        ? 'the log is empty (the go command prints escape analysis on stderr: capture it with 2>)'
        : 'not compiler output (no line is a compiler position in a .go file, escape analysis, or a go-command line)'}\n`);
      return EXIT.usage;
    }
    const r = log.result;
    reports.push({ dir: opts.cwd, ok: r.errors.length === 0, errors: r.errors, skipped: r.skipped, foreign: r.foreign ?? 0 });
    findings.push(...r.findings);
    groups.push({ dir: opts.cwd, findings: r.findings });
    try { adopt(opts.cwd, r.findings); } catch (e) { return policyError(e); }
    // The contracts of the packages the log covers, each on its own section, as a live run checks them.
    logDirectives.end();
    contracts.push(...await logContracts(logDirectives, r, { goCommand: opts.goCommand, timeoutMs: opts.timeoutMs }));
    if (r.errors.length > 0) {
      exit = EXIT.buildFailed;
      if (!opts.json) process.stderr.write(`${formatErrors(opts.cwd, r.errors, opts.cwd, color)}\n`);
    }
  } else {
    let dirs: string[];
    const importPaths = new Map<string, string>();
    // `DIR/...`: the one go command for the whole tree starts now, beside `go list` (which only says which
    // packages it will build); a root that turns out to hold one package cancels it below.
    const batching = !opts.tests && opts.bench === undefined;
    const early = new Map<string, StartedBuild>();
    const toolexecs = new Map<string, Promise<string | undefined>>();
    if (batching) {
      for (const t of opts.targets) {
        const recursive = recursivePattern(t);
        const root = recursive === undefined ? undefined : path.resolve(opts.cwd, recursive);
        if (root === undefined || early.has(root) || !isDirectory(root)) continue;
        // What the analysis asks first, asked now: GOROOT, and the parser helper (its go env, its process).
        void gorootOf({ dir: root, goCommand: opts.goCommand, onDownload: (n) => toolchainNotice(n) });
        goParser({ goCommand: opts.goCommand }).parse('package p\n').catch(() => undefined);
        // Commands are not linked (core/run/noLink.ts): the build starts once go and the parser helper have
        // said whether it can (~10 ms), beside `go list`, which never waits for them.
        const toolexec = noLinkFlag({ dir: root, goCommand: opts.goCommand, buildFlags: opts.buildFlags, onDownload: (n) => toolchainNotice(n) },
          () => sources.helperReady(), 10_000).catch(() => undefined);
        toolexecs.set(root, toolexec);
        early.set(root, startPackagesBuild({
          root, pattern: './...', goCommand: opts.goCommand, gcflags: opts.gcflags, buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs,
          onDownload: (n) => toolchainNotice(n), toolexec,
        }));
      }
    }
    try {
      // Every process of the run has the same deadline (--timeout); SIGINT/SIGTERM/SIGHUP end them all.
      dirs = await packageDirs(opts.targets, opts.cwd, opts.goCommand, { timeoutMs: opts.timeoutMs }, undefined, toolchainNotice, importPaths);
    } catch (e) {
      process.stderr.write(`go-escape-lens: ${(e as Error).message}\n`);
      return e instanceof GoNotFoundError || e instanceof TimeoutError ? EXIT.goFailed : EXIT.usage;
    }
    const progress = !opts.json && dirs.length > 1 && process.stderr.isTTY === true;
    // --bench: the same core call as the editor's lens; packages without benchmarks just have none.
    const measured = async (dir: string) => {
      const m = await measurePackage({
        dir, goCommand: opts.goCommand, gcflags: opts.gcflags, buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs,
        sources, pattern: opts.bench, all: opts.all,
      }).catch((e: unknown) => {
        if (e instanceof BenchmarkError && /no test files/.test(e.message)) return undefined;
        throw e;
      });
      if (!m) return analyzePackage({ dir, goCommand: opts.goCommand, mode: 'test', gcflags: opts.gcflags, buildFlags: opts.buildFlags,
        timeoutMs: opts.timeoutMs, sources, all: opts.all });
      measurements.push(...m.measurements);
      benchmarkFailures.push(...m.failures);
      return m.analysis;
    };
    // `DIR/...` with several packages: one go command for all of them (see core/analyzePackages.ts).
    // Tests (`go test -c`, one binary per package) and benchmarks still go package by package.
    const batched = new Set<string>();
    let stopped = false;
    if (batching) {
      for (const t of opts.targets) {
        const recursive = recursivePattern(t);
        if (recursive === undefined) continue;
        const root = path.resolve(opts.cwd, recursive);
        const inRoot = dirs.filter((d) => d === root || d.startsWith(root + path.sep));
        if (inRoot.length < 2 || inRoot.some((d) => batched.has(d))) continue;
        const tty = !opts.json && process.stderr.isTTY === true;
        if (tty) process.stderr.write(`\r\x1b[Kcompiling ${inRoot.length} packages in ${root} with one go command…`);
        const started = early.get(root);
        early.delete(root);
        try {
          const r = await analyzePackages({
            root, pattern: './...', dirs: inRoot, importPaths, goCommand: opts.goCommand, mode: 'build', gcflags: opts.gcflags,
            buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs, sources, all: opts.all, started, toolexec: toolexecs.get(root),
            // Each package as its results arrive (the go command prints them as it compiles them).
            onPart: tty ? (part, done, total) => process.stderr.write(`\r\x1b[K[${done}/${total}] ${part.dir}`) : undefined,
          });
          if (!opts.json && process.stderr.isTTY === true) process.stderr.write('\r\x1b[K');
          for (const part of r.parts) {
            batched.add(part.dir);
            reports.push({ dir: part.dir, ok: part.errors.length === 0, errors: part.errors, skipped: part.skipped, foreign: part.foreign ?? 0 });
            findings.push(...part.findings);
            if (part.contracts) contracts.push(part.contracts);
            try { adopt(part.dir, part.findings); } catch (e) { return policyError(e); }
            if (part.errors.length > 0) {
              exit = Math.max(exit, EXIT.buildFailed);
              if (!opts.json) process.stderr.write(`${formatErrors(part.dir, part.errors, opts.cwd, color)}\n`);
            }
          }
        } catch (e) {
          if (e instanceof GoNotFoundError || e instanceof TimeoutError || e instanceof OutputTooLargeError || e instanceof CancelledError) {
            process.stderr.write(`go-escape-lens: ${root}: ${e.message}\n`);
            for (const d of inRoot) { batched.add(d); reports.push({ dir: d, ok: false, errors: [{ message: e.message }], skipped: 0 }); }
            exit = EXIT.goFailed;
            if (e instanceof GoNotFoundError || e instanceof CancelledError) { stopped = true; break; }
            continue;
          }
          throw e;
        }
      }
    }
    // Early builds of roots that were not batched (one package, or inside another root).
    for (const b of early.values()) b.cancel();
    for (const [i, dir] of dirs.entries()) {
      if (stopped) break;
      if (batched.has(dir)) continue;
      if (progress) process.stderr.write(`\r\x1b[K[${i + 1}/${dirs.length}] ${dir}`);
      try {
        const r = opts.bench === undefined ? await analyzePackage({
          dir, goCommand: opts.goCommand, mode: opts.tests ? 'test' : 'build', gcflags: opts.gcflags,
          buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs, sources, all: opts.all,
          onDownload: (n) => toolchainNotice(n, progress),
        }) : await measured(dir);
        reports.push({ dir, ok: r.errors.length === 0, errors: r.errors, skipped: r.skipped, foreign: r.foreign ?? 0 });
        findings.push(...r.findings);
        groups.push({ dir, findings: r.findings });
        if (r.contracts) contracts.push(r.contracts);
        try { adopt(dir, r.findings); } catch (e) { return policyError(e); }
        if (r.errors.length > 0) {
          exit = Math.max(exit, EXIT.buildFailed);
          if (!opts.json) process.stderr.write(`${progress ? '\r\x1b[K' : ''}${formatErrors(dir, r.errors, opts.cwd, color)}\n`);
        }
      } catch (e) {
        if (progress) process.stderr.write('\r\x1b[K');
        if (e instanceof GoNotFoundError || e instanceof TimeoutError || e instanceof OutputTooLargeError || e instanceof CancelledError || e instanceof BenchmarkError) {
          process.stderr.write(`go-escape-lens: ${dir}: ${e.message}\n`);
          reports.push({ dir, ok: false, errors: [{ message: e.message }], skipped: 0 });
          if (e instanceof GoNotFoundError || e instanceof CancelledError) { exit = EXIT.goFailed; break; }
          exit = Math.max(exit, EXIT.goFailed);
          continue;
        }
        throw e;
      }
    }
    if (progress) process.stderr.write('\r\x1b[K');
  }

  if (opts.profile !== undefined) {
    try {
      weigh(findings, await loadHeapProfile(opts.profile, opts.goCommand, undefined, { timeoutMs: opts.timeoutMs }));
    } catch (e) {
      process.stderr.write(`go-escape-lens: ${(e as Error).message}\n`);
      return e instanceof TimeoutError ? EXIT.goFailed : EXIT.usage;
    }
  }
  if (opts.graph !== undefined && opts.at !== undefined) {
    const hit = findingAt(groups, opts.at, opts.cwd);
    if (!hit) {
      process.stderr.write(`go-escape-lens: no heap finding at ${opts.at.file}:${opts.at.line}\n`);
      return EXIT.usage;
    }
    await deepenOne(hit.dir, hit.finding, opts);
    process.stdout.write(graphText(hit.finding, opts.graph));
    return exit;
  }
  if (opts.deep) await deepen(groups, opts);
  if (opts.graph !== undefined) {
    for (const f of findings) if (f.deep) process.stdout.write(graphText(f, opts.graph) + '\n');
    return exit;
  }
  let fresh: Set<Finding> | undefined;
  if (opts.baseline !== undefined) {
    try {
      fresh = newFindings(findings, loadBaseline(opts.baseline));
    } catch (e) {
      process.stderr.write(`go-escape-lens: baseline ${opts.baseline}: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const isNew = fresh && ((f: Finding) => fresh!.has(f));
  // The policy's action for each finding it judges (grouped by policy file: usually one).
  let actions: Map<Finding, Action> | undefined;
  for (const p of new Set(policyOf.values())) {
    actions ??= new Map();
    for (const [f, a] of judge(p, findings.filter((f) => policyOf.get(f) === p))) actions.set(f, a);
  }
  const broken = contracts.reduce((n, c) => n + c.violations.length, 0);
  const summary = summarize(findings);
  const newCount = fresh ? [...fresh].filter((f) => f.suppressed === undefined).length : summary.heap;
  if (opts.sarif !== undefined) {
    try {
      fs.writeFileSync(opts.sarif, JSON.stringify(sarifReport(version, findings, opts.cwd, { isNew, actions, contracts }), null, 2) + '\n');
    } catch (e) {
      return cannotWrite('--sarif', opts.sarif, e);
    }
  }
  const listed = findings.filter((f) => f.suppressed === undefined && HEAP_KINDS.has(f.kind) && (!isNew || isNew(f)) && actions?.get(f) !== 'ignore');
  if (opts.markdown !== undefined) {
    try {
      fs.writeFileSync(opts.markdown, markdownSummary({
        cwd: opts.cwd, findings, contracts, listed, baseline: !!fresh, known: summary.heap - newCount, actions,
        policyFile: [...policies.keys()][0], profile: opts.profile !== undefined, buildFailures: reports.filter((r) => !r.ok).length,
      }));
    } catch (e) {
      return cannotWrite('--markdown', opts.markdown, e);
    }
  }
  if (opts.json) {
    const extra = (f: Finding): Record<string, unknown> | undefined => {
      const more: Record<string, unknown> = {};
      if (isNew && HEAP_KINDS.has(f.kind)) more.baseline = isNew(f) ? 'new' : 'known';
      const a = actions?.get(f);
      if (a) more.policy = a;
      return Object.keys(more).length ? more : undefined;
    };
    // Contracts: every package's directives, broken contracts and directive warnings (paths absolute).
    const contractsDoc = {
      directives: contracts.flatMap((c) => c.directives),
      violations: contracts.flatMap((c) => c.violations),
      problems: contracts.flatMap((c) => c.problems),
    };
    await writeJsonReportTo(process.stdout, version, reports, findings, extra,
      { contracts: contractsDoc, ...(opts.bench !== undefined ? { measurements, benchmarkFailures } : {}) });
  } else {
    const shown = opts.all ? findings : findings.filter((f) => f.suppressed === undefined && HEAP_KINDS.has(f.kind) && (!isNew || isNew(f)) && actions?.get(f) !== 'ignore');
    // Without --all: what the editor draws (core/present), so that the terminal is as quiet as the editor.
    const text = opts.all ? formatFindings(shown, opts.cwd, color)
      : formatItems(present(shown, undefined, sourceContext((p) => sources.peek(p) ?? sources.get(p))).items, findings.length, opts.cwd, color);
    if (text) process.stdout.write(text + '\n');
    process.stdout.write(formatSummary(summary, reports.length, color) + '\n');
    if (opts.profile !== undefined) process.stdout.write(formatTopAllocating(shown, opts.cwd, color) + '\n');
    if (opts.bench !== undefined) process.stdout.write((measurements.length || benchmarkFailures.length ? formatMeasurements(measurements, opts.cwd, benchmarkFailures) : `  no benchmark matches ${opts.bench}`) + '\n');
    if (fresh) process.stdout.write(`  baseline: ${newCount} new, ${summary.heap - newCount} known\n`);
    if (actions) {
      const n = { ignore: 0, log: 0, warn: 0, fail: 0 };
      for (const f of findings) { const a = actions.get(f); if (a && (!isNew || isNew(f))) n[a]++; }
      process.stdout.write(`  policy ${[...policies.keys()].join(', ')}: fail ${n.fail} · warn ${n.warn} · log ${n.log} · ignore ${n.ignore}${fresh ? ' (new findings)' : ''}\n`);
    }
    const text2 = formatContracts(contracts, opts.cwd, color);
    if (text2) process.stdout.write(text2 + '\n');
  }
  // A broken contract fails with or without a baseline: the promise is about the code as it is now.
  if (exit === EXIT.ok && broken > 0) exit = EXIT.findings;
  if (exit === EXIT.ok && actions && listed.some((f) => actions!.get(f) === 'fail')) exit = EXIT.findings;
  if (exit === EXIT.ok && opts.failOnFindings && newCount > 0) exit = EXIT.findings;
  return exit;
}

function policyError(e: unknown): number {
  process.stderr.write(`go-escape-lens: policy: ${(e as Error).message}\n`);
  return EXIT.usage;
}

/** An output file that cannot be written is a usage error: one line, exit 2. */
function cannotWrite(option: string, file: string, e: unknown): number {
  process.stderr.write(`go-escape-lens: ${option}: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
  return EXIT.usage;
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

// Whatever ends the CLI (done, a signal, an uncaught error), every process tree and temp dir it started
// ends with it; a user never sees a stack trace.
endAllOnEveryWayOut({
  report: (m) => process.stderr.write(`go-escape-lens: ${m}\n`),
  onSignal: (name) => process.stderr.write(`go-escape-lens: stopped by ${name}; every process it started has ended\n`),
  errorExitCode: EXIT.internal,
});
main(process.argv.slice(2)).then(
  // Done: a lookup still running (go env GOROOT of a build that failed) is not waited for.
  (code) => { process.exitCode = code; endAll(); },
  (e: unknown) => {
    process.stderr.write(`go-escape-lens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.internal;
  },
);
