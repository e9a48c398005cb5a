// The one entry point the CLI and the server call: analyse the package with its tests (so allocations in
// benchmarks and code inlined into them have findings too), measure the benchmarks, charge the findings.
// Each benchmark has its own outcome: one that fails or prints nothing is reported beside the others.
import { analyzePackage, type PackageAnalysis } from './analyzePackage';
import type { SourceCache } from '../locate/sourceCache';
import { attachMeasurements } from '../measure/attach';
import { measureBenchmarks, type MeasureOptions } from '../measure/measure';
import type { BenchmarkOutcome, Measurement } from '../measure/model';

export interface MeasurePackageOptions extends Omit<MeasureOptions, 'findings'> {
  sources: SourceCache;
  /** The last measurement of each benchmark, for before → after. */
  previous?: ReadonlyMap<string, Measurement>;
  /** Also return non-escaping and inliner lines (CLI --all). */
  all?: boolean;
}

export interface BenchmarkFailure { benchmark: string; error: string; output?: string }

export interface PackageMeasurement {
  analysis: PackageAnalysis;
  /** The benchmarks measured, in go test's order. */
  measurements: Measurement[];
  /** The benchmarks that failed, each with its own error. */
  failures: BenchmarkFailure[];
}

export async function measurePackage(opts: MeasurePackageOptions): Promise<PackageMeasurement> {
  const analysis = await analyzePackage({
    dir: opts.dir, goCommand: opts.goCommand, mode: 'test', gcflags: opts.gcflags, buildFlags: opts.buildFlags, env: opts.env,
    timeoutMs: opts.timeoutMs, signal: opts.signal, sources: opts.sources, all: opts.all,
  });
  if (analysis.errors.length > 0) return { analysis, measurements: [], failures: [] };
  const outcomes = await measureBenchmarks({ ...opts, findings: analysis.findings });
  const measurements = outcomes.flatMap((o) => ('measurement' in o ? [o.measurement] : []));
  const failures = outcomes.flatMap((o: BenchmarkOutcome) => ('error' in o ? [o] : []));
  attachMeasurements(analysis.findings, measurements, opts.previous);
  return { analysis, measurements, failures };
}
