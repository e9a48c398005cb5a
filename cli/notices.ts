// What the CLI says on stderr while it works: why nothing is printed yet (a toolchain download, the Go
// helper built elsewhere) and the one progress line a terminal shows, rewritten in place.
import { onHelperNote } from '../core/gohelper/goHelper';
import type { DownloadNotice } from '../core/run/downloads';

/** Erases the progress line (carriage return, erase to the end of the line). */
export const clearLine = '\r\x1b[K';

/** Writes one line of ours on stderr (after clearing the progress line, when one is shown). */
export function say(line: string, progress = false): void {
  process.stderr.write(`${progress ? clearLine : ''}go-escape-lens: ${line}\n`);
}

// A first build may fetch the toolchain go.mod asks for (minutes): say why nothing is printed yet, once.
const toldToolchains = new Set<string>();
export function toolchainNotice(n: DownloadNotice, progress = false): void {
  if (n.kind !== 'toolchain' || toldToolchains.has(n.what)) return;
  toldToolchains.add(n.what);
  say(`the go command is downloading Go toolchain ${n.what} (go.mod asks for it)…`, progress);
}

/** The Go helper's notes (built in a temp dir when the user cache dir cannot be written), one line each. */
export function sayHelperNotes(): void {
  onHelperNote((note) => say(`note: ${note}`));
}

/** The progress line: on a terminal only, never with --json (stdout is then a document). */
export class Progress {
  constructor(readonly on: boolean) {}

  show(text: string): void {
    if (this.on) process.stderr.write(`${clearLine}${text}`);
  }

  clear(): void {
    if (this.on) process.stderr.write(clearLine);
  }
}
