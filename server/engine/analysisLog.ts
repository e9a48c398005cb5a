// What an analysis writes to the server's log beside its result: heap use at each phase, the longest
// event-loop stall (what a hover arriving at the worst moment waited for), the build's first error. The
// performance bench (bench/server.ts) reads these lines, so their wording is kept.
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Heap used / resident set, MB, for the log. */
export function mb(): string {
  const m = process.memoryUsage();
  return `${(m.heapUsed / 1048576).toFixed(0)}/${(m.rss / 1048576).toFixed(0)}`;
}

/** The longest time the event loop was blocked (ms) from now until stop(); stop() may be called again. */
export function stallMonitor(): { stop(): number } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let max: number | undefined;
  return { stop: () => { if (max === undefined) { h.disable(); max = h.max / 1e6; } return max; } };
}

/** A build error as the status bar shows it: `file.go:line:col: first line of the message`. */
export function firstError(e: { message: string; file?: string; range?: { start: { line: number; character: number } } }): string {
  const where = e.file && e.range ? `${path.basename(e.file)}:${e.range.start.line + 1}:${e.range.start.character + 1}: ` : '';
  return where + e.message.split('\n')[0];
}
