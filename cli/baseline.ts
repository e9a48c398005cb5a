// Baselines for CI: a previous --json report; findings it already had are "known", the rest "new", and
// --fail counts only new ones. Findings match by package, file name, function and message, so a
// baseline survives line moves and works on any machine (no absolute paths or line numbers).
import * as fs from 'node:fs';
import { SCHEMA_VERSION } from './jsonOutput';
import * as path from 'node:path';
import type { Finding } from '../core/model';
import { readTextBounded } from '../core/platform';
import { HEAP_KINDS } from '../core/model';

function key(f: Pick<Finding, 'pkg' | 'file' | 'function' | 'message'>): string {
  return [f.pkg ?? '', path.basename(f.file), f.function ?? '', f.message].join('\u0000');
}

/** A report is text of a few megabytes; more (a device, a stray file) is not one. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/** Throws a one-line Error for anything that is not a report: bad JSON, a wrong schema, junk findings. */
export function loadBaseline(file: string): Map<string, number> {
  const doc = JSON.parse(readTextBounded(file, MAX_REPORT_BYTES)) as { schemaVersion?: number; findings?: unknown[] } | null;
  // A baseline matches findings by their place and words, which version 2 kept: version 1 reports still work.
  if (!doc || typeof doc !== 'object' || (doc.schemaVersion !== 1 && doc.schemaVersion !== SCHEMA_VERSION) || !Array.isArray(doc.findings)) {
    throw new Error(`${file} is not a go-escape-lens --json report (schemaVersion 1 or ${SCHEMA_VERSION})`);
  }
  const counts = new Map<string, number>();
  for (const [i, f] of doc.findings.entries()) {
    if (!isFinding(f)) throw new Error(`findings[${i}] is not a finding (an object with string kind, file and message)`);
    if (HEAP_KINDS.has(f.kind)) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  }
  return counts;
}

/** What key() reads, of the types it reads them as (pkg and function may be absent). */
function isFinding(f: unknown): f is Finding {
  if (!f || typeof f !== 'object') return false;
  const o = f as Record<string, unknown>;
  const optional = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  return typeof o.kind === 'string' && typeof o.file === 'string' && typeof o.message === 'string' && optional(o.pkg) && optional(o.function);
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
