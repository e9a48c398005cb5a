// The words for measurements, shared by hovers, lenses and the CLI: "512 B/op, 2 allocs/op",
// "BenchmarkParse: 1,204 → 688 B/op, 9 → 5 allocs/op".
import type { MeasuredCost } from '../model';
import type { Measurement, PerOp } from './model';

export function num(n: number, digits = 2): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

// Bytes to a tenth: what the runtime allocates now and then on its own leaves hundredths in the figures.
const bytes = (n: number) => num(n, 1);

export function perOpText(p: PerOp): string {
  return `${bytes(p.bytesPerOp)} B/op, ${num(p.allocsPerOp)} allocs/op`;
}

export function changeText(before: PerOp, after: PerOp): string {
  return `${bytes(before.bytesPerOp)} → ${bytes(after.bytesPerOp)} B/op, ${num(before.allocsPerOp)} → ${num(after.allocsPerOp)} allocs/op`;
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

/** Where the rest of go test's figures went, and what the timer-stopped code allocated: only the parts that are not zero. */
export function remainderText(m: Measurement): string {
  const parts: string[] = [];
  const part = (what: string, p: PerOp) => { if (p.bytesPerOp > 0 || p.allocsPerOp > 0) parts.push(`${what} ${perOpText(p)}`); };
  part('no finding (module lines, library calls):', m.remainder.unexplained);
  part('runtime and testing package:', m.remainder.runtime);
  part('tiny allocations packed into blocks of several lines:', m.remainder.packedTiny);
  part('with the timer stopped (not counted by go test):', m.stopped);
  return parts.join(' · ');
}
