// Work cut into steps: a generator that yields every few hundred units of work. The CLI runs it through
// at once (`drain`); the server runs it in time slices (`runInSlices`), so no single piece of a long
// analysis holds the event loop for more than a slice (a hover waits one slice at most). Loops that are not
// generators pause through a `TimeSlice`: the one place that decides when and how to yield.
import { CancelledError } from './cancel';

/** Runs steps to the end at once: the sync path, same result as the sliced one. */
export function drain<R>(steps: Generator<void, R>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs steps yielding to the event loop (a macrotask: pending messages are handled first) whenever
 * `sliceMs` have passed since the last pause; a signal aborted meanwhile rejects with CancelledError.
 */
export async function runInSlices<R>(steps: Generator<void, R>, sliceMs: number, signal?: AbortSignal): Promise<R> {
  const slice = new TimeSlice(sliceMs, signal);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (slice.due()) await slice.pause();
  }
}

/**
 * A loop's time slice: `due()` is cheap to ask after each unit of work; `pause()` yields to the event loop
 * (a macrotask: pending messages are handled first), then rejects with CancelledError if the signal was
 * aborted meanwhile, and starts the next slice.
 */
export class TimeSlice {
  private since = performance.now();
  constructor(private readonly sliceMs: number, private readonly signal?: AbortSignal) {}

  due(): boolean {
    return performance.now() - this.since > this.sliceMs;
  }

  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.signal?.aborted) throw new CancelledError();
    this.since = performance.now();
  }
}

/** Units of work between two yields: a few hundred findings cost well under a millisecond. */
export const STEP = 256;

/**
 * Sorts `a` in place, in steps: runs of RUN items sorted by Array.prototype.sort, then merged pairwise.
 * Both are stable (the merge takes the left item on a tie), so the order is exactly `a.sort(compare)`'s.
 */
export function* sortSteps<T>(a: T[], compare: (x: T, y: T) => number): Generator<void, void> {
  const n = a.length;
  const RUN = 1024;
  if (n <= RUN) { a.sort(compare); return; }
  for (let lo = 0; lo < n; lo += RUN) {
    const run = a.slice(lo, lo + RUN).sort(compare);
    for (let i = 0; i < run.length; i++) a[lo + i] = run[i];
    yield;
  }
  let src = a;
  let dst: T[] = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        dst[k++] = compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
        if ((k & (STEP - 1)) === 0) yield;
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
      yield;
    }
    [src, dst] = [dst, src];
  }
  if (src !== a) {
    for (let i = 0; i < n; i++) {
      a[i] = src[i];
      if ((i & (STEP - 1)) === 0) yield;
    }
  }
}
