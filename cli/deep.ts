// --deep and --graph: the CLI's adapter over core/deep. Paths are followed per package directory (the go
// command for a dependency runs from the user's package, so versions and build tags match).
import * as path from 'node:path';
import { DeepCache } from '../core/deep/cache';
import { explainAll } from '../core/deep/explainAll';
import { buildGraph, toDot, toMermaid } from '../core/deep/graph';
import { explainDeep } from '../core/deep/walk';
import type { Finding } from '../core/model';
import type { CliOptions } from './args';

export interface DirFindings { dir: string; findings: Finding[] }

/** The finding --at FILE:LINE names (the most relevant one on that line that has a path). */
export function findingAt(groups: readonly DirFindings[], at: { file: string; line: number }, cwd: string): { dir: string; finding: Finding } | undefined {
  const file = path.resolve(cwd, at.file);
  for (const g of groups) {
    const here = g.findings.filter((f) => f.file === file && f.range.start.line + 1 === at.line && f.tier);
    const best = here.find((f) => f.flow.length > 0) ?? here[0];
    if (best) return { dir: g.dir, finding: best };
  }
  return undefined;
}

/** Attaches `deep` to every finding whose path ends at a call (--deep). */
export async function deepen(groups: readonly DirFindings[], opts: CliOptions, cache = new DeepCache()): Promise<void> {
  for (const g of groups) {
    const paths = await explainAll(g.findings, {
      dir: g.dir, cache, goCommand: opts.goCommand, buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs,
    });
    for (const [f, d] of paths) f.deep = d;
  }
}

export async function deepenOne(dir: string, f: Finding, opts: CliOptions, cache = new DeepCache()): Promise<void> {
  const d = await explainDeep(f, { dir, cache, goCommand: opts.goCommand, buildFlags: opts.buildFlags, timeoutMs: opts.timeoutMs });
  if (d) f.deep = d;
}

export function graphText(f: Finding, format: 'mermaid' | 'dot'): string {
  const g = buildGraph(f, f.deep);
  return format === 'dot' ? toDot(g) : toMermaid(g);
}
