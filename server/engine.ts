// The server's work: which package a file belongs to, when to analyse it, what to publish. Talks to the
// editor only through the `EngineHost` it is given, so tests can drive it and the LSP wiring stays thin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { pathToUri, uriToPath } from '../core/platform';
import type { Diagnostic } from 'vscode-languageserver';
import { analyzePackage } from '../core/analysis/analyzePackage';
import { readFromDisk, type SourceCache } from '../core/locate/sourceCache';
import { insideModule, isVendored, moduleRoot } from '../core/run/module';
import type { AnalysisResult, Finding, Range } from '../core/model';
import { CancelledError, GoNotFoundError, ignoredGoFiles } from '../core/run/runGo';
import { toDiagnostic } from './diagnostics';
import type { GoSource } from '../core/locate/goSource';
import { packageFixes, type PackageFixes } from './fixes';
import type { StatusParams, StatusState } from './protocol';
import { PackageScheduler } from './scheduler';
import { longRunProgress, type Progress } from './progress';
import { loadHeapProfile, type HeapProfile } from '../core/measure/heapProfile';
import { weigh } from '../core/measure/weigh';
import type { Settings, SettingsCache } from './settings';
import { sourceContext, type CodeContext } from '../core/present/codeContext';
import { presentAsync, type Item, type Presentation } from '../core/present/present';
import { escapesTree, type EscapesTree } from '../core/present/escapesTree';
import { drawnItems } from './diagnostics';
import type { EscapesParams } from './protocol';
import type { ContractReport } from '../core/model/contracts';
import type { Action } from '../core/policy/policy';
import { contractDiagnostics } from './contracts';
import { PolicyCache, policyActions, policySeverity } from './policy';
import { fullCollection } from '../core/analysis/fullCollection';

export interface OpenDocument { uri: string; version: number; text: string }

export interface EngineHost {
  documents(): OpenDocument[];
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  status(params: StatusParams): void;
  log(message: string): void;
  showError(message: string): void;
  /** The Escapes view's data changed (an analysis finished): the client asks again. */
  escapesChanged?(): void;
  /** After each good analysis, before publishing: lets benchmark measurements attach to the new findings. */
  decorate?(dir: string, findings: Finding[]): void;
  /** Starts a cancellable work-done progress (an analysis that runs longer than PROGRESS_AFTER_MS). */
  progress?(title: string): Promise<Progress>;
}

/** An analysis running longer than this reports work-done progress (package, phase) the user can cancel. */
export const PROGRESS_AFTER_MS = 1000;

interface PackageState {
  dir: string;
  scheduler: PackageScheduler;
  runs: number;
  running: number;
  state: StatusState;
  message?: string;
  /** Findings of the last good analysis by file path, with the text each range covered then. */
  findings: Map<string, Finding[]>;
  /** Verified quick fixes of the last good analysis. */
  fixes?: PackageFixes;
  /** The text each finding's range covered when analysed. A Map, not a WeakMap: it is replaced with the
   * findings as a whole, and 80,000 weak entries cost every garbage collection (ephemeron marking). */
  covered: Map<Finding, string>;
  /** What the running go command is downloading first (toolchain, module), for the status bar. */
  downloading?: string;
  /** The findings are from the last successful build: the package does not build now. */
  stale?: boolean;
  /** What the last publish drew (core/present), over the findings still in place. */
  presentation?: Presentation;
  /** The last analysis located every file of the package (the Escapes view is open), not only the open ones. */
  whole?: boolean;
  /** Fix verification under way: the targets it will answer for, and when it is done. */
  verifying?: { targets: Set<string>; done: Promise<void> };
  /** The file last opened or saved: published first. */
  lastFile?: string;
  /** Publishes started: one that finds a newer one started when its presentation is ready drops its result. */
  publishes: number;
  /** Contracts of the last good analysis, and the policy's action per finding. */
  contracts?: ContractReport;
  actions?: Map<Finding, Action>;
}

/** What a publish shows: the presentation, its items by file, the open files' hover indexes, and the open texts it was made for. */
interface View {
  presentation?: Presentation;
  byFile: Map<string, Item[]>;
  indexes: Map<string, Map<number, Item[]>>;
  texts: Map<string, string>;
}

/** A good analysis made ready to publish (Engine.prepare). */
interface Prepared {
  findings: Map<string, Finding[]>;
  covered: Map<Finding, string>;
  actions?: Map<Finding, Action>;
  view: View;
}

/**
 * Heap used (bytes) above which a published analysis is followed by a full collection (collectGarbage). At
 * PAUSE_KEPT, not higher: that collection is also what tells collectIfGrown how much the result keeps. A
 * 600k-line package published with V8 just after a collection of its own (125 MB used) otherwise left
 * nothing recorded, and its next analysis ran without a pause to 412 MB of heap.
 */
const COLLECT_ABOVE = 100 * 1048576;
/**
 * When collectIfGrown runs a full collection within an analysis: the heap that survived our last one (the
 * result kept for hovers, mostly) at least PAUSE_KEPT, the heap used now past PAUSE_ABOVE and grown by
 * PAUSE_GROWTH since. A ~600k-line package keeps ~118 MB: the next analysis' records and then its findings,
 * beside that result, pass the others a few times per analysis, and pauses of 80–300 ms each keep its
 * server under 400 MB of RSS instead of 0.7 GB. A 5,000-function file keeps ~87 MB and peaks near 300 MB
 * without them: its hovers do not wait for such pauses.
 */
const PAUSE_KEPT = 100 * 1048576;
const PAUSE_ABOVE = 240 * 1048576;
const PAUSE_GROWTH = 48 * 1048576;

/** The editor's pause in questions that a full collection after publishing waits for, and its longest wait. */
const QUIET_BEFORE_COLLECTION_MS = 250;
const COLLECTION_WAIT_MS = 3000;

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

export class Engine {
  private readonly packages = new Map<string, PackageState>();
  /** go commands found missing: not run again until the settings change or the user asks. */
  private readonly missingGo = new Set<string>();
  /** The Escapes view has asked for data: analyses then locate every file of a package, not only open ones. */
  private escapesViewOpen = false;
  private readonly policies = new PolicyCache();

  constructor(
    private readonly host: EngineHost,
    private readonly settings: SettingsCache,
    private readonly sources: SourceCache,
    private readonly trusted: boolean,
  ) {}

  /** A document was opened, saved or (in onType mode) changed. */
  async onEvent(uri: string, event: 'open' | 'save' | 'change'): Promise<void> {
    const file = toPath(uri);
    if (!file || !file.endsWith('.go')) return;
    const s = await this.settings.get(uri);
    // Keystrokes in onSave mode cost nothing beyond this check.
    if (event === 'change' && s.run !== 'onType') return;
    const pkg = this.packageOf(file);
    pkg.lastFile = file;
    if (!this.trusted || !s.enable) {
      await this.publishPackage(pkg, s, 'off', this.trusted ? 'disabled by goEscapeLens.enable' : 'untrusted workspace: nothing runs');
      return;
    }
    if (isVendored(file)) {
      this.setState(pkg, 'excluded', 'vendored code is not analysed');
      return;
    }
    // Saves and opens coalesce within the same turn of the event loop ("Save All" sends them back to back).
    await pkg.scheduler.request(event === 'change' ? s.debounceMs : 0);
  }

  /** Re-analyse every package that has an open file (settings changed, or the user asked). */
  async reanalyzeAll(): Promise<void> {
    this.missingGo.clear();
    const dirs = new Set(this.host.documents().map((d) => toPath(d.uri)).filter((p): p is string => !!p && p.endsWith('.go')).map(path.dirname));
    await Promise.all([...dirs].map((d) => this.onEvent(pathToUri(path.join(d, 'x.go')), 'open').catch(() => undefined)));
  }

  async reanalyze(uri: string): Promise<void> {
    this.missingGo.clear();
    await this.onEvent(uri, 'open');
  }

  onClose(uri: string): void {
    this.host.publish(uri, []);
    this.inPlace.delete(uri);
    this.fileItems.delete(uri);
    this.findingLines.delete(uri);
    this.bufferLines.delete(uri);
    const file = toPath(uri);
    if (!file) return;
    const pkg = this.packages.get(path.dirname(file));
    if (pkg && this.openIn(pkg.dir).length === 0) {
      pkg.scheduler.cancel();
      this.packages.delete(pkg.dir);
    }
  }

  /** Verified fixes for an open file, if its text is still the one they were verified on. */
  fixesFor(uri: string, currentText: string): PackageFixes | undefined {
    const file = toPath(uri);
    const pkg = file ? this.packages.get(path.dirname(file)) : undefined;
    if (!file || !pkg?.fixes || pkg.fixes.texts.get(file) !== currentText) return undefined;
    return pkg.fixes;
  }

  /** The parsed source of an open document's current text. */
  sourceFor(uri: string, text: string): GoSource | undefined {
    const file = toPath(uri);
    return file ? this.sources.get(file, () => text) : undefined;
  }

  /** The contracts of an open file's package (last good analysis). */
  contractsFor(uri: string): ContractReport | undefined {
    const file = toPath(uri);
    return file ? this.packages.get(path.dirname(file))?.contracts : undefined;
  }

  /** Findings of an open file whose ranges still cover the same text (edits since may have moved them). */
  findingsFor(uri: string, currentText: string): Finding[] {
    const file = toPath(uri);
    const pkg = file && this.packages.get(path.dirname(file));
    if (!pkg) return [];
    const all = pkg.findings.get(file) ?? [];
    // Code lenses and the graph ask many times per edit: the check of every finding's text against the
    // buffer is done once per (buffer text, analysis), not once per request.
    const hit = this.inPlace.get(uri);
    if (hit && hit.all === all && hit.text === currentText) return hit.result;
    const ok = this.stillInPlace(pkg, uri, currentText);
    const result = all.filter(ok);
    this.inPlace.set(uri, { all, text: currentText, result });
    return result;
  }

  /**
   * The findings of `findingsFor` whose ranges share a line with `range`, in the same order: a lightbulb
   * asks at every cursor move, and a scan of a 50,000-finding file each time would stall the server.
   */
  findingsOnLines(uri: string, currentText: string, range: { start: { line: number }; end: { line: number } }): Finding[] {
    this.askedAt = performance.now();
    const file = toPath(uri);
    const pkg = file && this.packages.get(path.dirname(file));
    if (!pkg) return [];
    if (range.end.line - range.start.line > 1000) return this.findingsFor(uri, currentText);
    const all = pkg.findings.get(file) ?? [];
    let index = this.findingLines.get(uri);
    if (!index || index.all !== all) {
      index = { all, byLine: linesIndex(all, (f) => [f.range]) };
      this.findingLines.set(uri, index);
    }
    const ok = this.stillInPlace(pkg, uri, currentText);
    return onLines(index.byLine, range.start.line, range.end.line, all).filter(ok);
  }

  private readonly inPlace = new Map<string, { all: Finding[]; text: string; result: Finding[] }>();
  private readonly findingLines = new Map<string, { all: Finding[]; byLine: Map<number, Finding[]> }>();
  private readonly fileItems = new Map<string, { presentation: Presentation; items: Item[]; byLine?: Map<number, Item[]>; signatures?: Item[] }>();
  private readonly bufferLines = new Map<string, { text: string; lines: string[] }>();

  /** Is a finding of this open file still where it was analysed, in the buffer's current text? */
  private stillInPlace(pkg: PackageState, uri: string, text: string): (f: Finding) => boolean {
    let entry = this.bufferLines.get(uri);
    if (!entry || entry.text !== text) {
      entry = { text, lines: text.split('\n') };
      this.bufferLines.set(uri, entry);
    }
    const { lines } = entry;
    const covered = pkg.covered;
    return (f) => textAt(lines, f) === covered.get(f);
  }

  /** The presentation items of an open file (all of them, whether still in place or not), cached per analysis. */
  private itemsOfFile(uri: string): { pkg: PackageState; entry: { presentation: Presentation; items: Item[]; byLine?: Map<number, Item[]>; signatures?: Item[] } } | undefined {
    const file = toPath(uri);
    const pkg = file ? this.packages.get(path.dirname(file)) : undefined;
    if (!pkg?.presentation) return undefined;
    let entry = this.fileItems.get(uri);
    if (!entry || entry.presentation !== pkg.presentation) {
      entry = { presentation: pkg.presentation, items: pkg.presentation.items.filter((i) => i.finding.file === file) };
      this.fileItems.set(uri, entry);
    }
    return { pkg, entry };
  }

  /** Every finding of the last good analysis of the package in `dir` (open files only). */
  packageFindings(dir: string): Finding[] {
    return [...(this.packages.get(dir)?.findings.values() ?? [])].flat();
  }

  private packageOf(file: string): PackageState {
    const dir = path.dirname(file);
    let pkg = this.packages.get(dir);
    if (!pkg) {
      const state: PackageState = {
        dir, runs: 0, running: 0, publishes: 0, state: 'done', findings: new Map(), covered: new Map(),
        scheduler: new PackageScheduler((ctx) => this.analyse(state, ctx.signal, ctx.generation)),
      };
      pkg = state;
      this.packages.set(dir, pkg);
    }
    return pkg;
  }

  private openIn(dir: string): OpenDocument[] {
    return this.host.documents().filter((d) => { const p = toPath(d.uri); return !!p && path.dirname(p) === dir && p.endsWith('.go'); });
  }

  private async analyse(pkg: PackageState, signal: AbortSignal, generation: number): Promise<void> {
    const open = this.openIn(pkg.dir);
    if (open.length === 0) return;
    const s = await this.settings.get(open[0].uri);
    if (this.missingGo.has(s.goCommand)) return;
    const overlay = new Map<string, string>();
    if (s.run === 'onType') {
      for (const d of open) {
        const p = toPath(d.uri)!;
        if (readFromDisk(p) !== d.text) overlay.set(p, d.text);
      }
    }
    const tests = s.includeTests || open.some((d) => d.uri.endsWith('_test.go'));
    const env = { ...s.env, ...(insideModule(pkg.dir) ? {} : { GO111MODULE: 'off' }) };
    pkg.runs++;
    pkg.running++;
    let counted = true;
    this.setState(pkg, 'analysing');
    const progress = longRunProgress(this.host, path.basename(pkg.dir), () => pkg.scheduler.cancel());
    const stalls = stallMonitor();
    // Between the slices of the analysis (and the pieces of output parsed as they come).
    const watch = setInterval(() => this.collectIfGrown(pkg), 20);
    const memory: string[] = [];
    const t0 = performance.now();
    // Everything a publish needs that depends only on the analysis: run by analyzePackage on its result,
    // while the backend still runs when the compile's output came early (core/run/earlyOutput.ts).
    const prepare = (r: AnalysisResult, sig?: AbortSignal): Promise<Prepared> => this.prepare(pkg, s, r, overlay, sig);
    try {
      const r = await analyzePackage({
        onPhase: (phase) => { memory.push(`${phase} ${mb()}`); progress.phase(phase); },
        dir: pkg.dir, goCommand: s.goCommand, mode: tests ? 'test' : 'build', gcflags: s.gcflags, buildFlags: s.buildFlags,
        env, overlay, timeoutMs: s.timeoutSeconds * 1000, signal, sources: this.sources, all: s.showNonEscaping || s.showInlining,
        // The compile's output is analysed (and prepared for publishing) while its backend runs, and kept
        // if go then prints the same.
        early: true,
        prepare: (r, sig) => (r.errors.length > 0 ? Promise.resolve(undefined) : prepare(r, sig)),
        // The output is logged only when the build fails: else (no early analysis) it is parsed as it comes, never kept whole.
        outputOnFailure: true,
        // Only open files are shown: locating the rest would be work nobody sees (opening one re-analyses),
        // unless the Escapes view shows the whole package.
        onlyFiles: this.escapesViewOpen ? undefined : new Set(open.map((d) => toPath(d.uri)!)),
        // A first build may download the toolchain go.mod asks for: say so rather than look stuck.
        onDownload: (n) => {
          pkg.downloading = n.kind === 'toolchain' ? `Go toolchain ${n.what}` : `module ${n.what}`;
          this.host.log(`[${pkg.dir}] the go command is downloading ${pkg.downloading}`);
          this.sendStatus(pkg);
        },
      });
      memory.push(`analysed ${mb()}`);
      const tAnalysed = performance.now();
      pkg.downloading = undefined;
      progress.done();
      pkg.whole = this.escapesViewOpen;
      pkg.running--;
      counted = false;
      if (!pkg.scheduler.isLatest(generation)) return;
      this.host.log(`[${pkg.dir}] go ${r.args.join(' ')}: ${r.compileMs.toFixed(0)} ms, analysis ${r.analyzeMs.toFixed(0)} ms after it` +
        `${r.early === 'used' ? ' (analysed while compiling)' : r.early === 'redone' ? ' (early output not as printed: analysed again)' : ''}, ` +
        `${r.findings.length} findings${r.errors.length ? `, ${r.errors.length} errors` : ''}`);
      if (r.errors.length > 0) {
        // While the user types, most saves do not build: keep the last good findings whose text is still in
        // place (marked stale in the hover) instead of clearing every squiggle of the package.
        pkg.stale = pkg.findings.size > 0;
        pkg.contracts = undefined;
        this.host.log(r.output);
        await this.publishPackage(pkg, s, 'failed', `build failed: ${firstError(r.errors[0])}`, undefined, signal);
        return;
      }
      // The compiler's whole output (51 MB for a 600k-line one) is not needed past this point, while the
      // presentation, the publishing and the fix verification that follow keep `r` alive.
      r.output = '';
      // Prepared while the backend still ran when the compile's output came early; else now.
      const prepared = (r.prepared as Prepared | undefined) ?? await prepare(r, signal);
      pkg.contracts = r.contracts;
      pkg.actions = prepared.actions;
      pkg.fixes = undefined;
      await this.publishPackage(pkg, s, 'done', await this.note(pkg, s, prepared.findings),
        { findings: prepared.findings, covered: prepared.covered, stale: false }, signal, prepared.view);
      const tPublished = performance.now();
      this.host.log(`[${pkg.dir}] published ${(tPublished - t0 - r.compileMs).toFixed(0)} ms after go exited ` +
        `(${(tPublished - tAnalysed).toFixed(0)} ms after the analysis); longest event-loop stall ${stalls.stop().toFixed(0)} ms; heap MB at ${memory.join(', ')}, published ${mb()}`);
      // After the messages already queued (a hover sent while publishing), and not once a newer analysis runs.
      this.collectWhenQuiet(pkg, generation);
      if (s.quickFixes && !signal.aborted) {
        // After publishing: squiggles never wait for fix verification. A lightbulb asked for meanwhile on a
        // finding with a candidate waits for it (bounded, see fixesReady); the others answer at once.
        const read = (p: string) => overlay.get(p) ?? readFromDisk(p);
        let finish = () => {};
        const verifying = { targets: new Set<string>(), done: new Promise<void>((res) => { finish = res; }) };
        pkg.verifying = verifying;
        try {
          const fixes = await packageFixes(pkg.dir, r.findings, read, this.sources, {
            goCommand: s.goCommand, mode: tests ? 'test' : 'build', gcflags: s.gcflags, buildFlags: s.buildFlags,
            env, timeoutMs: s.timeoutSeconds * 1000, signal, overlay,
          }, (targets) => { for (const t of targets) verifying.targets.add(t); });
          if (!signal.aborted && pkg.scheduler.isLatest(generation)) {
            pkg.fixes = fixes;
            this.sendStatus(pkg);
          }
        } finally {
          if (pkg.verifying === verifying) pkg.verifying = undefined;
          finish();
        }
      }
    } catch (e) {
      pkg.downloading = undefined;
      progress.done();
      if (counted) pkg.running = Math.max(0, pkg.running - 1);
      if (e instanceof CancelledError) return;
      const message = (e as Error).message;
      this.host.log(`[${pkg.dir}] ${message}`);
      if (e instanceof GoNotFoundError) this.missingGo.add(s.goCommand);
      await this.publishPackage(pkg, s, 'failed', message, { findings: new Map(), covered: new Map(), stale: false });
      if (e instanceof GoNotFoundError) this.host.showError(message);
    } finally {
      clearInterval(watch);
      stalls.stop();
    }
  }

  /** A good analysis' findings by file, the text each covers, the policy's actions and the view to publish. */
  private async prepare(pkg: PackageState, s: Settings, r: AnalysisResult, overlay: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<Prepared> {
    if (s.heapProfile) await this.weighByProfile(r.findings, s, pkg.dir);
    const actions = policyActions(this.policies.get(pkg.dir, (m) => this.host.log(`policy: ${m}`)), r.findings,
      (p) => overlay.get(p) ?? this.sources.peek(p)?.text ?? readFromDisk(p));
    this.host.decorate?.(pkg.dir, r.findings);
    const texts = new Map<string, string[]>();
    // The new findings replace the last ones only when they are published (publishPackage): hovers
    // meanwhile answer from the last result.
    const findings = new Map<string, Finding[]>();
    const covered = new Map<Finding, string>();
    // One string per distinct text (generated code repeats the same expressions thousands of times).
    const coveredTexts = new Map<string, string>();
    const slices = new Slicer(signal);
    await slices.pause();
    for (const f of r.findings) {
      if (slices.due()) await slices.pause();
      if (!f.file) continue;
      let list = findings.get(f.file);
      if (!list) { list = []; findings.set(f.file, list); }
      list.push(f);
      let lines = texts.get(f.file);
      // The text the analysis located against is in the source cache: no second read.
      if (!lines) { lines = (this.sources.peek(f.file)?.text ?? overlay.get(f.file) ?? readFromDisk(f.file) ?? '').split('\n'); texts.set(f.file, lines); }
      const text = textAt(lines, f);
      let same = coveredTexts.get(text);
      if (same === undefined) coveredTexts.set(text, same = text);
      covered.set(f, same);
    }
    texts.clear();
    await slices.pause();
    const view = await this.viewOf(pkg, s, 'done', findings, covered, false, actions, signal);
    return { findings, covered, actions, view };
  }

  /**
   * One full collection after a big analysis is published, while the user reads the squiggles: V8 collects
   * its old generation only once it has grown by a factor of what survived the last collection, so the
   * analysis' garbage (hundreds of MB on a 600k-line output) stayed resident until the next analysis and
   * that one's own grew on top of it. One pause (logged) instead of a server twice the size.
   */
  private collectGarbage(pkg: PackageState, when: string, above = COLLECT_ABOVE): void {
    const before = process.memoryUsage().heapUsed;
    if (before < above) return;
    const collect = fullCollection();
    if (!collect) return;
    const t0 = performance.now();
    collect();
    this.liveAfterCollection = getHeapStatistics().used_heap_size;
    this.host.log(`[${pkg.dir}] full collection ${(performance.now() - t0).toFixed(0)} ms (${when}): heap ${(before / 1048576).toFixed(0)} → ${mb()} MB`);
  }

  /** When the editor last asked about a line (hover, code actions, inlay hints). */
  private askedAt = 0;

  /**
   * collectGarbage after publishing, once the editor has asked nothing for QUIET_BEFORE_COLLECTION_MS
   * (at most COLLECTION_WAIT_MS after publishing), and not once a newer analysis runs: the collection is a
   * pause of 20–80 ms on a 5,000-function file, and run at once it held up the hovers sent as the
   * diagnostics arrived (a third of those over 50 ms in the hover benchmark).
   */
  private collectWhenQuiet(pkg: PackageState, generation: number): void {
    const published = performance.now();
    const attempt = (): void => {
      if (!pkg.scheduler.isLatest(generation) || pkg.running !== 0) return;
      const now = performance.now();
      const quietFor = now - this.askedAt;
      if (quietFor < QUIET_BEFORE_COLLECTION_MS && now - published < COLLECTION_WAIT_MS) {
        setTimeout(attempt, QUIET_BEFORE_COLLECTION_MS - quietFor).unref();
        return;
      }
      this.collectGarbage(pkg, 'published');
    };
    // After the messages already queued (a hover sent while publishing).
    setImmediate(attempt);
  }

  /** Heap used (bytes) after the last full collection of ours. */
  private liveAfterCollection = 0;

  /**
   * Checked every 20 ms while an analysis runs (between its slices): a full collection when the last one
   * kept PAUSE_KEPT, and the heap is past PAUSE_ABOVE and has grown by PAUSE_GROWTH since. The records, then what locating
   * and presenting leave behind, are garbage that lives seconds beside the last result (kept for hovers):
   * V8 would collect them only once the heap had grown by a factor of what survived its last collection.
   */
  private collectIfGrown(pkg: PackageState): void {
    const used = getHeapStatistics().used_heap_size;
    const kept = this.liveAfterCollection;
    if (kept >= PAUSE_KEPT && used > PAUSE_ABOVE && used > kept + PAUSE_GROWTH) {
      this.collectGarbage(pkg, 'within the analysis', 0);
    }
  }

  private readonly profiles = new Map<string, { mtime: number; profile: Promise<HeapProfile> }>();

  /** Heap-profile costs on findings; the profile path is absolute or relative to the module root. */
  private async weighByProfile(findings: Finding[], s: Settings, dir: string): Promise<void> {
    const file = path.isAbsolute(s.heapProfile) ? s.heapProfile : path.join(moduleRoot(dir) ?? dir, s.heapProfile);
    let mtime: number;
    try { mtime = fs.statSync(file).mtimeMs; } catch {
      this.host.log(`goEscapeLens.heapProfile: ${file} not found`);
      return;
    }
    let entry = this.profiles.get(file);
    if (!entry || entry.mtime !== mtime) {
      entry = { mtime, profile: loadHeapProfile(file, s.goCommand, s.env, { timeoutMs: s.timeoutSeconds * 1000 }) };
      this.profiles.set(file, entry);
    }
    try {
      weigh(findings, await entry.profile);
    } catch (e) {
      this.host.log(`goEscapeLens.heapProfile: ${(e as Error).message}`);
      this.profiles.delete(file);
    }
  }

  /** Why an open file shows nothing, when it is excluded by build constraints (asked only then). */
  private async note(pkg: PackageState, s: Settings, findings: Map<string, Finding[]>): Promise<string | undefined> {
    const silent = this.openIn(pkg.dir).filter((d) => !findings.has(toPath(d.uri)!) && /^\/\/go:build /m.test(d.text));
    if (silent.length === 0) return undefined;
    try {
      const ignored = new Set(await ignoredGoFiles({ dir: pkg.dir, goCommand: s.goCommand, env: s.env, buildFlags: s.buildFlags, timeoutMs: s.timeoutSeconds * 1000 }));
      const names = silent.map((d) => path.basename(toPath(d.uri)!)).filter((n) => ignored.has(n));
      return names.length ? `${names.join(', ')} excluded by build constraints (set goEscapeLens.buildFlags, e.g. -tags=...)` : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Publishes every open file of the package (the one last saved or opened first), then the status: a
   * client seeing the state sees its diagnostics. `next`: the findings of a new analysis, which replace the
   * package's only once their presentation (computed in slices) is ready; a newer publish makes this one moot.
   */
  private async publishPackage(pkg: PackageState, s: Settings, state: StatusState, message?: string,
    next?: { findings: Map<string, Finding[]>; covered: Map<Finding, string>; stale: boolean }, signal?: AbortSignal, prepared?: View): Promise<void> {
    const seq = ++pkg.publishes;
    const findings = next?.findings ?? pkg.findings;
    const covered = next?.covered ?? pkg.covered;
    const stale = next?.stale ?? !!pkg.stale;
    // A view prepared earlier holds while the open files are those it was made for, with the same texts.
    const view = prepared && state === 'done' && this.stillFor(pkg, prepared) ? prepared
      : await this.viewOf(pkg, s, state, findings, covered, stale, pkg.actions, signal);
    const { presentation, byFile, indexes } = view;
    const open = this.openIn(pkg.dir);
    if (seq !== pkg.publishes) return;
    pkg.findings = findings;
    pkg.covered = covered;
    pkg.stale = stale;
    pkg.state = state;
    pkg.message = message;
    pkg.presentation = presentation;
    if (presentation) {
      for (const d of open) this.fileItems.set(d.uri, { presentation, items: byFile.get(toPath(d.uri)!) ?? [], byLine: indexes.get(d.uri) });
    }
    // The file the user just saved first: its squiggles are the ones awaited.
    const order = [...open].sort((a, b) => Number(toPath(b.uri) === pkg.lastFile) - Number(toPath(a.uri) === pkg.lastFile));
    for (const d of order) {
      const file = toPath(d.uri)!;
      const shown = drawnItems(byFile.get(file) ?? [], s);
      // Contracts are shown for the text they were checked on (unsaved edits wait for the next analysis).
      const generated = !s.showInGeneratedFiles && GENERATED.test(d.text);
      const contracts = generated || pkg.state !== 'done' || (s.run === 'onSave' && d.text !== readFromDisk(file)) ? [] : contractDiagnostics(pkg.contracts, file);
      this.host.publish(d.uri, [...contracts, ...shown.map(toDiagnostic)], d.version);
    }
    this.sendStatus(pkg);
    this.host.escapesChanged?.();
  }

  /** What a publish shows of `findings`: those still in place in the open buffers, presented, by file, with hover indexes. */
  private async viewOf(pkg: PackageState, s: Settings, state: StatusState, findings: Map<string, Finding[]>, covered: Map<Finding, string>,
    stale: boolean, actions: Map<Finding, Action> | undefined, signal?: AbortSignal): Promise<View> {
    const open = this.openIn(pkg.dir);
    // The findings still in place: an open buffer edited since (or a build that failed since) keeps only
    // those whose text is where it was.
    const current: Finding[] = [];
    const openFiles = new Map(open.map((d) => [toPath(d.uri)!, d]));
    const slices = new Slicer(signal);
    for (const [file, list] of findings) {
      const d = openFiles.get(file);
      if (d && (stale || d.text !== readFromDisk(file))) {
        const lines = d.text.split('\n');
        for (const f of list) {
          if (slices.due()) await slices.pause();
          if (textAt(lines, f) === covered.get(f)) current.push(f);
        }
        continue;
      }
      for (const f of list) current.push(f);
    }
    // The project's policy (.escapelens.json) decides before the presentation rules (rule `policy`).
    const presentation = state === 'off' ? undefined
      : await presentAsync(current, s, this.codeContext(), (f) => policySeverity(f, s, actions), { signal });
    const byFile = new Map<string, Item[]>();
    for (const i of presentation?.items ?? []) {
      if (slices.due()) await slices.pause();
      const list = byFile.get(i.finding.file);
      if (list) list.push(i); else byFile.set(i.finding.file, [i]);
    }
    // The open files' hover indexes, built here in slices rather than by the first hover after the swap.
    const indexes = new Map<string, Map<number, Item[]>>();
    for (const d of open) {
      const items = byFile.get(toPath(d.uri)!) ?? [];
      const byLine = new Map<number, Item[]>();
      for (const i of items) {
        if (slices.due()) await slices.pause();
        addLines(byLine, i, itemRanges(i));
      }
      indexes.set(d.uri, byLine);
    }
    return { presentation, byFile, indexes, texts: new Map(open.map((d) => [d.uri, d.text])) };
  }

  /** The open files of the package are those the view was made for, with the same texts. */
  private stillFor(pkg: PackageState, view: View): boolean {
    const open = this.openIn(pkg.dir);
    return open.length === view.texts.size && open.every((d) => view.texts.get(d.uri) === d.text);
  }

  /** The presentation items of an open file whose findings are still in place. */
  itemsFor(uri: string, currentText: string): { items: Item[]; stale: boolean } {
    const of = this.itemsOfFile(uri);
    if (!of) return { items: [], stale: false };
    const ok = this.stillInPlace(of.pkg, uri, currentText);
    return { items: of.entry.items.filter((i) => i.members.every(ok)), stale: !!of.pkg.stale };
  }

  /**
   * The items of `itemsFor` that touch line `line` (by their drawn range or a member's), in the same order.
   * A hover asks about one spot: with 50,000 findings in a file a scan of all of them per hover costs more
   * than the hover's budget, so the file's items are indexed by line once per analysis, and only those on
   * the line are checked against the buffer.
   */
  itemsOnLine(uri: string, currentText: string, line: number): { items: Item[]; stale: boolean } {
    this.askedAt = performance.now();
    const of = this.itemsOfFile(uri);
    if (!of) return { items: [], stale: false };
    of.entry.byLine ??= linesIndex(of.entry.items, itemRanges);
    const ok = this.stillInPlace(of.pkg, uri, currentText);
    return { items: (of.entry.byLine.get(line) ?? []).filter((i) => i.members.every(ok)), stale: !!of.pkg.stale };
  }

  /** The parameter-summary items of `itemsFor` within lines `from`..`to` (inlay hints ask for every visible range, often). */
  signatureItems(uri: string, currentText: string, from: number, to: number): Item[] {
    this.askedAt = performance.now();
    const of = this.itemsOfFile(uri);
    if (!of) return [];
    of.entry.signatures ??= of.entry.items.filter((i) => i.display === 'signature');
    const ok = this.stillInPlace(of.pkg, uri, currentText);
    return of.entry.signatures.filter((i) => i.range.end.line >= from && i.range.start.line <= to && i.members.every(ok));
  }

  /**
   * The source facts presentation asks for, read now: open buffers, else the disk. Not the cache's last
   * entry (`peek`): fix verification parses rewritten texts under the same paths. Memoised per context.
   */
  codeContext(): CodeContext {
    const memo = new Map<string, GoSource | undefined>();
    const read = (p: string) => this.host.documents().find((d) => toPath(d.uri) === p)?.text ?? readFromDisk(p);
    return sourceContext((p) => {
      if (!memo.has(p)) memo.set(p, this.sources.get(p, read));
      return memo.get(p);
    });
  }

  /**
   * Waits (at most `ms`) for a fix verification under way in the package of `uri` when it has a candidate
   * among `targets`: the first Ctrl+. after a save then shows the fix instead of nothing.
   */
  async fixesReady(uri: string, targets: readonly string[], ms: number): Promise<void> {
    const file = toPath(uri);
    const v = file ? this.packages.get(path.dirname(file))?.verifying : undefined;
    if (!v || !targets.some((t) => v.targets.has(t))) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([v.done, new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
    clearTimeout(timer);
  }

  /** The Escapes view's tree over every analysed package; the first call makes later analyses cover whole packages. */
  escapes(params: EscapesParams): EscapesTree {
    if (!this.escapesViewOpen) {
      this.escapesViewOpen = true;
      for (const pkg of this.packages.values()) if (!pkg.whole && pkg.state !== 'off') void pkg.scheduler.request(0).catch(() => undefined);
    }
    const pkgs = [...this.packages.values()].filter((p) => p.presentation).map((p) => ({
      name: p.presentation!.items.find((i) => i.finding.pkg)?.finding.pkg ?? path.basename(p.dir), dir: p.dir, items: p.presentation!.items,
    }));
    return escapesTree(pkgs, params.groupBy, params.filter);
  }

  private setState(pkg: PackageState, state: StatusState, message?: string): void {
    pkg.state = state;
    pkg.message = message;
    this.sendStatus(pkg);
  }

  /** The last counts, kept while the presentation and the open files stay the same. */
  private lastCounts?: { presentation?: Presentation; uris: string; counts: StatusCounts };

  /**
   * The status bar's counts: one pass over the package's items, made once per presentation and set of
   * open files (a status goes out at every state change; on a 5,000-function file each pass over its
   * 70,000 items was a 12–15 ms stall as an analysis started).
   */
  private statusCounts(presentation: Presentation | undefined, uris: string[]): StatusCounts {
    const key = uris.join('\n');
    if (this.lastCounts && this.lastCounts.presentation === presentation && this.lastCounts.uris === key) return this.lastCounts.counts;
    const byFile = new Map<string, { heap: number; hints: number; findings: number; suppressed: number }>();
    for (const u of uris) byFile.set(toPath(u)!, { heap: 0, hints: 0, findings: 0, suppressed: 0 });
    let packageSquiggles = 0;
    let packageFindings = 0;
    for (const i of presentation?.items ?? []) {
      if (i.display === 'squiggle') packageSquiggles++;
      packageFindings += i.members.length;
      const c = byFile.get(i.finding.file);
      if (!c) continue;
      // The same numbers the Problems panel (squiggles) and the Escapes view (every finding) show for this file.
      if (i.display === 'squiggle') c.heap++;
      if (i.display === 'hint') c.hints++;
      c.findings += i.members.length;
      if (i.finding.suppressed !== undefined) c.suppressed++;
    }
    const counts = { byFile, packageSquiggles, packageFindings };
    this.lastCounts = { presentation, uris: key, counts };
    return counts;
  }

  private sendStatus(pkg: PackageState): void {
    const uris = this.openIn(pkg.dir).map((d) => d.uri);
    const { byFile, packageSquiggles, packageFindings } = this.statusCounts(pkg.presentation, uris);
    const heap: Record<string, number> = {};
    const hints: Record<string, number> = {};
    const findings: Record<string, number> = {};
    const suppressed: Record<string, number> = {};
    for (const uri of uris) {
      const c = byFile.get(toPath(uri)!)!;
      heap[uri] = c.heap;
      hints[uri] = c.hints;
      findings[uri] = c.findings;
      suppressed[uri] = c.suppressed;
    }
    this.host.status({
      dir: pkg.dir, uris, state: pkg.state, heap, hints, findings, suppressed, message: pkg.message, runs: pkg.runs, running: pkg.running,
      fixes: pkg.fixes ? pkg.fixes.byTarget.size : undefined,
      packageSquiggles,
      packageFindings,
      wholePackage: !!pkg.whole,
      stale: !!pkg.stale,
      ...(pkg.downloading ? { downloading: pkg.downloading } : {}),
    });
  }
}

/**
 * The longest time the event loop was blocked (ms) from now until stop(): what a hover arriving at the
 * worst moment waited for. Logged per analysis so the benchmark (and a user's log) shows it.
 */
function stallMonitor(): { stop(): number } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let max: number | undefined;
  return { stop: () => { if (max === undefined) { h.disable(); max = h.max / 1e6; } return max; } };
}

interface StatusCounts {
  byFile: Map<string, { heap: number; hints: number; findings: number; suppressed: number }>;
  packageSquiggles: number;
  packageFindings: number;
}

/** Heap used / resident set, MB, for the log. */
function mb(): string {
  const m = process.memoryUsage();
  return `${(m.heapUsed / 1048576).toFixed(0)}/${(m.rss / 1048576).toFixed(0)}`;
}

function toPath(uri: string): string | undefined {
  // Either spelling of a Windows URI (`file:///c%3A/…`, `file:///C:/…`) gives the same path.
  return uriToPath(uri);
}


/** Things by each line one of their ranges covers, in the given order. */
function linesIndex<T>(things: readonly T[], ranges: (t: T) => readonly Range[]): Map<number, T[]> {
  const byLine = new Map<number, T[]>();
  for (const t of things) addLines(byLine, t, ranges(t));
  return byLine;
}

function addLines<T>(byLine: Map<number, T[]>, t: T, ranges: readonly Range[]): void {
  for (const r of ranges) {
    for (let l = r.start.line; l <= r.end.line; l++) {
      const list = byLine.get(l);
      if (!list) byLine.set(l, [t]);
      else if (list[list.length - 1] !== t) list.push(t);
    }
  }
}

/** Where a hover finds an item: its drawn range, or one of its findings' (a group's operands). */
function itemRanges(i: Item): Range[] {
  return [i.range, ...i.members.map((m) => m.range)];
}

/** What the index of `all` holds on lines `from`..`to`, once each, in the order of `all`. */
function onLines<T>(byLine: Map<number, T[]>, from: number, to: number, all: readonly T[]): T[] {
  if (from === to) return byLine.get(from) ?? [];
  const seen = new Set<T>();
  for (let l = from; l <= to; l++) for (const t of byLine.get(l) ?? []) seen.add(t);
  return all.filter((t) => seen.has(t));
}

/**
 * Long loops on the message loop, cut into slices of at most SLICE_MS: a hover waits one slice at most,
 * and a newer analysis (the signal) stops this one between slices.
 */
class Slicer {
  private since = performance.now();
  private n = 0;
  constructor(private readonly signal?: AbortSignal) {}

  /** Call once per unit of work: is the slice used up (then `await pause()`)? */
  due(): boolean {
    return (++this.n & 63) === 0 && performance.now() - this.since >= SLICE_MS;
  }

  /** Yields to the event loop now (a macrotask: pending messages are handled first). */
  async pause(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    if (this.signal?.aborted) throw new CancelledError();
    this.since = performance.now();
  }
}

const SLICE_MS = 5;

function textAt(lines: string[], f: Finding): string {
  const { start, end } = f.range;
  if (start.line >= lines.length) return '';
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), (lines[end.line] ?? '').slice(0, end.character)].join('\n');
}

function firstError(e: { message: string; file?: string; range?: { start: { line: number; character: number } } }): string {
  const where = e.file && e.range ? `${path.basename(e.file)}:${e.range.start.line + 1}:${e.range.start.character + 1}: ` : '';
  return where + e.message.split('\n')[0];
}
