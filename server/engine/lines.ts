// Line arithmetic over findings and items: the text a range covers in a buffer, and indexes by line so a
// hover or a lightbulb looks at the things on its line instead of scanning a whole file's findings.
import type { Finding, Range } from '../../core/model';
import type { Item } from '../../core/present/present';

/** The text `f`'s range covers in a buffer split into lines ('' past its end). */
export function textAt(lines: readonly string[], f: Finding): string {
  const { start, end } = f.range;
  if (start.line >= lines.length) return '';
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), (lines[end.line] ?? '').slice(0, end.character)].join('\n');
}

/** Things by each line one of their ranges covers, in the given order. */
export function linesIndex<T>(things: readonly T[], ranges: (t: T) => readonly Range[]): Map<number, T[]> {
  const byLine = new Map<number, T[]>();
  for (const t of things) addLines(byLine, t, ranges(t));
  return byLine;
}

/** Adds `t` under every line its ranges cover (once per line). */
export function addLines<T>(byLine: Map<number, T[]>, t: T, ranges: readonly Range[]): void {
  for (const r of ranges) {
    for (let l = r.start.line; l <= r.end.line; l++) {
      const list = byLine.get(l);
      if (!list) byLine.set(l, [t]);
      else if (list[list.length - 1] !== t) list.push(t);
    }
  }
}

/** Where a hover finds an item: its drawn range, or one of its findings' (a group's operands). */
export function itemRanges(i: Item): Range[] {
  return [i.range, ...i.members.map((m) => m.range)];
}

/** What the index of `all` holds on lines `from`..`to`, once each, in the order of `all`. */
export function onLines<T>(byLine: Map<number, T[]>, from: number, to: number, all: readonly T[]): T[] {
  if (from === to) return byLine.get(from) ?? [];
  const seen = new Set<T>();
  for (let l = from; l <= to; l++) for (const t of byLine.get(l) ?? []) seen.add(t);
  return all.filter((t) => seen.has(t));
}
