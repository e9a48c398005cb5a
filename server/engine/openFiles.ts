// What the editor asks about an open file (code lenses, lightbulbs, hovers, inlay hints): the last good
// analysis' findings and items that still cover the same text in the buffer. They ask many times per edit,
// so each answer's costly part is cached per (buffer text, analysis) and indexed by line.
import type { GoSource } from '../../core/locate/goSource';
import { readFromDisk, type SourceCache } from '../../core/locate/sourceCache';
import type { Finding } from '../../core/model';
import { sourceContext, type CodeContext } from '../../core/present/codeContext';
import type { Item, Presentation } from '../../core/present/present';
import { toPath, type EngineHost } from './host';
import { itemRanges, linesIndex, onLines, textAt } from './lines';
import type { PackageState, Packages } from './packages';

interface FileItems { presentation: Presentation; items: Item[]; byLine?: Map<number, Item[]>; signatures?: Item[] }

export class OpenFiles {
  /** When the editor last asked about a line (hover, code actions, inlay hints). */
  lastAsked = 0;
  private readonly inPlace = new Map<string, { all: Finding[]; text: string; result: Finding[] }>();
  private readonly findingLines = new Map<string, { all: Finding[]; byLine: Map<number, Finding[]> }>();
  private readonly fileItems = new Map<string, FileItems>();
  private readonly bufferLines = new Map<string, { text: string; lines: string[] }>();

  constructor(private readonly packages: Packages) {}

  /** Findings of an open file whose ranges still cover the same text (edits since may have moved them). */
  findingsFor(uri: string, currentText: string): Finding[] {
    const file = toPath(uri);
    const pkg = this.packages.at(uri);
    if (!file || !pkg) return [];
    const all = pkg.findings.get(file) ?? [];
    const hit = this.inPlace.get(uri);
    if (hit && hit.all === all && hit.text === currentText) return hit.result;
    const result = all.filter(this.stillInPlace(pkg, uri, currentText));
    this.inPlace.set(uri, { all, text: currentText, result });
    return result;
  }

  /**
   * The findings of `findingsFor` whose ranges share a line with `range`, in the same order: a lightbulb
   * asks at every cursor move, and a scan of every finding of a big generated file each time would stall the server.
   */
  findingsOnLines(uri: string, currentText: string, range: { start: { line: number }; end: { line: number } }): Finding[] {
    this.lastAsked = performance.now();
    const file = toPath(uri);
    const pkg = this.packages.at(uri);
    if (!file || !pkg) return [];
    if (range.end.line - range.start.line > 1000) return this.findingsFor(uri, currentText);
    const all = pkg.findings.get(file) ?? [];
    let index = this.findingLines.get(uri);
    if (!index || index.all !== all) {
      index = { all, byLine: linesIndex(all, (f) => [f.range]) };
      this.findingLines.set(uri, index);
    }
    return onLines(index.byLine, range.start.line, range.end.line, all).filter(this.stillInPlace(pkg, uri, currentText));
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
   * A hover asks about one spot: the file's items are indexed by line once per analysis, and only those on
   * the line are checked against the buffer.
   */
  itemsOnLine(uri: string, currentText: string, line: number): { items: Item[]; stale: boolean } {
    this.lastAsked = performance.now();
    const of = this.itemsOfFile(uri);
    if (!of) return { items: [], stale: false };
    of.entry.byLine ??= linesIndex(of.entry.items, itemRanges);
    const ok = this.stillInPlace(of.pkg, uri, currentText);
    return { items: (of.entry.byLine.get(line) ?? []).filter((i) => i.members.every(ok)), stale: !!of.pkg.stale };
  }

  /** The parameter-summary items of `itemsFor` within lines `from`..`to` (inlay hints ask for every visible range, often). */
  signatureItems(uri: string, currentText: string, from: number, to: number): Item[] {
    this.lastAsked = performance.now();
    const of = this.itemsOfFile(uri);
    if (!of) return [];
    of.entry.signatures ??= of.entry.items.filter((i) => i.display === 'signature');
    const ok = this.stillInPlace(of.pkg, uri, currentText);
    return of.entry.signatures.filter((i) => i.range.end.line >= from && i.range.start.line <= to && i.members.every(ok));
  }

  /** A publish swapped in a new presentation: the open file's items and hover index, built while publishing. */
  published(uri: string, presentation: Presentation, items: Item[], byLine?: Map<number, Item[]>): void {
    this.fileItems.set(uri, { presentation, items, byLine });
  }

  /** A document closed: its caches go. */
  forget(uri: string): void {
    this.inPlace.delete(uri);
    this.fileItems.delete(uri);
    this.findingLines.delete(uri);
    this.bufferLines.delete(uri);
  }

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
  private itemsOfFile(uri: string): { pkg: PackageState; entry: FileItems } | undefined {
    const file = toPath(uri);
    const pkg = this.packages.at(uri);
    if (!file || !pkg?.presentation) return undefined;
    let entry = this.fileItems.get(uri);
    if (!entry || entry.presentation !== pkg.presentation) {
      entry = { presentation: pkg.presentation, items: pkg.presentation.items.filter((i) => i.finding.file === file) };
      this.fileItems.set(uri, entry);
    }
    return { pkg, entry };
  }
}

/**
 * The source facts presentation asks for, read now: open buffers, else the disk. Not the cache's last
 * entry (`peek`): fix verification parses rewritten texts under the same paths. Memoised per context.
 */
export function openCodeContext(host: EngineHost, sources: SourceCache): CodeContext {
  const memo = new Map<string, GoSource | undefined>();
  const read = (p: string) => host.documents().find((d) => toPath(d.uri) === p)?.text ?? readFromDisk(p);
  return sourceContext((p) => {
    if (!memo.has(p)) memo.set(p, sources.get(p, read));
    return memo.get(p);
  });
}
