// Quick fixes after publishing: squiggles never wait for fix verification. A lightbulb asked for meanwhile
// on a finding with a candidate waits for it (bounded, see `ready`); the others answer at once. Verified
// fixes hold only while the file's text is the one they were verified on.
import type { SourceCache } from '../../core/locate/sourceCache';
import type { Finding } from '../../core/model';
import type { AnalyzePackageOptions } from '../../core/analysis/analyzePackage';
import { packageFixes, type PackageFixes } from '../fixes';
import type { PackageState } from './packages';

export type VerifyRun = Omit<AnalyzePackageOptions, 'sources' | 'dir' | 'all'>;

/**
 * Verifies the fixes of a published analysis' findings; they become the package's (and `onFixes` is told)
 * if `current()` still holds when done. `read`: the texts the analysis saw.
 */
export async function verifyFixes(pkg: PackageState, findings: readonly Finding[], read: (p: string) => string | undefined,
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
export function fixesFor(pkg: PackageState | undefined, file: string | undefined, currentText: string): PackageFixes | undefined {
  if (!file || !pkg?.fixes || pkg.fixes.texts.get(file) !== currentText) return undefined;
  return pkg.fixes;
}

/**
 * Waits (at most `ms`) for a fix verification under way in the package when it has a candidate among
 * `targets`: the first Ctrl+. after a save then shows the fix instead of nothing.
 */
export async function fixesReady(pkg: PackageState | undefined, targets: readonly string[], ms: number): Promise<void> {
  const v = pkg?.verifying;
  if (!v || !targets.some((t) => v.targets.has(t))) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([v.done, new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
  clearTimeout(timer);
}
