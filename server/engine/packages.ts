// The packages that have an open file, by directory: what each last analysis left (findings, the text each
// covered, its presentation, fixes, contracts) and where its next one stands. One scheduler per package, so
// never two go processes for one package; a package whose last open file closes is forgotten.
import * as path from 'node:path';
import type { ContractReport } from '../../core/model/contracts';
import type { Finding } from '../../core/model';
import type { Action } from '../../core/policy/policy';
import { escapesTree, type EscapesTree } from '../../core/present/escapesTree';
import type { Presentation } from '../../core/present/present';
import { markFixes, type FixState } from './fixVerification';
import type { EscapesParams, StatusState } from '../protocol';
import { PackageScheduler, type RunContext } from './scheduler';
import { toPath, type EngineHost, type OpenDocument } from './host';

export interface PackageState extends FixState {
  scheduler: PackageScheduler;
  runs: number;
  running: number;
  state: StatusState;
  message?: string;
  /** Findings of the last good analysis by file path. */
  findings: Map<string, Finding[]>;
  /** The text each finding's range covered when analysed. A Map, not a WeakMap: it is replaced with the
   * findings as a whole, and weak entries by the tens of thousands cost every garbage collection (ephemeron marking). */
  covered: Map<Finding, string>;
  /** What the running go command is downloading first (toolchain, module), for the status bar. */
  downloading?: string;
  /** The findings are from the last successful build: the package does not build now. */
  stale?: boolean;
  /** What the last publish drew (core/present), over the findings still in place. */
  presentation?: Presentation;
  /** The last analysis located every file of the package (the Escapes view is open), not only the open ones. */
  whole?: boolean;
  /** The file last opened or saved: published first. */
  lastFile?: string;
  /** Publishes started: one that finds a newer one started when its presentation is ready drops its result. */
  publishes: number;
  /** Contracts of the last good analysis, and the policy's action per finding. */
  contracts?: ContractReport;
  actions?: Map<Finding, Action>;
}

export class Packages {
  private readonly byDir = new Map<string, PackageState>();
  /** The Escapes view has asked for data: analyses then locate every file of a package, not only open ones. */
  escapesViewOpen = false;

  constructor(private readonly host: EngineHost, private readonly analyse: (pkg: PackageState, ctx: RunContext) => Promise<void>) {}

  /** The package of `file`, made on first use. */
  of(file: string): PackageState {
    const dir = path.dirname(file);
    let pkg = this.byDir.get(dir);
    if (!pkg) {
      const state: PackageState = {
        dir, runs: 0, running: 0, publishes: 0, state: 'done', findings: new Map(), covered: new Map(),
        scheduler: new PackageScheduler((ctx) => this.analyse(state, ctx)),
      };
      pkg = state;
      this.byDir.set(dir, pkg);
    }
    return pkg;
  }

  /** The package of a document, if one of its files is open. */
  at(uri: string): PackageState | undefined {
    const file = toPath(uri);
    return file ? this.byDir.get(path.dirname(file)) : undefined;
  }

  get(dir: string): PackageState | undefined {
    return this.byDir.get(dir);
  }

  /** The open Go documents of the package in `dir`. */
  openIn(dir: string): OpenDocument[] {
    return this.host.documents().filter((d) => { const p = toPath(d.uri); return !!p && path.dirname(p) === dir && p.endsWith('.go'); });
  }

  /** A document closed: the package goes (its run cancelled) once none of its files is open. */
  closed(uri: string): void {
    const pkg = this.at(uri);
    if (pkg && this.openIn(pkg.dir).length === 0) {
      pkg.scheduler.cancel();
      this.byDir.delete(pkg.dir);
    }
  }

  /** The Escapes view's tree over every analysed package; the first call makes later analyses cover whole packages. */
  escapes(params: EscapesParams): EscapesTree {
    if (!this.escapesViewOpen) {
      this.escapesViewOpen = true;
      for (const pkg of this.byDir.values()) if (!pkg.whole && pkg.state !== 'off') void pkg.scheduler.request(0).catch(() => undefined);
    }
    const pkgs = [...this.byDir.values()].filter((p) => p.presentation).map((p) => ({
      name: p.presentation!.items.find((i) => i.finding.pkg)?.finding.pkg ?? path.basename(p.dir), dir: p.dir, items: p.presentation!.items,
    }));
    const tree = escapesTree(pkgs, params.groupBy, params.filter);
    markFixes(tree.roots, [...this.byDir.values()].filter((p) => p.presentation).map((p) => ({ items: p.presentation!.items, fixes: p.fixes })));
    return tree;
  }
}
