// Many packages, one go command: the packages' escape flags through `-gcflags=./...=-m=2 ./...` in the
// root let the go command compile them in parallel over one package graph (one process, not one per
// package), and the build cache replays every unchanged package. The output is split back into packages
// by its `# pkg` headers and by the directories of the files it names, so each package is reported (and
// its contracts checked) as if it had been analysed alone: as it streams (streamedPackages.ts) when the
// packages are known up front and on disk, else from the whole output at the end.
import * as path from 'node:path';
import type { BuildError } from '../model';
import { analyzePackage, type PackageAnalysis } from './analyzePackage';
import { splitByPackage } from './packageSections';
import { startPackagesBuild } from './packagesBuild';
import type { AnalyzePackagesOptions, PackagePart, PackagesAnalysis } from './packagesModel';
import { analyzeAsItComes, findingsByDir } from './streamedPackages';
import { contractFlags, packageContracts, packageFiles } from '../contracts/packageContracts';

export type { AnalyzePackagesOptions, PackagePart, PackagesAnalysis } from './packagesModel';

export async function analyzePackages(opts: AnalyzePackagesOptions): Promise<PackagesAnalysis> {
  const files = new Map(opts.dirs.map((d) => [path.resolve(d), packageFiles(d, false, opts.overlay)]));
  // The bounds-check debug output (gcassert:bce) is needed if any package asks for it; its cost is small.
  const extra = [...new Set([...files.values()].flatMap((f) => contractFlags(f)))];
  const gcflags = [...(opts.gcflags ?? []), ...extra];
  const known = opts.importPaths && opts.dirs.every((d) => opts.importPaths!.has(d))
    ? opts.dirs.map((d) => ({ importPath: opts.importPaths!.get(d)!, dir: d })) : undefined;
  let started = opts.started;
  if (started && (started.root !== opts.root || started.gcflags.join('\0') !== gcflags.join('\0'))) { started.cancel(); started = undefined; }
  // Streaming needs the packages' import paths up front and real files on disk (an overlay renames files
  // in the whole output only).
  if (known && !(opts.overlay && opts.overlay.size > 0) && !opts.onlyFiles) {
    started ??= startPackagesBuild({ ...opts, gcflags });
    const streamed = await analyzeAsItComes(opts, started, known, files);
    if (streamed) return streamed;
  }
  started?.read(() => undefined); // its whole output comes with the run's result
  const r = await analyzePackage({ ...opts, dir: opts.root, packages: [opts.pattern], gcflags, listed: known, started: started?.run });
  const result = partsOfWhole(opts, r, files);
  let done = 0;
  for (const part of result.parts) opts.onPart?.(part, ++done, result.parts.length);
  return result;
}

/** The analysis of the whole output, split by package afterwards. */
function partsOfWhole(opts: AnalyzePackagesOptions, r: PackageAnalysis, files: Map<string, Map<string, string>>): PackagesAnalysis {
  const importPathOf = new Map((r.packages ?? []).map((p) => [path.resolve(p.dir), p.importPath]));
  const byDir = findingsByDir(r.findings);
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
    // Each package's section of the output; its paths are relative to where go ran (or to where a replayed
    // build first ran).
    const contracts = packageContracts(pkgFiles, part, (importPath && sections.get(importPath)) ?? '', dir, opts.root);
    if (contracts) part.contracts = contracts;
    parts.push(part);
  }
  return { parts, run: { args: r.args, compileMs: r.compileMs, analyzeMs: r.analyzeMs, output: r.output, exitCode: r.exitCode }, streamed: false };
}
