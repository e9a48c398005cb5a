// Words and ordering shared by diagnostics, hovers and the status: what escaped, how relevant it is.
import * as path from 'node:path';
import { pathToUri } from '../core/platform';
import { cause, causeAnchor, TIER_NAMES } from '../core/classify/causes';
import type { Finding, FlowStep } from '../core/model';
import { HEAP_KINDS } from '../core/model';

/** The README shipped next to the bundle: every cause has an anchor there. */
export function causeDocUrl(id: string): string {
  return `${pathToUri(path.join(__dirname, '..', 'README.md'))}#${causeAnchor(id)}`;
}

/** `&Order{...}` escapes to heap — allocation is returned (L1 syntax) */
export function headline(f: Finding): string {
  const c = cause(f.cause);
  const tier = f.tier ? ` (${TIER_NAMES[f.tier]})` : '';
  return `${f.message} — ${c.title}${tier}`;
}

/** Lower is more relevant: allocating heap escapes by tier, then non-allocating ones, then other lines. */
export function relevance(f: Finding): number {
  if (!HEAP_KINDS.has(f.kind)) return 10;
  if (!f.allocates) return 5;
  return f.tier === 'L1' ? 0 : f.tier === 'L2' ? 1 : f.tier === 'L3' ? 2 : 3;
}

export function byRelevance(a: Finding, b: Finding): number {
  // What a heap profile measured comes first, costliest first.
  const pa = a.profile?.bytes ?? -1;
  const pb = b.profile?.bytes ?? -1;
  if (pa !== pb) return pb - pa;
  return relevance(a) - relevance(b)
    || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** The flow steps worth showing: a `spill` of the subject itself only says the compiler made a temporary. */
export function shownSteps(f: Finding): FlowStep[] {
  return f.flow.filter((s) => !(s.why === 'spill' && s.where === f.subject));
}
