// One analysis of one package directory: run the compiler, then the pure pipeline on its output.
import type { AnalysisResult } from './model';
import { analyzeOutput } from './analyze';
import { runGo, type RunOptions } from './run/runGo';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  /** Only findings in these files (absolute paths) are located and returned. */
  onlyFiles?: ReadonlySet<string>;
}

export async function analyzePackage(opts: AnalyzePackageOptions): Promise<PackageAnalysis> {
  const running = runGo(opts);
  // While the compiler runs, the parser helper (of the same toolchain) parses the package's sources:
  // locating the output then finds the trees ready. Its failures surface through the run (go missing)
  // or, at the latest, when a tree is needed.
  opts.sources.useToolchain({ goCommand: opts.goCommand, env: opts.env });
  const read = (p: string) => opts.overlay?.get(p) ?? readFromDisk(p);
  const warm = opts.sources.preload(packageFiles(opts.dir), read).catch(() => undefined);
  const run = await running;
  await warm;
  // Files of other packages the output names (flows, inlined code): one batch as well.
  await opts.sources.preloadOutput(run.output, opts.dir, read).catch(() => undefined);
  const t0 = performance.now();
  const overlay = opts.overlay;
  const result = analyzeOutput(run.output, {
    cwd: opts.dir,
    exitCode: run.exitCode,
    all: opts.all,
    sources: opts.sources,
    onlyFiles: opts.onlyFiles,
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

function packageFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => path.join(dir, f));
  } catch {
    return []; // runGo reports it
  }
}
