// File paths ↔ `file:` URIs for either system, whatever the host. VS Code writes Windows URIs as
// `file:///c%3A/Users/x.go` (lower-case drive, colon encoded); Node, Neovim and most LSP clients as
// `file:///C:/Users/x.go`; UNC shares as `file://server/share/x.go`. Both are read; Node's spelling is
// written (every client parses it, and VS Code matches it to its own documents).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOST, normalizePath, type Platform } from './platform';

/** `file:` URI of an absolute path on `plat`. */
export function pathToUri(fsPath: string, plat: Platform = HOST): string {
  return pathToFileURL(normalizePath(fsPath, plat), { windows: plat.windows }).href;
}

/** The path a `file:` URI names on `plat`, drive letter normalised; undefined for other schemes or bad URIs. */
export function uriToPath(uri: string, plat: Platform = HOST): string | undefined {
  if (!/^file:/i.test(uri)) return undefined;
  try {
    return normalizePath(fileURLToPath(uri, { windows: plat.windows }), plat);
  } catch {
    return undefined;
  }
}

/** Whether two URIs name the same file on `plat` (`file:///c%3A/x` and `file:///C:/x` do on Windows). */
export function sameFileUri(a: string, b: string, plat: Platform = HOST): boolean {
  if (a === b) return true;
  const pa = uriToPath(a, plat);
  return pa !== undefined && pa === uriToPath(b, plat);
}
