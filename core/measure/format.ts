// The words for measurements, shared by hovers, lenses and the CLI: "512 B/op, 2 allocs/op",
// "BenchmarkParse: 1,204 → 688 B/op, 9 → 5 allocs/op".
import type { MeasuredCost } from '../model';
import type { Measurement, PerOp } from './model';

export function num(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function perOpText(p: PerOp): string {
  return `${num(p.bytesPerOp)} B/op, ${num(p.allocsPerOp)} allocs/op`;
}

export function changeText(before: PerOp, after: PerOp): string {
  return `${num(before.bytesPerOp)} → ${num(after.bytesPerOp)} B/op, ${num(before.allocsPerOp)} → ${num(after.allocsPerOp)} allocs/op`;
}

/** One finding's cost in one benchmark, with the change since the previous measurement. */
export function measuredText(c: MeasuredCost): string {
  return `${c.before ? changeText(c.before, c) : perOpText(c)} in ${c.benchmark}`;
}

/** The benchmark's own figures (as go test printed them), with the change when there is a previous run. */
export function benchmarkText(m: Measurement, previous?: Measurement): string {
  const head = previous ? changeText(previous.goTest, m.goTest) : perOpText(m.goTest);
  return `${m.benchmark}: ${head} · findings explain ${Math.round(m.explained.share * 100)}%`;
}
