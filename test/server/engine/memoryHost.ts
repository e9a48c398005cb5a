// An EngineHost in memory, as the engine's tests drive it: documents are kept here (opened from a file or
// from a text), and everything the engine sends out (diagnostics, status, log lines, errors) is recorded
// in one ordered list of events.
import * as fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver';
import { pathToUri } from '../../../core/platform';
import type { EngineHost, OpenDocument } from '../../../server/engine/engine';
import type { StatusParams } from '../../../server/protocol';

export type HostEvent =
  | { kind: 'publish'; uri: string; diagnostics: Diagnostic[]; version?: number }
  | { kind: 'status'; params: StatusParams }
  | { kind: 'log'; message: string }
  | { kind: 'error'; message: string };

export class MemoryHost implements EngineHost {
  readonly events: HostEvent[] = [];
  /** Called with each status as it is sent (a test may act at a given state). */
  onStatus?: (p: StatusParams) => void;
  private readonly docs = new Map<string, OpenDocument>();

  documents(): OpenDocument[] { return [...this.docs.values()]; }
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void { this.events.push({ kind: 'publish', uri, diagnostics, version }); }
  status(params: StatusParams): void { this.events.push({ kind: 'status', params }); this.onStatus?.(params); }
  log(message: string): void { this.events.push({ kind: 'log', message }); }
  showError(message: string): void { this.events.push({ kind: 'error', message }); }

  /** Opens `file` with its text on disk (or `text`); returns its URI. */
  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const uri = pathToUri(file);
    this.docs.set(uri, { uri, version: 1, text });
    return uri;
  }

  /** Writes `text` to `file` and to its open document, as an editor's save does. */
  save(file: string, text: string): string {
    fs.writeFileSync(file, text);
    const uri = pathToUri(file);
    const d = this.docs.get(uri);
    this.docs.set(uri, { uri, version: (d?.version ?? 0) + 1, text });
    return uri;
  }

  close(uri: string): void { this.docs.delete(uri); }

  /** The diagnostics last published for `uri`. */
  diagnostics(uri: string): Diagnostic[] | undefined {
    return this.publishes(uri).at(-1)?.diagnostics;
  }

  publishes(uri: string): { diagnostics: Diagnostic[]; version?: number }[] {
    return this.events.flatMap((e) => (e.kind === 'publish' && e.uri === uri ? [e] : []));
  }

  /** The statuses sent for the package of `uri`, in order. */
  statuses(uri: string): StatusParams[] {
    return this.events.flatMap((e) => (e.kind === 'status' && e.params.uris.includes(uri) ? [e.params] : []));
  }

  logs(): string[] {
    return this.events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
  }
}
