// The contract step of one package analysis: which files to read, whether the compiler must print its
// bounds checks, and the check itself. analyzePackage calls it, so the CLI and the server agree.
import type { AnalysisResult } from '../model';
import { readFromDisk } from '../locate/sourceCache';
import { goFilesIn } from '../util/goFiles';
import { checkContracts, needsBoundsCheckOutput } from './check';
import type { ContractReport } from '../model/contracts';

/** The flag gcassert adds for `//gcassert:bce`: the compiler then prints every bounds check it keeps. */
export const BCE_FLAG = '-d=ssa/check_bce/debug=1';

/** The package's Go files as the compiler sees them (unsaved buffers first). */
export function packageFiles(dir: string, tests: boolean, overlay?: ReadonlyMap<string, string>): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of goFilesIn(dir, { tests }).sort()) {
    const text = overlay?.get(p) ?? readFromDisk(p);
    if (text !== undefined) files.set(p, text);
  }
  return files;
}

/** Extra compiler flags the package's directives need: the bounds-check debug output only for gcassert:bce. */
export function contractFlags(files: ReadonlyMap<string, string>): string[] {
  return needsBoundsCheckOutput(files.values()) ? [BCE_FLAG] : [];
}

/** `goDir`: where the go command ran, when that is not the package's directory `cwd`. */
export function packageContracts(files: ReadonlyMap<string, string>, result: AnalysisResult, output: string | (() => string), cwd: string, goDir?: string): ContractReport | undefined {
  if (result.errors.length > 0) return undefined;
  const report = checkContracts({ files, findings: result.findings, output, cwd, goDir });
  return report.directives.length || report.problems.length ? report : undefined;
}
