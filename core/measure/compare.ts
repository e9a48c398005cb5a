// Compares two sets of measurements (two CLI --json reports): per benchmark as go test printed it, and per
// finding, matched by finding key without the directory so reports from two checkouts compare.
import * as path from 'node:path';
import { benchmarkText, changeText } from './format';
import type { Measurement, PerOp } from './model';

export interface Comparison { benchmarks: string[]; findings: string[] }

/** `dir/file.go|F|msg|0` → `file.go|F|msg|0`. */
function portable(key: string): string {
  const bar = key.indexOf('|');
  return path.basename(key.slice(0, bar)) + key.slice(bar);
}

function charged(ms: readonly Measurement[]): Map<string, PerOp> {
  const out = new Map<string, PerOp>();
  for (const m of ms) for (const s of m.sites) for (const k of s.findings ?? []) out.set(`${m.benchmark}|${portable(k)}`, s);
  return out;
}

export function compareMeasurements(before: readonly Measurement[], after: readonly Measurement[]): Comparison {
  const old = new Map(before.map((m) => [m.benchmark, m]));
  const benchmarks = after.map((m) => benchmarkText(m, old.get(m.benchmark)));
  for (const m of before) if (!after.some((a) => a.benchmark === m.benchmark)) benchmarks.push(`${m.benchmark}: not measured in the new report`);
  const a = charged(before);
  const b = charged(after);
  const zero = { bytesPerOp: 0, allocsPerOp: 0 };
  const findings: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key) ?? zero;
    const y = b.get(key) ?? zero;
    if (x.bytesPerOp === y.bytesPerOp && x.allocsPerOp === y.allocsPerOp) continue;
    const [bench, file, fn, message] = key.split('|');
    findings.push(`${file} ${fn ? `${fn}: ` : ''}${message}: ${changeText(x, y)} in ${bench}${b.has(key) ? '' : ' (gone)'}`);
  }
  return { benchmarks, findings };
}
