// What a run writes once its packages are analysed: the findings against the baseline and the policy, as
// SARIF, Markdown, JSON or text, and the exit status they call for.
import * as fs from 'node:fs';
import type { SourceCache } from '../core/locate/sourceCache';
import type { Finding } from '../core/model';
import { HEAP_KINDS } from '../core/model';
import type { Measured } from './packageRun';
import { countActions, decisions } from '../core/policy/judge';
import type { Action, Decision } from '../core/policy/policy';
import { sourceContext } from '../core/present/codeContext';
import { present } from '../core/present/present';
import { summarize } from '../core/present/summary';
import { version } from '../package.json';
import type { CliOptions } from './args';
import { loadBaseline, newFindings } from './baseline';
import { formatContracts } from './contracts';
import { EXIT } from './exitCodes';
import { formatDecisions, formatFindings, formatItems, formatSummary, formatTopAllocating } from './human';
import { writeJsonReportTo } from './jsonOutput';
import { markdownSummary } from './markdown';
import { formatMeasurements } from './measure';
import { say } from './notices';
import type { Results } from './results';
import { sarifReport } from './sarif';

export async function writeReports(opts: CliOptions, results: Results, sources: SourceCache, measured: Measured, color: boolean): Promise<number> {
  const { measurements, failures } = measured;
  const { findings, contracts, policies } = results;
  let fresh: Set<Finding> | undefined;
  if (opts.baseline !== undefined) {
    try {
      fresh = newFindings(findings, loadBaseline(opts.baseline));
    } catch (e) {
      say(`baseline ${opts.baseline}: ${(e as Error).message}`);
      return EXIT.usage;
    }
  }
  const isNew = fresh && ((f: Finding) => fresh!.has(f));
  // The policy's action for each finding it judges, with the rule that decided it (grouped by policy file: usually one).
  let decided: Map<Finding, Decision> | undefined;
  for (const p of new Set(results.policyOf.values())) {
    decided ??= new Map();
    for (const [f, d] of decisions(p, findings.filter((f) => results.policyOf.get(f) === p))) decided.set(f, d);
  }
  const actions = decided && new Map([...decided].map(([f, d]): [Finding, Action] => [f, d.action]));
  const broken = contracts.reduce((n, c) => n + c.violations.length, 0);
  // What the policy ignores is counted nowhere: not in the summaries (text, JSON), the Markdown headline or SARIF.
  const counted = actions ? findings.filter((f) => actions.get(f) !== 'ignore') : findings;
  const summary = summarize(counted);
  const newCount = fresh ? [...fresh].filter((f) => f.suppressed === undefined && actions?.get(f) !== 'ignore').length : summary.heap;
  // What the text lists and the Markdown summary counts: unsuppressed heap findings, new ones (with a
  // baseline), the policy not ignoring them.
  const listed = findings.filter((f) => f.suppressed === undefined && HEAP_KINDS.has(f.kind) && (!isNew || isNew(f)) && actions?.get(f) !== 'ignore');
  if (opts.sarif !== undefined) {
    try {
      fs.writeFileSync(opts.sarif, JSON.stringify(sarifReport(version, findings, opts.cwd, { isNew, actions, contracts }), null, 2) + '\n');
    } catch (e) {
      return cannotWrite('--sarif', opts.sarif, e);
    }
  }
  if (opts.markdown !== undefined) {
    try {
      fs.writeFileSync(opts.markdown, markdownSummary({
        cwd: opts.cwd, findings, contracts, listed, baseline: !!fresh, actions, ...headline(counted, summary.heap, isNew),
        policyFile: [...policies.keys()][0], profile: opts.profile !== undefined, buildFailures: results.reports.filter((r) => !r.ok).length,
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
    await writeJsonReportTo(process.stdout, version, results.reports, findings, extra,
      { contracts: contractsDoc, ...(opts.bench !== undefined ? { measurements, benchmarkFailures: failures } : {}) }, counted);
  } else {
    const shown = opts.all ? findings : listed;
    // Without --all: what the editor draws (core/present), so that the terminal is as quiet as the editor.
    const text = opts.all ? formatFindings(shown, opts.cwd, color)
      : formatItems(present(shown, undefined, sourceContext((p) => sources.peek(p) ?? sources.get(p))).items, findings.length, opts.cwd, color);
    if (text) process.stdout.write(text + '\n');
    process.stdout.write(formatSummary(summary, results.reports.length, color) + '\n');
    if (opts.profile !== undefined) process.stdout.write(formatTopAllocating(shown, opts.cwd, color) + '\n');
    if (opts.bench !== undefined) process.stdout.write((measurements.length || failures.length ? formatMeasurements(measurements, opts.cwd, failures) : `  no benchmark matches ${opts.bench}`) + '\n');
    if (fresh) process.stdout.write(`  baseline: ${newCount} new, ${summary.heap - newCount} known\n`);
    if (decided) {
      const n = countActions(actions!, isNew);
      process.stdout.write(`  policy ${[...policies.keys()].join(', ')}: fail ${n.fail} · warn ${n.warn} · log ${n.log}${fresh ? ' (new findings)' : ''}\n`);
      const verdicts = formatDecisions(listed, decided, opts.cwd, color);
      if (verdicts) process.stdout.write(verdicts + '\n');
    }
    const contractText = formatContracts(contracts, opts.cwd, color);
    if (contractText) process.stdout.write(contractText + '\n');
  }
  let exit: number = results.exit;
  // A broken contract fails with or without a baseline: the promise is about the code as it is now.
  if (exit === EXIT.ok && broken > 0) exit = EXIT.findings;
  if (exit === EXIT.ok && actions && listed.some((f) => actions!.get(f) === 'fail')) exit = EXIT.findings;
  if (exit === EXIT.ok && opts.failOnFindings && newCount > 0) exit = EXIT.findings;
  return exit;
}

/**
 * The Markdown headline's numbers, as the JSON summary counts them (`heap`: its `summary.heap`): with a
 * baseline, the new ones and the rest.
 */
function headline(counted: readonly Finding[], heap: number, isNew?: (f: Finding) => boolean): { heap: number; known: number } {
  const fresh = isNew ? summarize(counted.filter(isNew)).heap : heap;
  return { heap: fresh, known: heap - fresh };
}

/** An output file that cannot be written is a usage error: one line, exit 2. */
function cannotWrite(option: string, file: string, e: unknown): number {
  say(`${option}: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  return EXIT.usage;
}
