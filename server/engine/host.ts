// What the engine needs from the editor, and nothing more: the open documents, somewhere to publish
// diagnostics and status, a log. The LSP wiring (server/main.ts) implements it over a connection; the
// engine's tests implement it in memory and record what is published.
import type { Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../../core/model';
import { uriToPath } from '../../core/platform';
import type { Progress } from './progress';
import type { StatusParams } from '../protocol';

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
  /** Starts a cancellable work-done progress (an analysis that runs longer than a second). */
  progress?(title: string): Promise<Progress>;
}

/** The file of a document URI; either spelling of a Windows URI (`file:///c%3A/…`, `file:///C:/…`) gives the same path. */
export function toPath(uri: string): string | undefined {
  return uriToPath(uri);
}
