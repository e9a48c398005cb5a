// Keeps parsed sources between analyses (the language server re-analyses the same files on every save).
// A file is re-read when its text changes; trees of evicted files are freed.
import * as fs from 'node:fs';
import { goParser, type GoParser, type Toolchain } from './goParser';
import { GoSource } from './goSource';
import { PathResolver } from './resolvePath';

export type ReadFile = (absPath: string) => string | undefined;

export const readFromDisk: ReadFile = (p) => {
  try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; }
};

export class SourceCache {
  private readonly files = new Map<string, GoSource>();

  constructor(private parser: GoParser = goParser(), private readonly capacity = 400) {}

  /** Parse with this toolchain's go/parser from now on (the go command and environment of the analysis). */
  useToolchain(toolchain: Toolchain): void {
    this.parser = goParser(toolchain);
  }

  /**
   * Reads and parses these files in one batch through the long-lived helper, so that the synchronous
   * analysis afterwards finds their trees ready (files that do not exist are skipped).
   */
  async preload(absPaths: Iterable<string>, read: ReadFile = readFromDisk): Promise<void> {
    const todo: GoSource[] = [];
    for (const p of new Set(absPaths)) {
      const src = this.get(p, read);
      if (src && !src.hasTree) todo.push(src);
    }
    await Promise.all(todo.map((s) => s.load()));
  }

  /** preload() for the .go files that compiler output names, resolved as the analysis resolves them. */
  preloadOutput(output: string, cwd: string, read: ReadFile = readFromDisk): Promise<void> {
    const resolver = new PathResolver(cwd);
    const files = new Set<string>();
    for (const m of output.matchAll(/^\s*((?:[A-Za-z]:)?[^:\n]*?\.go):\d+/gm)) {
      const f = resolver.resolve(m[1].trim());
      if (f) files.add(f);
    }
    return this.preload(files, read);
  }

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
