// The CLI's benchmark measurement output (--bench) and report comparison (--compare).
import { readTextBounded } from '../core/platform';
import { MAX_REPORT_BYTES } from './baseline';
import * as path from 'node:path';
import type { BenchmarkFailure } from '../core/analysis/measurePackage';
import { compareMeasurements } from '../core/measure/compare';
import { benchmarkText, perOpText, remainderText } from '../core/measure/format';
import type { Measurement } from '../core/measure/model';

export function formatMeasurements(ms: readonly Measurement[], cwd: string, failures: readonly BenchmarkFailure[] = [], n = 10): string {
  const rel = (p: string) => { const r = path.relative(cwd, p); return r.startsWith('..') ? p : r; };
  const lines: string[] = [];
  for (const m of ms) {
    lines.push(`  ${benchmarkText(m)}`);
    for (const s of m.sites.slice(0, n)) {
      const what = (s.messages ?? []).join('; ');
      lines.push(`    ${perOpText(s).padEnd(28)} ${rel(s.file)}:${s.line}  ${what}${s.packedTiny ? ' (with the tiny allocations packed into its blocks)' : ''}`);
    }
    for (const s of m.unexplained.slice(0, n)) {
      lines.push(`    ${perOpText(s).padEnd(28)} ${rel(s.file)}:${s.line}  no finding${s.callee ? `: allocated inside ${s.callee}` : ''}`);
    }
    const rest = remainderText(m);
    if (rest) lines.push(`    rest: ${rest}`);
  }
  for (const f of failures) lines.push(`  ${f.benchmark}: not measured: ${f.error}`);
  return lines.join('\n');
}

/** `--compare OLD NEW`: both --json reports made with --bench. */
export function compareReports(oldFile: string, newFile: string): string {
  const read = (f: string): Measurement[] => {
    const doc = JSON.parse(readTextBounded(f, MAX_REPORT_BYTES)) as { measurements?: Measurement[] } | null;
    if (!Array.isArray(doc?.measurements)) throw new Error(`${f} has no measurements (make it with --json --bench PATTERN)`);
    return doc!.measurements!;
  };
  const c = compareMeasurements(read(oldFile), read(newFile));
  return [...c.benchmarks, ...c.findings.map((l) => `  ${l}`)].join('\n');
}
