// Where a benchmark's timer is off, by source lines of its test files: go test -benchmem counts only the
// allocations made while the timer runs, but a heap profile records every allocation. A sample whose
// stack passes through one of these lines was allocated with the timer off and is left out, as go test
// leaves it out:
//   - from b.StopTimer() to the next b.StartTimer() of the same *testing.B;
//   - from the start of the function (declaration or b.Run closure) taking that *testing.B to its
//     b.ResetTimer(), or to its `for b.Loop()` (the first b.Loop call resets the timer; setup before
//     it, sized by b.N or not, is not counted);
//   - the lines after a `for b.Loop() {…}` loop to the end of its function (b.Loop stops the timer when it ends).
// Lines are matched textually on the *testing.B's name, which is what the code says; a helper that stops
// the timer through another name is not seen (its allocations then count, as a profile would count them).

import { closingBrace } from './benchmarks';

/** 1-based inclusive line ranges per file. */
export type TimerOffRanges = Map<string, Array<[number, number]>>;

export function timerOffRanges(files: ReadonlyMap<string, string>): TimerOffRanges {
  const out: TimerOffRanges = new Map();
  for (const [file, text] of files) {
    const ranges = rangesIn(text.split('\n'));
    if (ranges.length > 0) out.set(file, ranges);
  }
  return out;
}

export function isTimerOff(ranges: TimerOffRanges, file: string, line: number): boolean {
  const rs = ranges.get(file);
  return !!rs && rs.some(([a, b]) => line >= a && line <= b);
}

const STOP = /\b(\w+)\.StopTimer\(\)/;
const RESET = /\b(\w+)\.ResetTimer\(\)/;
const LOOP = /\bfor\s+(\w+)\.Loop\(\)\s*\{/;

function rangesIn(lines: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  lines.forEach((l, i) => {
    if (isComment(l)) return;
    const stop = STOP.exec(l);
    if (stop) {
      const start = new RegExp(`\\b${stop[1]}\\.StartTimer\\(\\)`);
      const j = lines.findIndex((m, k) => k > i && !isComment(m) && start.test(m));
      if (j > i) out.push([i + 1, j + 1]);
    }
    const reset = RESET.exec(l) ?? LOOP.exec(l);
    if (reset) {
      const from = enclosingFunc(lines, i, reset[1]);
      if (from >= 0) out.push([from + 1, i + 1]);
    }
    const loop = LOOP.exec(l);
    if (loop) {
      const loopEnd = closingBrace(lines, i);
      const from = enclosingFunc(lines, i, loop[1]);
      const funcEnd = from >= 0 ? closingBrace(lines, from) : -1;
      if (loopEnd > i && funcEnd > loopEnd) out.push([loopEnd + 1, funcEnd + 1]);
    }
  });
  return out;
}

function isComment(l: string): boolean { return /^\s*\/\//.test(l); }

/** The line of the nearest `func …(b *testing.B)` above `i` whose parameter is named `b`, or -1. */
function enclosingFunc(lines: string[], i: number, b: string): number {
  const decl = new RegExp(`\\bfunc\\b[^(]*\\(\\s*${b}\\s+\\*testing\\.B\\s*\\)`);
  for (let k = i; k >= 0; k--) if (decl.test(lines[k])) return k;
  return -1;
}
