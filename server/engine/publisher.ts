// Publishing a package: the findings still in place in the open buffers, presented (core/present), drawn
// as diagnostics for every open file (the one last saved first), then the status. Long loops run in
// slices (core/util/steps), so a hover waits one slice at most and a newer analysis stops this one.
import { readFromDisk, type SourceCache } from '../../core/locate/sourceCache';
import type { Finding } from '../../core/model';
import type { Action } from '../../core/policy/policy';
import { presentAsync, type Item, type Presentation } from '../../core/present/present';
import { runInSlices, STEP } from '../../core/util/steps';
import { contractDiagnostics } from '../features/contracts';
import { drawnItems, toDiagnostic } from '../features/diagnostics';
import { policySeverity } from './policy';
import type { StatusState } from '../protocol';
import type { Settings } from '../settings';
import { toPath, type EngineHost, type OpenDocument } from './host';
import { addLines, itemRanges, textAt } from './lines';
import { openCodeContext, type OpenFiles } from './openFiles';
import type { PackageState, Packages } from './packages';
import type { Status } from './status';

/** The longest a publishing loop holds the event loop before it yields. */
export const SLICE_MS = 5;

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

/** What a publish shows: the presentation, its items by file, the open files' hover indexes, and the open texts it was made for. */
export interface View {
  presentation?: Presentation;
  byFile: Map<string, Item[]>;
  indexes: Map<string, Map<number, Item[]>>;
  texts: Map<string, string>;
}

/** Findings to publish in place of the package's: those of a new analysis, or none after an error. */
export interface NextFindings { findings: Map<string, Finding[]>; covered: Map<Finding, string>; stale: boolean }

export class Publisher {
  constructor(
    private readonly host: EngineHost,
    private readonly packages: Packages,
    private readonly openFiles: OpenFiles,
    private readonly status: Status,
    private readonly sources: SourceCache,
  ) {}

  /**
   * Publishes every open file of the package (the one last saved or opened first), then the status: a
   * client seeing the state sees its diagnostics. `next`: the findings of a new analysis, which replace the
   * package's only once their presentation (computed in slices) is ready; a newer publish makes this one moot.
   * `prepared`: a view made earlier, used while the open files and their texts are those it was made for.
   */
  async publish(pkg: PackageState, s: Settings, state: StatusState, message?: string, next?: NextFindings, signal?: AbortSignal, prepared?: View): Promise<void> {
    const seq = ++pkg.publishes;
    const findings = next?.findings ?? pkg.findings;
    const covered = next?.covered ?? pkg.covered;
    const stale = next?.stale ?? !!pkg.stale;
    const view = prepared && state === 'done' && this.stillFor(pkg, prepared) ? prepared
      : await this.viewOf(pkg, s, state, findings, covered, stale, pkg.actions, signal);
    const { presentation, byFile, indexes } = view;
    const open = this.packages.openIn(pkg.dir);
    if (seq !== pkg.publishes) return;
    pkg.findings = findings;
    pkg.covered = covered;
    pkg.stale = stale;
    pkg.state = state;
    pkg.message = message;
    pkg.presentation = presentation;
    if (presentation) {
      for (const d of open) this.openFiles.published(d.uri, presentation, byFile.get(toPath(d.uri)!) ?? [], indexes.get(d.uri));
    }
    // The file the user just saved first: its squiggles are the ones awaited.
    const order = [...open].sort((a, b) => Number(toPath(b.uri) === pkg.lastFile) - Number(toPath(a.uri) === pkg.lastFile));
    for (const d of order) {
      const file = toPath(d.uri)!;
      const shown = drawnItems(byFile.get(file) ?? [], s);
      // Contracts are shown for the text they were checked on (unsaved edits wait for the next analysis).
      const generated = !s.showInGeneratedFiles && GENERATED.test(d.text);
      const contracts = generated || pkg.state !== 'done' || (s.run === 'onSave' && d.text !== readFromDisk(file)) ? [] : contractDiagnostics(pkg.contracts, file);
      this.host.publish(d.uri, [...contracts, ...shown.map((i) => toDiagnostic(i, stale))], d.version);
    }
    this.status.send(pkg);
    this.host.escapesChanged?.();
  }

  /** What a publish shows of `findings`: those still in place in the open buffers, presented, by file, with hover indexes. */
  async viewOf(pkg: PackageState, s: Settings, state: StatusState, findings: Map<string, Finding[]>, covered: Map<Finding, string>,
    stale: boolean, actions: Map<Finding, Action> | undefined, signal?: AbortSignal): Promise<View> {
    const open = this.packages.openIn(pkg.dir);
    const current = await runInSlices(inPlace(findings, covered, open, stale), SLICE_MS, signal);
    // The project's policy (.escapelens.json) decides before the presentation rules (rule `policy`).
    const presentation = state === 'off' ? undefined
      : await presentAsync(current, s, openCodeContext(this.host, this.sources), (f) => policySeverity(f, s, actions), { signal });
    const { byFile, indexes } = await runInSlices(itemsByFile(presentation?.items ?? [], open), SLICE_MS, signal);
    return { presentation, byFile, indexes, texts: new Map(open.map((d) => [d.uri, d.text])) };
  }

  /** The open files of the package are those the view was made for, with the same texts. */
  private stillFor(pkg: PackageState, view: View): boolean {
    const open = this.packages.openIn(pkg.dir);
    return open.length === view.texts.size && open.every((d) => view.texts.get(d.uri) === d.text);
  }
}

/**
 * The findings still in place: an open buffer edited since (or a build that failed since) keeps only
 * those whose text is where it was; the others are all kept.
 */
function* inPlace(findings: Map<string, Finding[]>, covered: Map<Finding, string>, open: OpenDocument[], stale: boolean): Generator<void, Finding[]> {
  const current: Finding[] = [];
  const openFiles = new Map(open.map((d) => [toPath(d.uri)!, d]));
  let n = 0;
  for (const [file, list] of findings) {
    const d = openFiles.get(file);
    if (d && (stale || d.text !== readFromDisk(file))) {
      const lines = d.text.split('\n');
      for (const f of list) {
        if ((++n & (STEP - 1)) === 0) yield;
        if (textAt(lines, f) === covered.get(f)) current.push(f);
      }
      continue;
    }
    for (const f of list) current.push(f);
  }
  return current;
}

/** The presentation's items by file, and the open files' hover indexes, built here rather than by the first hover after the swap. */
function* itemsByFile(items: readonly Item[], open: OpenDocument[]): Generator<void, { byFile: Map<string, Item[]>; indexes: Map<string, Map<number, Item[]>> }> {
  const byFile = new Map<string, Item[]>();
  let n = 0;
  for (const i of items) {
    if ((++n & (STEP - 1)) === 0) yield;
    const list = byFile.get(i.finding.file);
    if (list) list.push(i); else byFile.set(i.finding.file, [i]);
  }
  const indexes = new Map<string, Map<number, Item[]>>();
  for (const d of open) {
    const byLine = new Map<number, Item[]>();
    for (const i of byFile.get(toPath(d.uri)!) ?? []) {
      if ((++n & (STEP - 1)) === 0) yield;
      addLines(byLine, i, itemRanges(i));
    }
    indexes.set(d.uri, byLine);
  }
  return { byFile, indexes };
}
