// Many packages, one go command: `go build -gcflags=./...=-m=2 ./...` in the root lets the go command
// build the packages in parallel over one package graph (one process, not one per package), and the build
// cache replays every unchanged package. The output is split back into packages by its `# pkg` headers and
// by the directories of the files it names, so each package is reported (and its contracts checked) as if
// it had been analysed alone.
import * as path from 'node:path';
import type { AnalysisResult, BuildError, Finding } from './model';
import { analyzePackage, type AnalyzePackageOptions, type PackageAnalysis } from './analyzePackage';
import { contractFlags, packageContracts, packageFiles } from './contracts/packageContracts';
import type { ContractReport } from './contracts/model';

export interface PackagePart extends AnalysisResult {
  dir: string;
  importPath?: string;
  contracts?: ContractReport;
}

export interface PackagesAnalysis {
  parts: PackagePart[];
  /** The one go command's run, for logs and timing. */
  run: Pick<PackageAnalysis, 'args' | 'compileMs' | 'analyzeMs' | 'output' | 'exitCode'>;
}

export interface AnalyzePackagesOptions extends Omit<AnalyzePackageOptions, 'packages' | 'dir'> {
  /** The directory the pattern is relative to (a module root, or any directory inside one). */
  root: string;
  /** The package pattern, relative to root: `./...`. */
  pattern: string;
  /** The package directories the pattern names (`go list`), for reading their directives first. */
  dirs: readonly string[];
  /** Their import paths, when that `go list` gave them: the analysis then lists nothing again. */
  importPaths?: ReadonlyMap<string, string>;
}

export async function analyzePackages(opts: AnalyzePackagesOptions): Promise<PackagesAnalysis> {
  const files = new Map(opts.dirs.map((d) => [path.resolve(d), packageFiles(d, false, opts.overlay)]));
  // The bounds-check debug output (gcassert:bce) is needed if any package asks for it; its cost is small.
  const extra = [...new Set([...files.values()].flatMap((f) => contractFlags(f)))];
  const known = opts.importPaths && opts.dirs.every((d) => opts.importPaths!.has(d))
    ? opts.dirs.map((d) => ({ importPath: opts.importPaths!.get(d)!, dir: d })) : undefined;
  const r = await analyzePackage({
    ...opts, dir: opts.root, packages: [opts.pattern], gcflags: [...(opts.gcflags ?? []), ...extra], listed: known,
  });
  const importPathOf = new Map((r.packages ?? []).map((p) => [path.resolve(p.dir), p.importPath]));
  const byDir = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const d = path.dirname(f.file);
    let list = byDir.get(d);
    if (!list) byDir.set(d, list = []);
    list.push(f);
  }
  const sections = splitByPackage(r.output);
  // An error the go command printed under no package header concerns every package.
  const general = r.errors.filter((e) => e.pkg === undefined);
  const parts: PackagePart[] = [];
  for (const [dir, pkgFiles] of files) {
    const importPath = importPathOf.get(dir);
    const errors: BuildError[] = [...general, ...r.errors.filter((e) => e.pkg !== undefined && e.pkg === importPath)];
    const counts = importPath ? r.byPackage?.[importPath] : undefined;
    const part: PackagePart = {
      dir, findings: errors.length ? [] : byDir.get(dir) ?? [], errors,
      skipped: counts?.skipped ?? 0, exitCode: errors.length ? r.exitCode : 0,
    };
    if (counts?.foreign) part.foreign = counts.foreign;
    if (importPath) part.importPath = importPath;
    // Each package's section of the output, whose paths are relative to the package's directory.
    const contracts = packageContracts(pkgFiles, part, (importPath && sections.get(importPath)) ?? '', dir);
    if (contracts) part.contracts = contracts;
    parts.push(part);
  }
  return { parts, run: { args: r.args, compileMs: r.compileMs, analyzeMs: r.analyzeMs, output: r.output, exitCode: r.exitCode } };
}

/** The output's lines under each `# pkg` header (`# p [p.test]` counts as p). */
function splitByPackage(output: string): Map<string, string> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('# ')) {
      const pkg = line.slice(2).replace(/ \[.*\]$/, '');
      current = out.get(pkg) ?? [];
      out.set(pkg, current);
    }
    current?.push(line);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('\n')]));
}
