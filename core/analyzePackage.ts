// One analysis of one package directory: run the compiler, then the pure pipeline on its output.
import type { AnalysisResult } from './model';
import { analyzeOutput } from './analyze';
import { runGo, type RunOptions } from './run/runGo';
import * as fs from 'node:fs';
import { readFromDisk, type SourceCache } from './locate/sourceCache';

export interface PackageAnalysis extends AnalysisResult {
  dir: string;
  /** The go command line, for logs. */
  args: string[];
  output: string;
  compileMs: number;
  analyzeMs: number;
}

export interface AnalyzePackageOptions extends RunOptions {
  sources: SourceCache;
  all?: boolean;
}

export async function analyzePackage(opts: AnalyzePackageOptions): Promise<PackageAnalysis> {
  const run = await runGo(opts);
  const t0 = performance.now();
  const overlay = opts.overlay;
  const result = analyzeOutput(run.output, {
    cwd: opts.dir,
    exitCode: run.exitCode,
    all: opts.all,
    sources: opts.sources,
    readFile: overlay && overlay.size > 0 ? (p) => overlay.get(p) ?? readFromDisk(p) : undefined,
    exists: overlay && overlay.size > 0 ? (p) => overlay.has(p) || fs.existsSync(p) : undefined,
  });
  if (run.exitCode !== 0 && result.errors.length === 0) {
    // A failure the parser did not recognise as a compile error (a go-command problem): never silent.
    result.errors.push({ message: run.output.trim().split('\n').slice(0, 5).join('\n') || `go exited with status ${run.exitCode}` });
    result.findings = [];
  }
  return { ...result, dir: opts.dir, args: run.args, output: run.output, compileMs: run.durationMs, analyzeMs: performance.now() - t0 };
}
