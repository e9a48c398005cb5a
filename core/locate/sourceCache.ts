// Keeps parsed sources between analyses (the language server re-analyses the same files on every save).
// A file is re-read when its text changes; trees of evicted files are freed.
import * as fs from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import { GoSource } from './goSource';

export type ReadFile = (absPath: string) => string | undefined;

/**
 * A regular file's text, else undefined. A FIFO or device named in a log would block a plain read
 * forever: opened non-blocking, only a regular file is read.
 */
export const readFromDisk: ReadFile = (p) => {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
};

export class SourceCache {
  private readonly files = new Map<string, GoSource>();

  constructor(private readonly parser: Parser, private readonly capacity = 400) {}

  /** The source of `absPath` as `read` returns it now (an unsaved buffer or the disk). */
  get(absPath: string, read: ReadFile = readFromDisk): GoSource | undefined {
    const text = read(absPath);
    const cached = this.files.get(absPath);
    if (text === undefined) { this.drop(absPath); return undefined; }
    if (cached && cached.text === text) {
      // Re-insert: Map order is the LRU order.
      this.files.delete(absPath);
      this.files.set(absPath, cached);
      return cached;
    }
    cached?.dispose();
    const src = new GoSource(absPath, text, this.parser);
    this.files.set(absPath, src);
    while (this.files.size > this.capacity) {
      const oldest = this.files.keys().next().value as string;
      this.drop(oldest);
    }
    return src;
  }

  /** The cached source of `absPath` as last read, without reading it again. */
  peek(absPath: string): GoSource | undefined {
    return this.files.get(absPath);
  }

  drop(absPath: string): void {
    this.files.get(absPath)?.dispose();
    this.files.delete(absPath);
  }

  clear(): void {
    for (const f of this.files.values()) f.dispose();
    this.files.clear();
  }
}
