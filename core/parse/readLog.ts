// Reads a saved compiler log (`--input`: a file, a named pipe or standard input) through the output
// parser in chunks, inspecting it in the same pass: memory holds the records, never the log, and the
// event loop runs between chunks (the parser helper answers meanwhile). Same answers as reading the whole
// text and calling inspectLog, then parseOutput with `exitCode: verdict.failed ? 1 : 0`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, removeTempDir } from '../run/processes';
import type { LogVerdict } from './inspectLog';
import { OutputParser, type ParsedOutput } from './parse';

/**
 * Bytes read at a time. Small enough that each chunk's text is a young-generation string (V8 puts
 * strings over ~128 kB straight into the old generation): 1 MiB chunks left ~45 MB of dead text of a
 * 45 MB log in memory until a full collection, beside the records (peak 290 → 250 MB while reading).
 */
const CHUNK = 64 * 1024;

export interface ReadLogOptions {
  heapOnly?: boolean;
  /** Told each path a summary or block header names (as printed), the first time it is read. */
  onPath?: (printed: string) => void;
  /** Bytes read at a time (default 64 KiB; tests make it small to cut lines and characters). */
  chunkBytes?: number;
  /** Sees the log's text as it is parsed (first pass), in pieces cut at line ends: the contracts' reader. */
  onText?: (text: string) => void;
}

export interface ReadLog { verdict: LogVerdict; parsed: ParsedOutput }

/**
 * `source`: a path, or a file descriptor (0: standard input). Opening a path throws as readFileSync does
 * (ENOENT, EACCES, EISDIR on the first read).
 */
export async function readLog(source: string | number, options: ReadLogOptions = {}): Promise<ReadLog> {
  const fd = typeof source === 'number' ? source : fs.openSync(source, 'r');
  let spool: { dir: string; fd: number; file: string } | undefined;
  try {
    const regular = fs.fstatSync(fd).isFile();
    const first = new OutputParser({ heapOnly: options.heapOnly, inspect: true });
    first.onPath = options.onPath;
    if (!regular) {
      // A pipe is read once: kept in a temp file in case it must be read again (below).
      const dir = makeTempDir();
      const file = path.join(dir, 'log');
      spool = { dir, file, fd: fs.openSync(file, 'w+') };
    }
    const chunk = options.chunkBytes ?? CHUNK;
    await feed(fd, regular, first, chunk, spool?.fd, options.onText);
    const { verdict, ...parsed } = first.end();
    if (!verdict) throw new Error('unreachable: the parser inspects');
    if (verdict.kind !== 'compiler' || !verdict.failed) return { verdict, parsed };
    // The log of a build that failed: lines that match no template are its errors. Rare, and known
    // only at the end (a package block with no escape analysis), so the log is parsed again.
    const again = new OutputParser({ heapOnly: options.heapOnly, exitCode: 1 });
    await feed(spool ? spool.fd : fd, true, again, chunk);
    return { verdict, parsed: again.end() };
  } finally {
    if (typeof source !== 'number') fs.closeSync(fd);
    if (spool) { fs.closeSync(spool.fd); removeTempDir(spool.dir); }
  }
}

/**
 * The bytes of `fd` (from its start when `positioned`, else as they come) into the parser, cut after
 * the last line break of each chunk: a `\n` byte is never part of a multi-byte UTF-8 sequence, so each
 * piece decodes as it would within the whole text.
 */
async function feed(fd: number, positioned: boolean, parser: OutputParser, chunk: number, copyTo?: number, tap?: (text: string) => void): Promise<void> {
  const buf = Buffer.allocUnsafe(chunk);
  // Bytes after the last line break read so far (copies: `buf` is read into again), joined once the
  // line ends, so that a line longer than a chunk costs its length, not its length times its chunks.
  let tail: Buffer[] = [];
  let at = 0;
  for (;;) {
    const n = await read(fd, buf, positioned ? at : null);
    if (n === 0) break;
    at += n;
    if (copyTo !== undefined) writeAll(copyTo, buf.subarray(0, n));
    const nl = buf.lastIndexOf(10, n - 1);
    if (nl === -1) { tail.push(Buffer.from(buf.subarray(0, n))); continue; }
    const text = tail.length ? Buffer.concat([...tail, buf.subarray(0, nl + 1)]).toString('utf8') : buf.toString('utf8', 0, nl + 1);
    tap?.(text);
    parser.write(text);
    tail = nl + 1 < n ? [Buffer.from(buf.subarray(nl + 1, n))] : [];
  }
  if (tail.length) {
    const text = Buffer.concat(tail).toString('utf8');
    tap?.(text);
    parser.write(text);
  }
}

function read(fd: number, buf: Buffer, position: number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, buf.length, position, (e, n) => {
      // A non-blocking pipe (standard input shared with a parent) with nothing to read yet: try again.
      if (e && (e as NodeJS.ErrnoException).code === 'EAGAIN') setTimeout(() => read(fd, buf, position).then(resolve, reject), 5);
      else if (e) reject(e);
      else resolve(n);
    });
  });
}

function writeAll(fd: number, b: Buffer): void {
  for (let off = 0; off < b.length;) off += fs.writeSync(fd, b, off, b.length - off);
}
