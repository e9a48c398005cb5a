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

const NOTICE = Buffer.from('go: downloading ');

/** Calls `onNotice` for each download line of `stream` as it is printed (CRLF or LF). */
export function watchDownloads(stream: Readable | null | undefined, onNotice: (n: DownloadNotice) => void): void {
  if (!stream) return;
  // The bytes after the last newline seen: a line split between chunks.
  let rest: Buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const text = rest.length ? Buffer.concat([rest, b]) : b;
    const last = text.lastIndexOf(10);
    // A copy: a view would keep the whole chunk alive.
    rest = Buffer.from(text.subarray(last + 1));
    // -m=2 output is megabytes of lines that never say "go: downloading": searched as bytes, never decoded.
    if (last < 0 || text.indexOf(NOTICE) === -1) return;
    // latin1 is enough: module paths and toolchain names are ASCII.
    for (const l of text.toString('latin1', 0, last).split('\n')) {
      if (!l.startsWith('go: downloading ')) continue;
      const n = downloadNotice(l.replace(/\r$/, ''));
      if (n) onNotice(n);
    }
  });
}
