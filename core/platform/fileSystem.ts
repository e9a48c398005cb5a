// File-system operations whose Node form misbehaves on some systems, done so that each ends with the
// system's own error. Node's `mkdirSync(…, { recursive: true })` loops for ever under /proc (mkdir
// answers ENOENT for a parent that exists), and reports ENOENT for a leaf whose parent is read-only
// (the real error, EROFS, is lost).
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Creates `dir` and any missing parents, each with one `mkdir` (bounded by the path's depth), and throws
 * the error of the first directory that cannot be made: EROFS, EACCES, ENOENT as the system says it.
 */
export function makeDirs(dir: string): void {
  // Up to the nearest path that exists (a dir, or a file: the mkdir below it then says ENOTDIR).
  const missing: string[] = [];
  for (let d = path.resolve(dir); !exists(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !isDirectory(d)) throw e;
    }
  }
}

function exists(p: string): boolean {
  try { fs.statSync(p); return true; } catch { return false; }
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days): a longer one fires at once with a
 * TimeoutOverflowWarning. A longer deadline is clamped to it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function timerMs(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/**
 * A file's whole text, refusing more than `maxBytes`: `/dev/zero`, a FIFO that never ends or a huge file
 * given where a report or a policy is expected gets one error, not all the memory of the machine.
 */
export function readTextBounded(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new Error(`${file} is larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
