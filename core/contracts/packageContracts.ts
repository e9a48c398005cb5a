// The contract step of one package analysis: which files to read, whether the compiler must print its
// bounds checks, and the check itself. analyzePackage calls it, so the CLI and the server agree.
import type { AnalysisResult } from '../model';
import { readFromDisk } from '../locate/sourceCache';
import { goFilesIn } from '../util/goFiles';
import { checkContracts, isHeapCause, needsBoundsCheckOutput } from './check';
import { fileDirectives, NOHEAP } from './directives';
import type { ContractReport } from '../model/contracts';
import type { CompiledAllocations } from '../model/allocations';

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

/**
 * The functions whose compiled code `//escape:noheap` needs read (those it names, and those holding a
 * statement or variable under it), and whether any counts panic paths; undefined when no file has one, so a
 * package without contracts costs nothing.
 */
export function noheapFunctions(files: ReadonlyMap<string, string>): { functions: string[]; includeCold: boolean } | undefined {
  const names = new Set<string>();
  let includeCold = false;
  for (const [file, text] of files) {
    if (!text.includes(NOHEAP.slice(2))) continue;
    const { directives, tokens } = fileDirectives(file, text, isHeapCause);
    for (const d of directives) {
      if (d.rule !== 'noheap') continue;
      includeCold ||= d.panics === 'include';
      const fn = d.scope === 'function' ? d.target
        : tokens.funcs.find((f) => !f.literal && f.start <= tokens.lineStarts[d.lines.first] && tokens.lineStarts[d.lines.first] < f.end)?.name;
      if (fn) names.add(fn.replace(/\[[^\]]*\]/g, ''));
    }
  }
  return names.size ? { functions: [...names], includeCold } : undefined;
}

/**
 * `goDir`: where the go command ran, when that is not the package's directory `cwd`; `compiled`: the
 * allocations of the package's compiled code (core/compiled), which `//escape:noheap` then reads.
 */
export function packageContracts(files: ReadonlyMap<string, string>, result: AnalysisResult, output: string | (() => string), cwd: string, goDir?: string,
  compiled?: CompiledAllocations): ContractReport | undefined {
  if (result.errors.length > 0) return undefined;
  const report = checkContracts({ files, findings: result.findings, output, cwd, goDir, compiled });
  return report.directives.length || report.problems.length ? report : undefined;
}
