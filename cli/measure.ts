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

/** `--compare OLD NEW`: both --json reports made with --bench. Throws a one-line Error for anything else. */
export function compareReports(oldFile: string, newFile: string): string {
  const c = compareMeasurements(readMeasurements(oldFile), readMeasurements(newFile));
  return [...c.benchmarks, ...c.findings.map((l) => `  ${l}`)].join('\n');
}

function readMeasurements(file: string): Measurement[] {
  let text: string;
  try { text = readTextBounded(file, MAX_REPORT_BYTES); } catch (e) { throw new Error(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { throw new Error(`${file} is not JSON (make it with --json --bench PATTERN)`); }
  const ms = (doc as { measurements?: unknown } | null)?.measurements;
  if (!Array.isArray(ms)) throw new Error(`${file} has no measurements (make it with --json --bench PATTERN)`);
  ms.forEach((m, i) => {
    const bad = measurementProblem(m);
    if (bad) throw new Error(`${file}: measurements[${i}] is not a measurement (${bad})`);
  });
  return ms as Measurement[];
}

/** What compareMeasurements reads, of the types it reads them as: the first thing that is not. */
function measurementProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'not an object';
  if (typeof m.benchmark !== 'string') return 'no benchmark name';
  if (!isPerOp(m.goTest)) return 'no goTest B/op and allocs/op';
  if (!isObject(m.explained) || typeof m.explained.share !== 'number') return 'no explained share';
  if (!Array.isArray(m.sites)) return 'no sites';
  for (const s of m.sites) {
    if (!isPerOp(s)) return 'a site without B/op and allocs/op';
    if (!optionalStrings(s.findings) || !optionalStrings(s.messages)) return 'a site whose findings or messages are not strings';
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPerOp(v: unknown): v is Record<string, unknown> {
  return isObject(v) && Number.isFinite(v.bytesPerOp) && Number.isFinite(v.allocsPerOp);
}

function optionalStrings(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}
