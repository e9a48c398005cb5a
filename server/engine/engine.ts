// The server's work behind one façade: which package a file belongs to, when to analyse it, what to
// publish, what the editor's questions are answered from. Each job is a room of this folder:
// packages.ts (the packages with an open file), analysisRun.ts (one analysis), prepare.ts and
// publisher.ts (from findings to diagnostics), openFiles.ts (answers about an open buffer),
// fixVerification.ts, status.ts, memory.ts (forced collections). It talks to the editor only through
// the `EngineHost` it is given, so tests drive it with an in-memory host and the LSP wiring stays thin.
import * as path from 'node:path';
import type { GoSource } from '../../core/locate/goSource';
import type { SourceCache } from '../../core/locate/sourceCache';
import type { Finding } from '../../core/model';
import type { ContractReport } from '../../core/model/contracts';
import type { CodeContext } from '../../core/present/codeContext';
import type { EscapesTree } from '../../core/present/escapesTree';
import type { Item } from '../../core/present/present';
import { pathToUri } from '../../core/platform';
import type { PackageFixes } from './fixVerification';
import type { EscapesParams } from '../protocol';
import type { SettingsCache } from '../settings';
import { analyse } from './analysisRun';
import { fixesFor, fixesReady } from './fixVerification';
import { toPath, type EngineHost } from './host';
import { ForcedCollections } from './memory';
import { OpenFiles, openCodeContext } from './openFiles';
import { Packages } from './packages';
import { Preparer } from './prepare';
import { Publisher } from './publisher';
import { readOnlyTree } from './readOnlyTrees';
import { Status } from './status';

export type { EngineHost, OpenDocument } from './host';

export class Engine {
  private readonly packages: Packages;
  private readonly openFiles: OpenFiles;
  private readonly publisher: Publisher;
  private readonly status: Status;
  private readonly missingGo = new Set<string>();

  constructor(private readonly host: EngineHost, private readonly settings: SettingsCache, private readonly sources: SourceCache, private readonly trusted: boolean) {
    this.packages = new Packages(host, (pkg, ctx) => analyse(rooms, pkg, ctx));
    this.openFiles = new OpenFiles(this.packages);
    this.status = new Status(host, this.packages);
    this.publisher = new Publisher(host, this.packages, this.openFiles, this.status, sources);
    const rooms = {
      host, settings, sources, packages: this.packages, status: this.status, publisher: this.publisher,
      preparer: new Preparer(host, sources, this.publisher), missingGo: this.missingGo,
      watch: new ForcedCollections((m) => host.log(m), () => this.openFiles.lastAsked),
    };
  }

  /** A document was opened, saved or (in onType mode) changed; resolves once an analysis started after it has ended. */
  async onEvent(uri: string, event: 'open' | 'save' | 'change'): Promise<void> {
    const file = toPath(uri);
    if (!file || !file.endsWith('.go')) return;
    const s = await this.settings.get(uri);
    // Keystrokes in onSave mode cost nothing beyond this check.
    if (event === 'change' && s.run !== 'onType') return;
    const pkg = this.packages.of(file);
    pkg.lastFile = file;
    if (!this.trusted || !s.enable) {
      await this.publisher.publish(pkg, s, 'off', this.trusted ? 'disabled by goEscapeLens.enable' : 'untrusted workspace: nothing runs');
      return;
    }
    const readOnly = await readOnlyTree(file, s);
    if (readOnly) {
      // Nothing of it in the Problems panel, not even what an older version of the extension published.
      this.host.publish(uri, []);
      this.status.set(pkg, 'excluded', `${readOnly} is not analysed`);
      return;
    }
    // Saves and opens coalesce within the same turn of the event loop ("Save All" sends them back to back).
    await pkg.scheduler.request(event === 'change' ? s.debounceMs : 0);
  }

  /** Re-analyse every package that has an open file (settings changed, or the user asked), or those `within` a folder. */
  async reanalyzeAll(within?: string): Promise<void> {
    this.missingGo.clear();
    const inside = (d: string) => !within || d === within || d.startsWith(within + path.sep);
    const dirs = new Set(this.host.documents().map((d) => toPath(d.uri)).filter((p): p is string => !!p && p.endsWith('.go')).map(path.dirname).filter(inside));
    await Promise.all([...dirs].map((d) => this.onEvent(pathToUri(path.join(d, 'x.go')), 'open').catch(() => undefined)));
  }

  /**
   * A project policy (.escapelens.json) was saved, created or deleted: the open packages it may govern (those
   * in its folder and below) are analysed again, as they are when a Go file is saved.
   */
  policyChanged(file: string): Promise<void> { return this.reanalyzeAll(path.dirname(file)); }

  async reanalyze(uri: string): Promise<void> {
    this.missingGo.clear();
    await this.onEvent(uri, 'open');
  }

  /** A document closed: its diagnostics clear; its package goes (its analysis cancelled) with its last open file. */
  onClose(uri: string): void {
    this.host.publish(uri, []);
    this.openFiles.forget(uri);
    this.packages.closed(uri);
  }

  /** Findings of an open file whose ranges still cover the same text (edits since may have moved them). */
  findingsFor(uri: string, currentText: string): Finding[] { return this.openFiles.findingsFor(uri, currentText); }

  /** The findings of `findingsFor` that share a line with `range`, in the same order. */
  findingsOnLines(uri: string, currentText: string, range: { start: { line: number }; end: { line: number } }): Finding[] {
    return this.openFiles.findingsOnLines(uri, currentText, range);
  }

  /** The presentation items of an open file whose findings are still in place. */
  itemsFor(uri: string, currentText: string): { items: Item[]; stale: boolean } { return this.openFiles.itemsFor(uri, currentText); }

  /** The items of `itemsFor` that touch line `line`. */
  itemsOnLine(uri: string, currentText: string, line: number): { items: Item[]; stale: boolean } { return this.openFiles.itemsOnLine(uri, currentText, line); }

  /** The parameter-summary items of `itemsFor` within lines `from`..`to`. */
  signatureItems(uri: string, currentText: string, from: number, to: number): Item[] { return this.openFiles.signatureItems(uri, currentText, from, to); }

  /** Every finding of the last good analysis of the package in `dir` (open files only). */
  packageFindings(dir: string): Finding[] { return [...(this.packages.get(dir)?.findings.values() ?? [])].flat(); }

  /** Verified fixes for an open file, if its text is still the one they were verified on. */
  fixesFor(uri: string, currentText: string): PackageFixes | undefined { return fixesFor(this.packages.at(uri), toPath(uri), currentText); }

  /** Waits (at most `ms`) for a fix verification under way with a candidate among `targets`. */
  fixesReady(uri: string, targets: readonly string[], ms: number): Promise<void> { return fixesReady(this.packages.at(uri), targets, ms); }

  /** The contracts of an open file's package (last good analysis). */
  contractsFor(uri: string): ContractReport | undefined { return this.packages.at(uri)?.contracts; }

  /** The parsed source of an open document's current text. */
  sourceFor(uri: string, text: string): GoSource | undefined {
    const file = toPath(uri);
    return file ? this.sources.get(file, () => text) : undefined;
  }

  /** The source facts presentation asks for: open buffers, else the disk. */
  codeContext(): CodeContext { return openCodeContext(this.host, this.sources); }

  /** The Escapes view's tree over every analysed package; the first call makes later analyses cover whole packages. */
  escapes(params: EscapesParams): EscapesTree { return this.packages.escapes(params); }
}
