// Counts for summaries: the CLI's closing lines, the JSON `summary`, the status bar.
import type { Finding, Tier } from '../model';
import { HEAP_KINDS } from '../model';

export interface Summary {
  /** Heap escapes and leaks that are not suppressed and have a tier (unclassified ones are counted apart). */
  heap: number;
  /** Of those, the ones that allocate (boxed constants do not). */
  allocating: number;
  byTier: Record<Tier, number>;
  byCause: Record<string, number>;
  suppressed: number;
  unclassified: number;
  /** Findings that are not heap escapes (non-escaping, inlining, notes), when shown. */
  info: number;
}

export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { heap: 0, allocating: 0, byTier: { L1: 0, L2: 0, L3: 0 }, byCause: {}, suppressed: 0, unclassified: 0, info: 0 };
  for (const f of findings) {
    // Tier-less lines (parameter-to-result summaries, unclassified ones) are not counted as heap escapes.
    if (!HEAP_KINDS.has(f.kind) || (f.tier === null && f.cause !== 'unclassified')) { s.info++; continue; }
    if (f.suppressed !== undefined) { s.suppressed++; continue; }
    if (f.cause === 'unclassified') { s.unclassified++; continue; }
    s.heap++;
    if (f.allocates) s.allocating++;
    if (f.tier) s.byTier[f.tier]++;
    s.byCause[f.cause] = (s.byCause[f.cause] ?? 0) + 1;
  }
  return s;
}
