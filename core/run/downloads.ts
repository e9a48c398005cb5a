// What the go command downloads before it can build: the toolchain a go.mod's `toolchain` (or `go`) line
// asks for under GOTOOLCHAIN=auto (a hundred MB and more on first use), or modules missing from the cache.
// It says so on stderr, one line before each download; callers show it instead of looking stuck.
import type { Readable } from 'node:stream';

export interface DownloadNotice {
  kind: 'toolchain' | 'module';
  /** `go1.23.4 (linux/amd64)` for a toolchain, `github.com/x/y v1.2.3` for a module. */
  what: string;
}

// `go: downloading go1.23.4 (linux/amd64)` (cmd/go/internal/modfetch shortens golang.org/toolchain versions).
const TOOLCHAIN = /^go: downloading (go\d+(?:\.\d+)*(?:rc\d+|beta\d+)?(?: \([\w/]+\))?)\s*$/;
// `go: downloading github.com/gorilla/mux v1.8.1`
const MODULE = /^go: downloading (\S+ v\S+)\s*$/;

export function downloadNotice(line: string): DownloadNotice | undefined {
  let m = TOOLCHAIN.exec(line);
  if (m) return { kind: 'toolchain', what: m[1] };
  m = MODULE.exec(line);
  return m ? { kind: 'module', what: m[1] } : undefined;
}

/** Calls `onNotice` for each download line of `stream` as it is printed (CRLF or LF). */
export function watchDownloads(stream: Readable | null | undefined, onNotice: (n: DownloadNotice) => void): void {
  if (!stream) return;
  let rest = '';
  stream.on('data', (chunk: Buffer | string) => {
    // latin1: the cheapest decoding, and the lines looked for are ASCII (module paths and toolchain names are).
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const last = text.lastIndexOf('\n');
    rest = text.slice(last + 1);
    // -m=2 output is megabytes of lines that never say "go: downloading": most chunks are not split at all.
    if (last < 0 || !text.includes('go: downloading ')) return;
    for (const l of text.slice(0, last).split('\n')) {
      if (!l.startsWith('go: downloading ')) continue;
      const n = downloadNotice(l.replace(/\r$/, ''));
      if (n) onNotice(n);
    }
  });
}
