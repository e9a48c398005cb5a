// What an analysis of many packages in one go command takes and gives (analyzePackages.ts).
import type { AnalysisResult } from '../model';
import type { ContractReport } from '../model/contracts';
import type { AnalyzePackageOptions, PackageAnalysis } from './analyzePackage';
import type { StartedBuild } from './packagesBuild';

export interface PackagePart extends AnalysisResult {
  dir: string;
  importPath?: string;
  contracts?: ContractReport;
}

export interface PackagesAnalysis {
  parts: PackagePart[];
  /** The one go command's run, for logs and timing. */
  run: Pick<PackageAnalysis, 'args' | 'compileMs' | 'analyzeMs' | 'output' | 'exitCode'>;
  /** True when each package's section was analysed as it arrived; false when the whole output was analysed at the end. */
  streamed: boolean;
}

export interface AnalyzePackagesOptions extends Omit<AnalyzePackageOptions, 'packages' | 'dir' | 'started'> {
  /** The directory the pattern is relative to (a module root, or any directory inside one). */
  root: string;
  /** The package pattern, relative to root: `./...`. */
  pattern: string;
  /** The package directories the pattern names (`go list`), for reading their directives first. */
  dirs: readonly string[];
  /** Their import paths, when that `go list` gave them: the analysis then lists nothing again. */
  importPaths?: ReadonlyMap<string, string>;
  /** The go command, if it was started before the packages were listed (startPackagesBuild). */
  started?: StartedBuild;
  /** Told as each package's result is ready (a terminal's progress), in the order they are ready. */
  onPart?: (part: PackagePart, done: number, total: number) => void;
}
