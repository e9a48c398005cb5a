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
 * larger strings straight into the old generation, where dead text waits for a full collection).
 */
const CHUNK = 64 * 1024;

/**
 * The longest line a log may have. A compiler line names one position and one fact; a longer "line" is
 * not compiler output (`/dev/zero`, a binary, a stream without line breaks), and without a bound it would
 * be held whole in memory for as long as it runs.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** A line longer than MAX_LINE_BYTES (or the test's bound): the input is not a compiler log. */
export class LineTooLongError extends Error {
  constructor(readonly maxBytes: number) {
    super(`a line is longer than ${maxBytes % 1048576 === 0 ? `${maxBytes / 1048576} MiB` : `${maxBytes} bytes`}: not compiler output`);
  }
}

export interface ReadLogOptions {
  heapOnly?: boolean;
  /** Told each path a summary or block header names (as printed), the first time it is read. */
  onPath?: (printed: string) => void;
  /** Bytes read at a time (default 64 KiB; tests make it small to cut lines and characters). */
  chunkBytes?: number;
  /** Sees the log's text as it is parsed (first pass), in pieces cut at line ends: the contracts' reader. */
  onText?: (text: string) => void;
  /** The longest line accepted (default MAX_LINE_BYTES); a longer one throws LineTooLongError. */
  maxLineBytes?: number;
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
    const chunk = { bytes: options.chunkBytes ?? CHUNK, maxLine: options.maxLineBytes ?? MAX_LINE_BYTES };
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
async function feed(
  fd: number, positioned: boolean, parser: OutputParser, chunk: { bytes: number; maxLine: number }, copyTo?: number, tap?: (text: string) => void,
): Promise<void> {
  const buf = Buffer.allocUnsafe(chunk.bytes);
  // Bytes after the last line break read so far (copies: `buf` is read into again), joined once the
  // line ends, so that a line longer than a chunk costs its length, not its length times its chunks.
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let at = 0;
  for (;;) {
    const n = await read(fd, buf, positioned ? at : null);
    if (n === 0) break;
    at += n;
    if (copyTo !== undefined) writeAll(copyTo, buf.subarray(0, n));
    const nl = buf.lastIndexOf(10, n - 1);
    // The line the tail continues ends at this chunk's first break (or goes on); lines within a chunk are shorter than it.
    const first = nl === -1 ? n : buf.indexOf(10);
    if (tailBytes + first > chunk.maxLine || (nl !== -1 && n - nl - 1 > chunk.maxLine)) throw new LineTooLongError(chunk.maxLine);
    if (nl === -1) { tail.push(Buffer.from(buf.subarray(0, n))); tailBytes += n; continue; }
    const text = tail.length ? Buffer.concat([...tail, buf.subarray(0, nl + 1)]).toString('utf8') : buf.toString('utf8', 0, nl + 1);
    tap?.(text);
    parser.write(text);
    tail = nl + 1 < n ? [Buffer.from(buf.subarray(nl + 1, n))] : [];
    tailBytes = n - nl - 1;
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
