// Keeps parsed sources between analyses (the language server re-analyses the same files on every save).
// A file is re-read when its text changes; trees of evicted files are freed.
import * as fs from 'node:fs';
import { goParser, type GoParser, type Toolchain } from './goParser';
import { GoSource } from './goSource';
import { PathResolver } from './resolvePath';
import { TimeSlice } from '../util/steps';

/** Bytes of output scanned between two chances to yield to the event loop. */
const SCAN_SLICE = 256 * 1024;
/** Milliseconds of scanning before the scan yields. */
const SLICE_MS = 5;

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

  constructor(private parser: GoParser = goParser(), private readonly capacity = 400) {}

  /** Parse with this toolchain's go/parser from now on (the go command and environment of the analysis). */
  useToolchain(toolchain: Toolchain): void {
    this.parser = goParser(toolchain);
  }

  /** The parser helper's binary of the current toolchain, if it is built already (it is also the -toolexec tee). */
  helperBinary(): string | undefined {
    return this.parser.builtBinary();
  }

  /** The helper binary once it is built (building it if needed), undefined if it cannot be. */
  helperReady(): Promise<string | undefined> {
    return this.parser.ready().catch(() => undefined);
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

  /**
   * preload() for each .go file a parser names, as it first names it (OutputParser's onPath): the helper
   * parses while the rest of the output is read. `settled` waits for them all and gives the first failure.
   */
  preloadAsNamed(resolver: PathResolver, read: ReadFile = readFromDisk): { onPath(printed: string): void; settled(): Promise<{ error: unknown } | undefined> } {
    const started = new Set<string>();
    const loading: Promise<void>[] = [];
    let failure: { error: unknown } | undefined;
    return {
      onPath: (printed) => {
        if (!printed.endsWith('.go')) return;
        const file = resolver.resolve(printed);
        if (!file || started.has(file)) return;
        started.add(file);
        loading.push(this.preload([file], read).catch((error: unknown) => { failure ??= { error }; }));
      },
      settled: async () => { await Promise.all(loading); return failure; },
    };
  }

  /** preload() for the .go files that compiler output names, resolved as the analysis resolves them. */
  async preloadOutput(output: string, cwd: string, read: ReadFile = readFromDisk, signal?: AbortSignal): Promise<void> {
    const resolver = new PathResolver(cwd);
    const files = new Set<string>();
    const re = /^\s*((?:[A-Za-z]:)?[^:\n]*?\.go):\d+/gm;
    // In pieces of the output, yielding between them when a time slice is used up: a big output must not
    // stall a server's hovers.
    const slice = new TimeSlice(SLICE_MS);
    for (let start = 0; start < output.length;) {
      let end = output.indexOf('\n', Math.min(output.length, start + SCAN_SLICE));
      if (end === -1) end = output.length;
      re.lastIndex = 0;
      for (const m of output.slice(start, end).matchAll(re)) {
        const f = resolver.resolve(m[1].trim());
        if (f) files.add(f);
      }
      start = end + 1;
      if (start < output.length && slice.due()) {
        await slice.pause();
        if (signal?.aborted) return;
      }
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
