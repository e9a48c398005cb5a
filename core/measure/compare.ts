// Compares two sets of measurements (two CLI --json reports): per benchmark as go test printed it, and per
// finding, matched by identity (findingKey.ts: file name, function, cause, place), so two identical runs
// show no change and an edited allocation shows as one finding before → after.
import { benchmarkText, changeText } from './format';
import { keyParts } from './findingKey';
import type { Measurement, PerOp } from './model';

export interface Comparison { benchmarks: string[]; findings: string[] }

interface Charged extends PerOp { message: string }

function charged(ms: readonly Measurement[]): Map<string, Charged> {
  const out = new Map<string, Charged>();
  for (const m of ms) {
    for (const s of m.sites) {
      (s.findings ?? []).forEach((k, i) => out.set(`${m.benchmark}\0${k}`, { bytesPerOp: s.bytesPerOp, allocsPerOp: s.allocsPerOp, message: s.messages?.[i] ?? '' }));
    }
  }
  return out;
}

export function compareMeasurements(before: readonly Measurement[], after: readonly Measurement[]): Comparison {
  const old = new Map(before.map((m) => [m.benchmark, m]));
  const benchmarks = after.map((m) => benchmarkText(m, old.get(m.benchmark)));
  for (const m of before) if (!after.some((a) => a.benchmark === m.benchmark)) benchmarks.push(`${m.benchmark}: not measured in the new report`);
  const a = charged(before);
  const b = charged(after);
  const zero = { bytesPerOp: 0, allocsPerOp: 0, message: '' };
  const findings: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key) ?? zero;
    const y = b.get(key) ?? zero;
    if (same(x, y)) continue;
    const [bench, id] = key.split('\0');
    const { file, fn } = keyParts(id);
    const message = y.message || x.message;
    const status = !b.has(key) ? ' (gone)' : !a.has(key) ? ' (new)' : '';
    findings.push(`${file} ${fn ? `${fn}: ` : ''}${message}: ${changeText(x, y)} in ${bench}${status}`);
  }
  return { benchmarks, findings };
}

/**
 * The same to go test's resolution (whole bytes) and to a hundredth of an allocation: two runs of the same
 * code differ by what the runtime did now and then, less than a byte per operation.
 */
function same(x: PerOp, y: PerOp): boolean {
  return Math.round(x.bytesPerOp) === Math.round(y.bytesPerOp) && Math.abs(x.allocsPerOp - y.allocsPerOp) < 0.015;
}
