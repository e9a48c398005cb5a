// A full garbage collection on demand, for the language server after it publishes a big analysis. V8
// collects its old generation only when that has grown by a factor of what survived the last collection;
// an analysis' garbage stays in memory meanwhile. (The CLI's saved-log analysis no longer forces any:
// on a real package's log it did not pay, see docs/architecture.md.)
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | undefined | null;

/** V8's full collection, or undefined where it cannot be had. Exposed once, in a context of its own. */
export function fullCollection(): (() => void) | undefined {
  if (collect === undefined) {
    collect = null;
    try {
      const g = (globalThis as { gc?: () => void }).gc;
      if (typeof g === 'function') collect = g;
      else {
        // The flag exposes `gc` in contexts made after it is set; this process's own global is left as it was.
        v8.setFlagsFromString('--expose-gc');
        const fresh = vm.runInNewContext('gc') as unknown;
        if (typeof fresh === 'function') collect = fresh as () => void;
      }
    } catch { collect = null; }
  }
  return collect ?? undefined;
}
