// Two profiled runs of one benchmark → its figures per operation.
//
// Both runs do the same fixed work besides the operations (the probe go test runs first, setup once per
// run, the testing package), so the difference of their profiles divided by the difference of their
// iteration counts is what one operation allocates. Figures are never negative: a line that allocated
// less in the longer run (a pool refilled by a collection that happened to fall in the shorter one) did
// not allocate per operation. A benchmark go test measured at 0 B/op and 0 allocs/op shows 0 throughout:
// whatever the profile saw was less than one byte per operation, which go test rounds away.
import type { BenchResult } from './benchOutput';
import type { Attribution, Cost } from './attribute';
import type { Measurement, PerOp, SiteCost } from './model';

export function perOp(
  benchmark: string, dir: string, iterations: { small: number; large: number }, small: Attribution, large: Attribution,
  bench: BenchResult, keysByLine: ReadonlyMap<string, ReadonlyArray<{ key: string; message: string }>>,
): Measurement {
  const ops = iterations.large - iterations.small;
  const zeroBench = bench.bytesPerOp === 0 && bench.allocsPerOp === 0;
  const raw = (a: Cost | undefined, b: Cost | undefined, k: keyof Cost) => Math.max(0, ((b?.[k] ?? 0) - (a?.[k] ?? 0)) / ops);
  const per = (a: Cost | undefined, b: Cost | undefined, k: keyof Cost) => (zeroBench ? 0 : raw(a, b, k));
  const figures = (a: Cost | undefined, b: Cost | undefined): PerOp => ({ bytesPerOp: round(per(a, b, 'bytes')), allocsPerOp: round(per(a, b, 'objects')) });
  const sites = (big: Map<string, Cost>, little: Map<string, Cost>, withKeys: boolean): Array<SiteCost & { block16: number }> => [...big.keys()]
    .map((k) => {
      const [where, callee] = k.split('\0');
      const at = where.lastIndexOf(':');
      const site: SiteCost & { block16: number } = {
        file: where.slice(0, at), line: Number(where.slice(at + 1)), ...figures(little.get(k), big.get(k)), block16: per(little.get(k), big.get(k), 'block16'),
      };
      if (callee) site.callee = callee;
      if (withKeys) {
        site.findings = (keysByLine.get(where) ?? []).map((f) => f.key);
        site.messages = (keysByLine.get(where) ?? []).map((f) => f.message);
      }
      return site;
    })
    // Setup and one-off allocations cancel out: what is left allocates per operation.
    .filter((s) => s.bytesPerOp > 0 || s.allocsPerOp > 0);
  const charged = sites(large.sites, small.sites, true);
  const other = sites(large.unexplained, small.unexplained, false);
  const runtime = figures(small.runtime, large.runtime);
  const timed = [...charged, ...other].reduce((n, s) => n + s.allocsPerOp, runtime.allocsPerOp);
  // go test counts every allocation; the profile counts a tiny-allocator block once, not the objects packed
  // into it later. The difference is exact; it belongs to a line only when one line opens such blocks.
  const unseen = zeroBench ? 0 : round(bench.allocsPerOp - timed);
  const packed: PerOp = { bytesPerOp: 0, allocsPerOp: 0 };
  if (unseen > 0) {
    const openers = [...charged, ...other].filter((s) => s.block16 > 0);
    if (openers.length === 1) {
      openers[0].allocsPerOp = round(openers[0].allocsPerOp + unseen);
      openers[0].packedTiny = true;
    } else {
      packed.allocsPerOp = unseen;
    }
  }
  const sum = (xs: readonly PerOp[]): PerOp => ({
    bytesPerOp: round(xs.reduce((n, s) => n + s.bytesPerOp, 0)), allocsPerOp: round(xs.reduce((n, s) => n + s.allocsPerOp, 0)),
  });
  const explained = sum(charged);
  const clean = (xs: Array<SiteCost & { block16: number }>): SiteCost[] => xs
    .map(({ block16: _, ...s }) => s)
    .sort((a, b) => b.bytesPerOp - a.bytesPerOp || b.allocsPerOp - a.allocsPerOp);
  return {
    benchmark, dir, iterations,
    goTest: { n: bench.n, nsPerOp: bench.nsPerOp, bytesPerOp: bench.bytesPerOp, allocsPerOp: bench.allocsPerOp },
    profile: zeroBench ? { bytesPerOp: 0, allocsPerOp: 0 } : { bytesPerOp: round(per(small.total, large.total, 'bytes') - per(small.stopped, large.stopped, 'bytes')),
      allocsPerOp: round(per(small.total, large.total, 'objects') - per(small.stopped, large.stopped, 'objects')) },
    explained: { ...explained, share: bench.bytesPerOp > 0 ? round(Math.min(1, explained.bytesPerOp / bench.bytesPerOp), 4) : 0 },
    remainder: { unexplained: sum(other), runtime, packedTiny: packed },
    stopped: { bytesPerOp: round(raw(small.stopped, large.stopped, 'bytes')), allocsPerOp: round(raw(small.stopped, large.stopped, 'objects')) },
    sites: clean(charged),
    unexplained: clean(other),
    measuredAt: new Date().toISOString(),
  };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
