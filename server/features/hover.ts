// Hover on a finding: the core composes the text (core/present/hoverText.ts: what, why, path, what helps,
// cost); this file finds the items under the cursor. Several at one spot are all shown, the most relevant first.
import type { Hover, Position } from 'vscode-languageserver';
import type { Range } from '../../core/model';
import type { CodeContext } from '../../core/present/codeContext';
import { hoversMarkdown } from '../../core/present/hoverText';
import type { Item } from '../../core/present/present';
import { causeDocUrl } from './present';

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

/** Items under `pos`: by the range drawn, or the range of one of their findings (a group's operands). */
export function itemsAt(items: readonly Item[], pos: Position): Item[] {
  const here: Item[] = [];
  for (const i of items) {
    if (contains(i.range, pos)) { here.push(i); continue; }
    const m = i.members.find((x) => contains(x.range, pos));
    // A grouped operand is explained on its own: the group's hover is on the callee.
    if (m) here.push(i.members.length > 1 ? { ...i, finding: m, members: [m], message: m.message, range: m.range, allocates: m.allocates, tier: m.tier } : i);
  }
  return here;
}

export function hoverFor(items: readonly Item[], pos: Position, ctx: CodeContext, stale = false): Hover | null {
  const here = itemsAt(items, pos);
  if (here.length === 0) return null;
  const value = hoversMarkdown(here, (i) => ({
    ctx, docUrl: causeDocUrl, stale, shownAsDiagnostic: (i.display === 'squiggle' || i.display === 'hint') && contains(i.range, pos),
  }));
  return { contents: { kind: 'markdown', value }, range: here[0].range };
}
