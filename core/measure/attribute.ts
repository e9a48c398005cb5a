// Charges each allocation of a heap profile to the one finding that explains it, or to what it is.
//
// The rule: skip the runtime's frames at the leaf (runtime.newobject, convT64, growslice...); the next
// frame is where the allocation was written. A sample whose stack passes through a line where the
// benchmark's timer is off (timerRanges.ts) is set apart: go test does not count it. Otherwise, if the
// allocating frame is in the module, the sample is charged once, to the outermost line of its inlining
// chain (up to the function it was compiled into) that has an allocating finding: that is the copy the
// compiler reported at the user's line, whose escape decision made this allocation (an inlined callee's
// own finding is about its standalone copy). The same goes for standard-library code inlined into the
// module (strings.Builder's append inside a user's function). An allocation made inside a function that
// was called, not inlined, outside the module (fmt.Sprint's result) is explained by no finding: it is
// listed at the innermost module line that called it, with the callee's name. Samples with no module
// frame at all are the runtime's and the testing package's; the runtime's background work is set aside.
import { isHeapAllocation, type Finding } from '../model';
import type { Sample } from './profileProto';
import { isTimerOff, type TimerOffRanges } from './timerRanges';

/** `block16`: objects of 16-byte samples (Go's tiny allocator's blocks among them; see perOp.ts). */
export interface Cost { bytes: number; objects: number; block16: number }

export interface Attribution {
  /** `file:line` of lines with findings → cost. */
  sites: Map<string, Cost>;
  /** `file:line` (+ `\0callee`) of module lines no finding explains → cost. */
  unexplained: Map<string, Cost>;
  /** Allocated while the benchmark's timer was off. */
  stopped: Cost;
  /** No module frame: the runtime's and the testing package's own allocations. */
  runtime: Cost;
  total: Cost;
}

export function lineKey(file: string, line: number): string { return `${file}:${line}`; }

export function allocatingFindingLines(findings: readonly Finding[]): Set<string> {
  const lines = new Set<string>();
  for (const f of findings) {
    if (isHeapAllocation(f) && f.file) lines.add(lineKey(f.file, f.pos.line));
  }
  return lines;
}

export function zeroCost(): Cost { return { bytes: 0, objects: 0, block16: 0 }; }

export function attribute(samples: readonly Sample[], findingLines: ReadonlySet<string>, isModuleFile: (file: string) => boolean,
  timerOff: TimerOffRanges = new Map()): Attribution {
  const out: Attribution = { sites: new Map(), unexplained: new Map(), stopped: zeroCost(), runtime: zeroCost(), total: zeroCost() };
  const add = (m: Map<string, Cost>, k: string, c: Cost): void => {
    const v = m.get(k);
    if (v) addTo(v, c); else m.set(k, { ...c });
  };
  for (const s of samples) {
    if (s.objects === 0 && s.bytes === 0) continue;
    const cost: Cost = { bytes: s.bytes, objects: s.objects, block16: s.bytes === 16 * s.objects ? s.objects : 0 };
    addTo(out.total, cost);
    if (s.frames.some((f) => isTimerOff(timerOff, f.file, f.line))) { addTo(out.stopped, cost); continue; }
    let i = 0;
    while (i < s.frames.length && isRuntime(s.frames[i].fn)) i++;
    const firstModule = s.frames.findIndex((f, j) => j >= i && isModuleFile(f.file));
    if (isBackground(s, i, firstModule >= 0)) continue;
    if (firstModule < 0) { addTo(out.runtime, cost); continue; }
    // The chain of frames inlined into one compiled function, from the allocating frame out.
    let end = i;
    while (end < s.frames.length - 1 && s.frames[end].inlined) end++;
    if (firstModule > end) {
      // Allocated inside a library function the module called: named by it, not the helper deep inside.
      // The testing package's own work (b.Run starting a sub-benchmark, printing its result) is not the
      // benchmark's: it goes with the runtime's.
      const callee = s.frames[firstModule - 1].fn;
      if (callee.startsWith('testing.')) addTo(out.runtime, cost);
      else add(out.unexplained, `${lineKey(s.frames[firstModule].file, s.frames[firstModule].line)}\0${callee}`, cost);
      continue;
    }
    let charged: string | undefined;
    for (let j = firstModule; j <= end; j++) {
      const k = lineKey(s.frames[j].file, s.frames[j].line);
      if (isModuleFile(s.frames[j].file) && findingLines.has(k)) charged = k;
    }
    if (charged) add(out.sites, charged, cost);
    else add(out.unexplained, lineKey(s.frames[firstModule].file, s.frames[firstModule].line), cost);
  }
  return out;
}

export function addTo(a: Cost, b: Cost): void {
  a.bytes += b.bytes;
  a.objects += b.objects;
  a.block16 += b.block16;
}

/**
 * The runtime's work for itself: a new OS thread's structures when the scheduler starts one, the
 * collector's bookkeeping. It happens now and then, not per operation (go test's normal run spreads it
 * over millions of them), whoever's allocation set it off: off the benchmark's goroutines (no
 * testing.(*B) frame, no module frame), or on the system stack inside an allocation of the benchmark's.
 */
function isBackground(s: Sample, leafRuntimeFrames: number, inModule: boolean): boolean {
  const chain = s.frames.slice(0, leafRuntimeFrames);
  if (chain.some((f) => f.fn === 'runtime.systemstack') || chain.filter((f) => f.fn === 'runtime.mallocgc').length > 1) return true;
  // A goroutine the module started is the module's, testing frame or not.
  return !inModule && !s.frames.some((f) => f.fn.startsWith('testing.(*B).'));
}

// The heap profile already drops mallocgc and its helpers; whatever runtime frames are left are not user code.
function isRuntime(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('internal/runtime/');
}
