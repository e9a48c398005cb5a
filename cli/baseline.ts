// Baselines for CI: a previous --json report; findings it already had are "known", the rest "new", and
// --fail counts only new ones. Findings match by package, file name, function and message, so a
// baseline survives line moves and works on any machine (no absolute paths or line numbers).
import * as fs from 'node:fs';
import { SCHEMA_VERSION } from './jsonOutput';
import * as path from 'node:path';
import type { Finding } from '../core/model';
import { HEAP_KINDS } from '../core/model';

function key(f: Pick<Finding, 'pkg' | 'file' | 'function' | 'message'>): string {
  return [f.pkg ?? '', path.basename(f.file), f.function ?? '', f.message].join('\u0000');
}

export function loadBaseline(file: string): Map<string, number> {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { schemaVersion?: number; findings?: Finding[] };
  // A baseline matches findings by their place and words, which version 2 kept: version 1 reports still work.
  if ((doc.schemaVersion !== 1 && doc.schemaVersion !== SCHEMA_VERSION) || !Array.isArray(doc.findings)) {
    throw new Error(`${file} is not a go-escape-lens --json report (schemaVersion 1 or ${SCHEMA_VERSION})`);
  }
  const counts = new Map<string, number>();
  for (const f of doc.findings) if (HEAP_KINDS.has(f.kind)) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return counts;
}

/** The findings not in the baseline (as many of each as the baseline lacks). */
export function newFindings(findings: readonly Finding[], baseline: ReadonlyMap<string, number>): Set<Finding> {
  const left = new Map(baseline);
  const fresh = new Set<Finding>();
  for (const f of findings) {
    if (!HEAP_KINDS.has(f.kind)) continue;
    const k = key(f);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1); else fresh.add(f);
  }
  return fresh;
}
