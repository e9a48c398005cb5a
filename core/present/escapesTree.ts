// The Escapes view's data: every item of the presentation as a tree (package → file → function → item,
// or grouped by cause or tier), with a count of findings on every node, filters, and profile bytes to
// sort by. Built in the core so that the view only renders, and the tests can count what it holds.
import * as path from 'node:path';
import { cause, TIER_NAMES } from '../classify/causes';
import type { Range, Tier } from '../model';
import type { Display } from './rules';
import type { Item } from './present';

export type GroupBy = 'location' | 'cause' | 'tier';

export interface EscapesFilter {
  /** Tiers to keep; `none` for findings without a tier (notes, `to result` summaries). Absent: all. */
  tiers?: (Tier | 'none')[];
  /** Cause ids to keep. Absent: all. */
  causes?: string[];
  /** `allocating`: only items that allocate at run time. */
  show?: 'allocating' | 'all';
}

export interface EscapesNode {
  id: string;
  kind: 'package' | 'file' | 'function' | 'cause' | 'tier' | 'item' | 'finding';
  label: string;
  description?: string;
  /** Findings under this node (a group counts its members). */
  count: number;
  /** Heap-profile bytes under this node. */
  bytes: number;
  children?: EscapesNode[];
  /** Where a click goes. */
  location?: { file: string; range: Range };
  display?: Display;
  tooltip?: string;
  /** The title of the proven quick fix the item has (set by the server, which verifies fixes). */
  fix?: string;
}

export interface EscapesTree {
  roots: EscapesNode[];
  /** Findings in the tree after filtering, and before. */
  shown: number;
  total: number;
  groupBy: GroupBy;
  /** Causes and tiers present (for the filter pickers). */
  causes: string[];
}

export interface PackageItems { name: string; dir: string; items: Item[] }

const DISPLAY_WORD: Record<Display, string> = { squiggle: 'squiggle', hint: 'hint', signature: 'at signature', hidden: 'view only' };

function keep(item: Item, filter: EscapesFilter): boolean {
  if (filter.show === 'allocating' && !item.allocates) return false;
  if (filter.tiers && !filter.tiers.includes(item.tier ?? 'none')) return false;
  if (filter.causes && !filter.causes.includes(item.finding.cause)) return false;
  return true;
}

export function escapesTree(pkgs: readonly PackageItems[], groupBy: GroupBy = 'location', filter: EscapesFilter = {}): EscapesTree {
  let total = 0;
  let shown = 0;
  const causes = new Set<string>();
  const roots: EscapesNode[] = [];
  const profiled = pkgs.some((p) => p.items.some((i) => i.bytes > 0));
  for (const pkg of pkgs) {
    const kept: Item[] = [];
    for (const item of pkg.items) {
      total += item.members.length;
      causes.add(item.finding.cause);
      if (keep(item, filter)) { kept.push(item); shown += item.members.length; }
    }
    if (kept.length === 0) continue;
    const levels: ((i: Item) => { key: string; kind: EscapesNode['kind']; label: string; location?: EscapesNode['location'] })[] =
      groupBy === 'location'
        ? [(i) => fileLevel(i, pkg.dir), (i) => fnLevel(i)]
        : groupBy === 'cause'
          ? [(i) => causeLevel(i), (i) => fnLevel(i, pkg.dir)]
          : [(i) => tierLevel(i), (i) => causeLevel(i)];
    roots.push(node(`${pkg.dir}`, 'package', pkg.name, kept, levels, profiled, pkg.dir));
  }
  sortNodes(roots, profiled, groupBy);
  return { roots, shown, total, groupBy, causes: [...causes].sort() };
}

type Level = (i: Item) => { key: string; kind: EscapesNode['kind']; label: string };

function node(id: string, kind: EscapesNode['kind'], label: string, items: Item[], levels: Level[], profiled: boolean, dir: string): EscapesNode {
  const n: EscapesNode = {
    id, kind, label, count: items.reduce((s, i) => s + i.members.length, 0), bytes: items.reduce((s, i) => s + i.bytes, 0),
  };
  if (levels.length === 0) {
    n.children = items.map((i) => itemNode(id, i, dir));
  } else {
    const [level, ...rest] = levels;
    const by = new Map<string, { kind: EscapesNode['kind']; label: string; items: Item[] }>();
    for (const i of items) {
      const l = level(i);
      const g = by.get(l.key) ?? { kind: l.kind, label: l.label, items: [] };
      g.items.push(i);
      by.set(l.key, g);
    }
    n.children = [...by].map(([key, g]) => node(`${id}/${key}`, g.kind, g.label, g.items, rest, profiled, dir));
  }
  n.description = describe(n, profiled);
  return n;
}

function itemNode(parent: string, i: Item, dir: string): EscapesNode {
  const f = i.finding;
  const where = `${rel(dir, f.file)}:${i.range.start.line + 1}`;
  const n: EscapesNode = {
    id: `${parent}/${i.id}`, kind: 'item', label: i.message, count: i.members.length, bytes: i.bytes,
    location: { file: f.file, range: i.range }, display: i.display,
    description: `${f.tier ?? '—'} · ${cause(f.cause).title} · ${where} · ${DISPLAY_WORD[i.display]}` +
      (i.bytes > 0 ? ` · ${formatShort(i.bytes)}` : ''),
    tooltip: `${f.message}\n${f.function ?? ''} ${where}\nrules: ${i.rules.join(', ') || '—'}`,
  };
  if (i.members.length > 1) {
    n.children = i.members.map((m) => ({
      id: `${n.id}/${m.range.start.line}:${m.range.start.character}:${m.message}`, kind: 'finding', label: m.message, count: 1,
      bytes: m.profile?.bytes ?? 0, location: { file: m.file, range: m.range },
      description: `${m.tier ?? '—'} · ${m.allocates ? cause(m.cause).title : 'no allocation'} · ${rel(dir, m.file)}:${m.range.start.line + 1}`,
    }));
  }
  return n;
}

function fileLevel(i: Item, dir: string) {
  return { key: i.finding.file, kind: 'file' as const, label: rel(dir, i.finding.file) || '(no file)' };
}
function fnLevel(i: Item, dir?: string) {
  const fn = i.finding.function ?? '(package level)';
  return dir
    ? { key: `${i.finding.file}\0${fn}`, kind: 'function' as const, label: `${fn} (${rel(dir, i.finding.file)})` }
    : { key: fn, kind: 'function' as const, label: fn };
}
function causeLevel(i: Item) {
  const c = cause(i.finding.cause);
  return { key: c.id, kind: 'cause' as const, label: `${c.title} (${c.id})` };
}
function tierLevel(i: Item) {
  const t = i.tier;
  return { key: t ?? 'none', kind: 'tier' as const, label: t ? TIER_NAMES[t] : 'no tier (summaries, notes)' };
}

function describe(n: EscapesNode, profiled: boolean): string {
  const s = `${n.count} finding${n.count === 1 ? '' : 's'}`;
  return profiled && n.bytes > 0 ? `${s} · ${formatShort(n.bytes)}` : s;
}

function sortNodes(nodes: EscapesNode[], profiled: boolean, groupBy: GroupBy): void {
  nodes.sort((a, b) => {
    if (profiled && a.bytes !== b.bytes) return b.bytes - a.bytes;
    if (a.kind === 'item' || a.kind === 'finding') {
      const ra = a.location!.range.start, rb = b.location!.range.start;
      return a.location!.file.localeCompare(b.location!.file) || ra.line - rb.line || ra.character - rb.character;
    }
    if (a.kind === 'tier') return a.label.localeCompare(b.label);
    if (groupBy !== 'location' && a.kind === 'cause') return b.count - a.count || a.label.localeCompare(b.label);
    return a.label.localeCompare(b.label);
  });
  for (const n of nodes) if (n.children && n.kind !== 'item') sortNodes(n.children, profiled, groupBy);
}

function rel(dir: string, file: string): string {
  if (!file) return '';
  const r = path.relative(dir, file);
  return r.startsWith('..') ? file : r;
}

function formatShort(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Findings the tree holds: every member of every item (for the "nothing is lost" checks). */
export function countFindings(nodes: readonly EscapesNode[]): number {
  let n = 0;
  for (const x of nodes) {
    if (x.kind === 'item') n += x.count;
    else if (x.children) n += countFindings(x.children);
  }
  return n;
}
