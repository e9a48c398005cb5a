// Forced full collections (core/analysis/fullCollection) around an analysis: V8 collects its old
// generation only once it has grown by a factor of what survived its last collection, so an analysis'
// garbage stayed resident beside the result kept for hovers until the next analysis, whose own garbage
// then grew on top of it. This room is the whole mechanism: the engine gives it to the analysis run
// (engine.ts) and nothing else refers to it, so removing it is this file and that one argument.
import { getHeapStatistics } from 'node:v8';
import { fullCollection } from '../../core/analysis/fullCollection';
import { mb } from './analysisLog';
import type { AnalysisWatch } from './analysisRun';

const MB = 1048576;
/**
 * Heap used above which a published analysis is followed by a full collection; that collection also
 * tells the check within an analysis how much the result keeps.
 */
const COLLECT_ABOVE = 100 * MB;
/**
 * A full collection within an analysis: when the heap used is past PAUSE_ABOVE and has grown by
 * PAUSE_GROWTH since what survived our last one (the result kept for hovers, mostly; nothing before the
 * first analysis, whose own garbage V8 may otherwise leave in place until it ends). Small packages never
 * reach these, so their hovers never wait for such pauses.
 */
const PAUSE_ABOVE = 240 * MB;
const PAUSE_GROWTH = 48 * MB;
/** How often the heap is checked while an analysis runs (between its slices). */
const CHECK_MS = 20;
/**
 * The editor's pause in questions that a full collection after publishing waits for, and its longest
 * wait: the collection is a pause of its own, and run at once it held up the hovers sent as the
 * diagnostics arrived.
 */
const QUIET_BEFORE_COLLECTION_MS = 250;
const COLLECTION_WAIT_MS = 3000;

export class ForcedCollections implements AnalysisWatch {
  /** Heap used (bytes) after the last full collection of ours. */
  private liveAfterCollection = 0;

  /**
   * `lastAsked`: when the editor last asked about a line (hover, code actions, inlay hints); `heapUsed`:
   * the process's heap in use (V8's own figure; a test gives its own).
   */
  constructor(private readonly log: (m: string) => void, private readonly lastAsked: () => number,
    private readonly heapUsed: () => number = () => getHeapStatistics().used_heap_size) {}

  /** Watches an analysis of the package in `dir` from now until `end()`. */
  start(dir: string): { published(current: () => boolean): void; end(): void } {
    const watch = setInterval(() => this.collectIfGrown(dir), CHECK_MS);
    return {
      published: (current) => this.collectWhenQuiet(dir, current),
      end: () => clearInterval(watch),
    };
  }

  /**
   * The records, then what locating and presenting leave behind, are garbage that lives seconds beside
   * the last result: collected when the heap has grown well past what the last collection kept.
   */
  private collectIfGrown(dir: string): void {
    const used = this.heapUsed();
    if (used > PAUSE_ABOVE && used > this.liveAfterCollection + PAUSE_GROWTH) this.collect(dir, 'within the analysis', 0);
  }

  /**
   * One full collection after publishing, while the user reads the squiggles: once the editor has asked
   * nothing for QUIET_BEFORE_COLLECTION_MS (at most COLLECTION_WAIT_MS after publishing), after the
   * messages already queued, and not once `current()` says a newer analysis runs.
   */
  private collectWhenQuiet(dir: string, current: () => boolean): void {
    const published = performance.now();
    const attempt = (): void => {
      if (!current()) return;
      const now = performance.now();
      const quietFor = now - this.lastAsked();
      if (quietFor < QUIET_BEFORE_COLLECTION_MS && now - published < COLLECTION_WAIT_MS) {
        setTimeout(attempt, QUIET_BEFORE_COLLECTION_MS - quietFor).unref();
        return;
      }
      this.collect(dir, 'published');
    };
    setImmediate(attempt);
  }

  /** A full collection (logged, the bench reads the line) when the heap used is past `above`. */
  private collect(dir: string, when: string, above = COLLECT_ABOVE): void {
    const before = this.heapUsed();
    if (before < above) return;
    const collect = fullCollection();
    if (!collect) return;
    const t0 = performance.now();
    collect();
    this.liveAfterCollection = this.heapUsed();
    this.log(`[${dir}] full collection ${(performance.now() - t0).toFixed(0)} ms (${when}): heap ${(before / MB).toFixed(0)} → ${mb()} MB`);
  }
}
