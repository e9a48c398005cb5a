// Charges each allocation of a heap profile to the findings that explain it.
//
// The rule: skip the runtime's frames at the leaf (runtime.newobject, convT64, growslice...); the next
// frame is where the allocation was written. If that frame is in the module, the allocation belongs to
// its line and, when the compiler inlined that code, to each line it was inlined at up to the function
// it was compiled into (the compiler reports an inlined copy's escape at the call site too). Every one of
// those lines that has an allocating finding is charged; the sample counts once in the explained total.
// Callers further out are not charged: they did not allocate. An allocation made inside a function
// outside the module (fmt.Sprint's result) is explained by no finding: it is listed, unexplained, at the
// innermost module line that called it, with the callee's name.
import { isHeapAllocation, type Finding } from '../model';
import type { Sample } from './rawProfile';

/**
 * `tiny`: objects of 16-byte samples. Go's tiny allocator packs allocations under 16 bytes without pointers
 * into shared 16-byte blocks and the profile sees only the blocks; measure.ts spreads the allocations
 * go test counted but the profile did not see over the lines that allocated such blocks.
 */
export interface Cost { bytes: number; objects: number; tiny: number }

export interface Attribution {
  /** `file:line` of lines with findings → cost. */
  sites: Map<string, Cost>;
  /** `file:line` (+ `\0callee`) of module lines no finding explains → cost. */
  unexplained: Map<string, Cost>;
  explained: Cost;
  /** Samples with a module frame (explained or not), each once. */
  module: Cost;
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

export function attribute(samples: readonly Sample[], findingLines: ReadonlySet<string>, isModuleFile: (file: string) => boolean): Attribution {
  const out: Attribution = { sites: new Map(), unexplained: new Map(), explained: { bytes: 0, objects: 0, tiny: 0 }, module: { bytes: 0, objects: 0, tiny: 0 }, total: { bytes: 0, objects: 0, tiny: 0 } };
  const add = (m: Map<string, Cost>, k: string, c: Cost): void => {
    const v = m.get(k);
    if (v) addTo(v, c); else m.set(k, { ...c });
  };
  for (const s of samples) {
    if (s.objects === 0 && s.bytes === 0) continue;
    let i = 0;
    while (i < s.frames.length && isRuntime(s.frames[i].fn)) i++;
    const cost: Cost = { bytes: s.bytes, objects: s.objects, tiny: s.bytes === 16 * s.objects ? s.objects : 0 };
    addTo(out.total, cost);
    if (i >= s.frames.length) continue;
    const at = s.frames[i];
    if (!isModuleFile(at.file)) {
      // Named by the function the module called (strings.Repeat), not the helper that allocated deep inside it.
      const c = s.frames.findIndex((f, j) => j > i && isModuleFile(f.file));
      if (c > 0) {
        add(out.unexplained, `${lineKey(s.frames[c].file, s.frames[c].line)}\0${s.frames[c - 1].fn}`, cost);
        addTo(out.module, cost);
      }
      continue;
    }
    addTo(out.module, cost);
    let charged = false;
    for (let j = i; j < s.frames.length; j++) {
      const k = lineKey(s.frames[j].file, s.frames[j].line);
      if (findingLines.has(k)) { add(out.sites, k, cost); charged = true; }
      if (!s.frames[j].inlined) break;
    }
    if (charged) {
      addTo(out.explained, cost);
    } else {
      add(out.unexplained, lineKey(at.file, at.line), cost);
    }
  }
  return out;
}

function addTo(a: Cost, b: Cost): void {
  a.bytes += b.bytes;
  a.objects += b.objects;
  a.tiny += b.tiny;
}

// The heap profile already drops mallocgc and its helpers; whatever runtime frames are left are not user code.
function isRuntime(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('internal/runtime/');
}
