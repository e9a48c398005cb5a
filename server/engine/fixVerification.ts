// Quick fixes for one package, verified ahead of time after each published analysis and cached per
// package text. Squiggles never wait for fix verification: a lightbulb asked for meanwhile on a finding
// with a candidate waits for it (bounded, see `fixesReady`); the others answer at once. Verified fixes hold
// only while the file's text is the one they were verified on.
import { createHash } from 'node:crypto';
import type { AnalyzePackageOptions } from '../../core/analysis/analyzePackage';
import { fixCandidates } from '../../core/fixes/candidates';
import { verifyFixes, type VerifiedFix } from '../../core/fixes/verify';
import { verifyFixAll, type FixAll } from '../../core/fixes/fixAll';
import type { GoSource } from '../../core/locate/goSource';
import type { ReadFile, SourceCache } from '../../core/locate/sourceCache';
import type { Finding } from '../../core/model';
import { moduleGoMinor } from '../../core/run/module';
import { goFilesIn } from '../../core/util/goFiles';
import { targetKey } from '../../core/fixes/model';
import type { EscapesNode } from '../../core/present/escapesTree';
import type { Item } from '../../core/present/present';
import type { Range } from '../../core/model';

export type VerifyRun = Omit<AnalyzePackageOptions, 'sources' | 'dir' | 'all'>;

/** What a package keeps of fix verification (a package's state, packages.ts, extends it). */
export interface FixState {
  dir: string;
  /** Verified quick fixes of the last good analysis. */
  fixes?: PackageFixes;
  /** Fix verification under way: the targets it will answer for, and when it is done. */
  verifying?: { targets: Set<string>; done: Promise<void> };
}

export interface PackageFixes {
  /** Verified fixes by target, and the text of each file they were verified on. */
  byTarget: Map<string, VerifiedFix>;
  texts: Map<string, string>;
}

const cache = new Map<string, PackageFixes>();

export async function packageFixes(
  dir: string, findings: readonly Finding[], read: ReadFile, sources: SourceCache,
  run: VerifyRun,
  /** Told the targets that have a candidate, before their verification starts (code actions wait for those). */
  onCandidates?: (targets: Set<string>) => void,
): Promise<PackageFixes> {
  const texts = new Map<string, string>();
  for (const p of goFilesIn(dir)) { const t = read(p); if (t !== undefined) texts.set(p, t); }
  const sig = createHash('sha1');
  for (const [p, t] of [...texts].sort()) sig.update(p).update('\0').update(t).update('\0');
  sig.update(JSON.stringify([run.gcflags, run.buildFlags, run.mode, run.env, [...(run.overlay?.keys() ?? [])]]));
  const key = `${dir}\0${sig.digest('hex')}`;
  const hit = cache.get(key);
  if (hit) return hit;

  const files = new Map<string, GoSource>();
  const packageText = [...texts.values()].join('\n');
  const ctx = { goMinor: moduleGoMinor(dir), packageText };
  const candidates = [];
  for (const file of new Set(findings.map((f) => f.file))) {
    const src = texts.has(file) ? sources.get(file, read) : undefined;
    if (!src) continue;
    files.set(file, src);
    candidates.push(...fixCandidates(src, findings, ctx));
  }
  onCandidates?.(new Set(candidates.map((c) => c.target)));
  const opts = { ...run, dir, sources, files, baseline: findings };
  const verified = candidates.length ? await verifyFixes(candidates, opts) : [];
  // Fix-all per file and per package for one kind, verified as a whole; each fix names those it is part of.
  const all: FixAll[] = verified.length > 1 ? await verifyFixAll(verified, opts) : [];
  for (const v of verified) {
    const mine = all.filter((a) => a.kind === v.kind && (a.file === undefined || a.file === v.edits[0].file));
    if (mine.length) v.all = mine;
  }
  // A fix that removes several findings (a grouped call's members) answers for each of them.
  const result: PackageFixes = { byTarget: new Map(verified.flatMap((v) => [v.target, ...(v.also ?? [])].map((t) => [t, v] as const))), texts };
  if (!run.signal?.aborted) {
    if (cache.size > 50) cache.delete(cache.keys().next().value as string);
    cache.set(key, result);
  }
  return result;
}

/**
 * Verifies the fixes of a published analysis' findings; they become the package's (and `onFixes` is told)
 * if `current()` still holds when done. `read`: the texts the analysis saw.
 */
export async function verifyPackageFixes(pkg: FixState, findings: readonly Finding[], read: (p: string) => string | undefined,
  sources: SourceCache, run: VerifyRun, current: () => boolean, onFixes: () => void): Promise<void> {
  let finish = () => {};
  const verifying = { targets: new Set<string>(), done: new Promise<void>((res) => { finish = res; }) };
  pkg.verifying = verifying;
  try {
    const fixes = await packageFixes(pkg.dir, findings, read, sources, run, (targets) => { for (const t of targets) verifying.targets.add(t); });
    if (!run.signal?.aborted && current()) {
      pkg.fixes = fixes;
      onFixes();
    }
  } finally {
    if (pkg.verifying === verifying) pkg.verifying = undefined;
    finish();
  }
}

/** Verified fixes for an open file, if its text is still the one they were verified on. */
export function fixesFor(pkg: FixState | undefined, file: string | undefined, currentText: string): PackageFixes | undefined {
  if (!file || !pkg?.fixes || pkg.fixes.texts.get(file) !== currentText) return undefined;
  return pkg.fixes;
}

/**
 * Waits (at most `ms`) for a fix verification under way in the package when it has a candidate among
 * `targets`: the first Ctrl+. after a save then shows the fix instead of nothing.
 */
export async function fixesReady(pkg: FixState | undefined, targets: readonly string[], ms: number): Promise<void> {
  const v = pkg?.verifying;
  if (!v || !targets.some((t) => v.targets.has(t))) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([v.done, new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
  clearTimeout(timer);
}

/**
 * Marks the Escapes view's items that have a proven fix (with its title), for the view to show: an item's
 * node is found by its place and words, as the tree draws it.
 */
export function markFixes(roots: readonly EscapesNode[], pkgs: readonly { items: readonly Item[]; fixes?: PackageFixes }[]): void {
  const titles = new Map<string, string>();
  const key = (file: string, r: Range, label: string) => `${file}:${r.start.line}:${r.start.character}:${label}`;
  for (const p of pkgs) {
    for (const i of p.items) {
      const fix = p.fixes && i.members.map((m) => p.fixes!.byTarget.get(targetKey(m))).find((v) => !!v);
      if (fix) titles.set(key(i.finding.file, i.range, i.message), fix.title);
    }
  }
  if (titles.size === 0) return;
  const visit = (n: EscapesNode) => {
    if (n.kind === 'item' && n.location) {
      const t = titles.get(key(n.location.file, n.location.range, n.label));
      if (t) n.fix = t;
    }
    n.children?.forEach(visit);
  };
  roots.forEach(visit);
}
