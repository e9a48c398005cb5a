// How the editor shows each finding, for --json and --sarif: the presentation (core/present) made per
// package as the language server makes it, with the project's policy deciding first, and read back per
// finding as its display, the rule that decided it and the item it belongs to.
import type { SourceCache } from '../core/locate/sourceCache';
import type { Finding } from '../core/model';
import type { Action } from '../core/policy/policy';
import { sourceContext } from '../core/present/codeContext';
import { present, type Item } from '../core/present/present';
import type { Severity } from '../core/present/rules';

export interface FindingDisplay {
  /** squiggle | hint | signature | hidden as the item is drawn; `grouped` for a member drawn by its item's first finding. */
  display: Item['display'] | 'grouped';
  /** The rule (core/present/rules.ts) that decided the item's display. */
  rule: string;
  /** 1-based number of the item in the report (packages in order, each most worth acting on first). */
  item: number;
  severity: Severity;
}

/** The editor's severity for a policy action (server/engine/policy.ts: the same table, with default settings). */
const SEVERITY_OF_ACTION: Record<Action, Severity> = { ignore: 'off', log: 'information', warn: 'warning', fail: 'error' };

export function findingDisplays(findings: readonly Finding[], sources: SourceCache, actions?: ReadonlyMap<Finding, Action>): Map<Finding, FindingDisplay> {
  const ctx = sourceContext((p) => sources.peek(p) ?? sources.get(p));
  const policy = actions && ((f: Finding): Severity | undefined => {
    const a = actions.get(f);
    if (!a || !f.tier) return undefined;
    if (a === 'log' && (f.kind === 'escapes' || f.kind === 'moved-to-heap') && !f.allocates) return undefined;
    return SEVERITY_OF_ACTION[a];
  });
  const byPackage = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = f.pkg ?? '';
    const list = byPackage.get(k);
    if (list) list.push(f); else byPackage.set(k, [f]);
  }
  const out = new Map<Finding, FindingDisplay>();
  let n = 0;
  for (const list of byPackage.values()) {
    for (const i of present(list, undefined, ctx, policy).items) {
      n++;
      const rule = i.rules[0] === 'policy' ? 'policy' : i.rules[i.rules.length - 1];
      for (const m of i.members) {
        out.set(m, { display: m === i.finding || i.members.length === 1 ? i.display : 'grouped', rule, item: n, severity: i.severity });
      }
    }
  }
  return out;
}
