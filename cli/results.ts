// What one CLI run gathers before it writes anything: each package's report, its findings, contracts and
// policy, and the exit status so far. Every way of analysing (a saved log, one go command for a tree,
// package by package) hands its results over the same way (`add`), so each report is made once.
import type { AnalysisResult, Finding } from '../core/model';
import type { ContractReport } from '../core/model/contracts';
import { findPolicy, loadPolicy, type Policy } from '../core/policy/policy';
import type { CliOptions } from './args';
import type { DirFindings } from './deep';
import { EXIT } from './exitCodes';
import { formatErrors } from './human';
import type { PackageReport } from './jsonOutput';
import { clearLine } from './notices';

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class Results {
  readonly reports: PackageReport[] = [];
  readonly findings: Finding[] = [];
  /** The findings by package dir (--deep and --graph follow paths from the package's own dir). */
  readonly groups: DirFindings[] = [];
  readonly contracts: ContractReport[] = [];
  /** The policy of each package's findings (the nearest .escapelens.json, or --policy). */
  readonly policyOf = new Map<Finding, Policy>();
  /** Each policy file read, by its path. */
  readonly policies = new Map<string, Policy>();
  exit: ExitCode = EXIT.ok;

  constructor(private readonly opts: CliOptions, private readonly color: boolean) {}

  /** Raises the exit status to `code` (a later, milder outcome never lowers it). */
  raise(code: ExitCode): void {
    if (code > this.exit) this.exit = code;
  }

  /**
   * One package's analysis: its report, findings and contracts, its policy, and its build errors on
   * stderr (unless --json). Throws PolicyError when its policy file cannot be read.
   */
  add(dir: string, r: AnalysisResult, progress = false): void {
    this.reports.push({ dir, ok: r.errors.length === 0, errors: r.errors, skipped: r.skipped, foreign: r.foreign ?? 0 });
    this.findings.push(...r.findings);
    this.groups.push({ dir, findings: r.findings });
    if (r.contracts) this.contracts.push(r.contracts);
    const p = this.policyFor(dir);
    if (p) for (const f of r.findings) this.policyOf.set(f, p);
    if (r.errors.length > 0) {
      this.raise(EXIT.buildFailed);
      if (!this.opts.json) process.stderr.write(`${progress ? clearLine : ''}${formatErrors(dir, r.errors, this.opts.cwd, this.color)}\n`);
    }
  }

  /** Packages the go command could not analyse (`message` says why): reported as failed, exit 4. */
  failed(dirs: readonly string[], message: string): void {
    for (const dir of dirs) this.reports.push({ dir, ok: false, errors: [{ message }], skipped: 0 });
    this.raise(EXIT.goFailed);
  }

  private policyFor(dir: string): Policy | undefined {
    const file = this.opts.policy === false ? undefined : this.opts.policy ?? findPolicy(dir);
    if (!file) return undefined;
    let p = this.policies.get(file);
    if (!p) this.policies.set(file, p = loadPolicy(file));
    return p;
  }
}
