// The strict audit's sample: heap findings of the real-code corpus drawn with a fixed seed, so that the
// verdicts committed in fixtures/audit/verdicts.json keep naming the same findings run after run.
import * as path from 'node:path';
import { HEAP_KINDS, type Finding } from '../../core/model';

export const AUDIT_SEED = 22;
export const AUDIT_SIZE = 80;
/** A second sample, judged after the rules were fixed on the first: a figure the fixes were not tuned to. */
export const FRESH_SEED = 2202;

/** A finding's key: package, file, the compiler's position and message (stable across runs and machines). */
export function auditKey(pkg: string, f: Finding): string {
  return `${pkg} ${path.basename(f.file)}:${f.pos.line}:${f.pos.col ?? 0} ${f.message}`;
}

/** mulberry32: a small seeded generator (the sample must not depend on Math.random). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` heap findings (tiered: parameter summaries and allocations alike) drawn with `seed` from all packages. */
export function auditSample(byPkg: ReadonlyMap<string, readonly Finding[]>, size = AUDIT_SIZE, seed = AUDIT_SEED): Array<{ key: string; finding: Finding }> {
  const all: Array<{ key: string; finding: Finding }> = [];
  for (const [pkg, findings] of byPkg) {
    for (const f of findings) if (HEAP_KINDS.has(f.kind) && f.tier !== null) all.push({ key: auditKey(pkg, f), finding: f });
  }
  all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const next = random(seed);
  const out: Array<{ key: string; finding: Finding }> = [];
  const taken = new Set<number>();
  while (out.length < Math.min(size, all.length)) {
    const i = Math.floor(next() * all.length);
    if (taken.has(i)) continue;
    taken.add(i);
    out.push(all[i]);
  }
  return out;
}
