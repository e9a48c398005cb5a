// Puts measurements on findings (Finding.measured), matched by finding identity (findingKey.ts) so they
// survive edits that move lines, with the previous measurement of the same benchmark as `before`.
import type { Finding, MeasuredCost } from '../model';
import { findingKeys } from './findingKey';
import type { Measurement, PerOp } from './model';

export function attachMeasurements(findings: readonly Finding[], measurements: readonly Measurement[],
  previous?: ReadonlyMap<string, Measurement>): void {
  const keys = findingKeys(findings);
  const charged = (m: Measurement): Map<string, PerOp> => {
    const byKey = new Map<string, PerOp>();
    for (const s of m.sites) for (const k of s.findings ?? []) byKey.set(k, { bytesPerOp: s.bytesPerOp, allocsPerOp: s.allocsPerOp });
    return byKey;
  };
  for (const f of findings) delete f.measured;
  for (const m of measurements) {
    const now = charged(m);
    const prev = previous?.get(m.benchmark);
    const then = prev && charged(prev);
    for (const f of findings) {
      const k = keys.get(f)!;
      const cost = now.get(k);
      const before = then?.get(k);
      if (!cost && !before) continue;
      const entry: MeasuredCost = { benchmark: m.benchmark, ...(cost ?? { bytesPerOp: 0, allocsPerOp: 0 }) };
      if (then) entry.before = before ?? { bytesPerOp: 0, allocsPerOp: 0 };
      (f.measured ??= []).push(entry);
    }
  }
  for (const f of findings) f.measured?.sort((a, b) => b.bytesPerOp - a.bytesPerOp);
}

/** The most a finding costs in any measured benchmark: for ranking, costliest first. */
export function measuredBytes(f: Finding): number {
  return f.measured?.reduce((m, c) => Math.max(m, c.bytesPerOp), 0) ?? 0;
}
