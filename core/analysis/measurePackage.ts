// The one entry point the CLI and the server call: analyse the package with its tests (so allocations in
// benchmarks and code inlined into them have findings too), measure the benchmarks, charge the findings.
import { analyzePackage, type PackageAnalysis } from './analyzePackage';
import type { SourceCache } from '../locate/sourceCache';
import { attachMeasurements } from '../measure/attach';
import { measureBenchmarks, type MeasureOptions } from '../measure/measure';
import type { Measurement } from '../measure/model';

export interface MeasurePackageOptions extends Omit<MeasureOptions, 'findings'> {
  sources: SourceCache;
  /** The last measurement of each benchmark, for before → after. */
  previous?: ReadonlyMap<string, Measurement>;
  /** Also return non-escaping and inliner lines (CLI --all). */
  all?: boolean;
}

export interface PackageMeasurement { analysis: PackageAnalysis; measurements: Measurement[] }

export async function measurePackage(opts: MeasurePackageOptions): Promise<PackageMeasurement> {
  const analysis = await analyzePackage({
    dir: opts.dir, goCommand: opts.goCommand, mode: 'test', gcflags: opts.gcflags, buildFlags: opts.buildFlags, env: opts.env,
    timeoutMs: opts.timeoutMs, signal: opts.signal, sources: opts.sources, all: opts.all,
  });
  if (analysis.errors.length > 0) return { analysis, measurements: [] };
  const measurements = await measureBenchmarks({ ...opts, findings: analysis.findings });
  attachMeasurements(analysis.findings, measurements, opts.previous);
  return { analysis, measurements };
}
