// Quick fixes for one package, verified ahead of time after each analysis and cached per package text.
import { createHash } from 'node:crypto';
import { fixCandidates } from '../core/fixes/candidates';
import { verifyFixes, type VerifiedFix } from '../core/fixes/verify';
import type { GoSource } from '../core/locate/goSource';
import type { ReadFile, SourceCache } from '../core/locate/sourceCache';
import type { Finding } from '../core/model';
import type { AnalyzePackageOptions } from '../core/analysis/analyzePackage';
import { moduleGoMinor } from '../core/run/module';
import { goFilesIn } from '../core/util/goFiles';

export interface PackageFixes {
  /** Verified fixes by target, and the text of each file they were verified on. */
  byTarget: Map<string, VerifiedFix>;
  texts: Map<string, string>;
}

const cache = new Map<string, PackageFixes>();

export async function packageFixes(
  dir: string, findings: readonly Finding[], read: ReadFile, sources: SourceCache,
  run: Omit<AnalyzePackageOptions, 'sources' | 'dir' | 'all'>,
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
  const verified = candidates.length
    ? await verifyFixes(candidates, { ...run, dir, sources, files, baseline: findings })
    : [];
  const result: PackageFixes = { byTarget: new Map(verified.map((v) => [v.target, v])), texts };
  if (!run.signal?.aborted) {
    if (cache.size > 50) cache.delete(cache.keys().next().value as string);
    cache.set(key, result);
  }
  return result;
}
