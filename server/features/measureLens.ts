// Code lenses for measurement: above each benchmark ("measure allocations", or its last figures with the
// change since the run before; for a benchmark of sub-benchmarks, how many were measured), above each
// b.Run call of a benchmark (its leaves' figures: a table's names are known once measured), on the package
// clause of test files (all benchmarks, or "no benchmarks" with the heap-profile setting offered), and
// above each function whose findings were measured.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver';
import type { Finding } from '../../core/model';
import { findBenchmarks, findSubBenchmarks, packageClauseLine } from '../../core/measure/benchmarks';
import { benchmarkText, changeText, num, perOpText } from '../../core/measure/format';
import type { Measurement, PerOp } from '../../core/measure/model';
import { MEASURE_COMMAND, OPEN_SETTING_COMMAND } from '../protocol';
import { readFromDisk } from '../../core/locate/sourceCache';
import { goFilesIn } from '../../core/util/goFiles';

export interface LensState {
  running: boolean;
  benchmarks: ReadonlyMap<string, { last: Measurement; previous?: Measurement }>;
}

const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });

export function measureLenses(uri: string, file: string, text: string, findings: readonly Finding[], state: LensState): CodeLens[] {
  const lenses: CodeLens[] = [];
  const benchmarkLines = new Set<number>();
  const command = (title: string, benchmark?: string) => ({ title, command: MEASURE_COMMAND, arguments: benchmark ? [uri, benchmark] : [uri] });
  if (file.endsWith('_test.go')) {
    const decls = findBenchmarks(text);
    const clause = packageClauseLine(text);
    if (decls.length === 0 && !packageHasBenchmarks(path.dirname(file))) {
      lenses.push({ range: at(clause), command: {
        title: 'Go Escape Lens: no benchmarks in this package to measure allocations with · or use a heap profile (goEscapeLens.heapProfile)',
        command: OPEN_SETTING_COMMAND, arguments: ['goEscapeLens.heapProfile'],
      } });
    } else if (decls.length > 0) {
      lenses.push({ range: at(clause), command: state.running ? { title: 'measuring allocations…', command: '' } : command('measure allocations of all benchmarks') });
    }
    for (const d of decls) {
      benchmarkLines.add(d.line);
      const kept = state.benchmarks.get(d.name);
      const leaves = leavesUnder(state, d.name);
      const title = state.running ? 'measuring allocations…'
        : kept ? `${benchmarkText(kept.last, kept.previous)} · measure again`
          : leaves.length ? `${leaves.length} sub-benchmark${leaves.length > 1 ? 's' : ''} measured · measure again` : 'measure allocations';
      lenses.push({ range: at(d.line), command: state.running ? { title, command: '' } : command(title, d.name) });
    }
    for (const r of findSubBenchmarks(text)) {
      const under = r.path ? [...(state.benchmarks.has(r.path) ? [r.path] : []), ...leavesUnder(state, r.path)] : leavesUnder(state, r.parent);
      const shown = under.slice(0, 4).map((name) => `${name.slice(r.parent.length + 1)}: ${perOpText(state.benchmarks.get(name)!.last.goTest)}`);
      const title = state.running ? 'measuring allocations…'
        : shown.length ? `${shown.join(' · ')}${under.length > 4 ? ` · ${under.length - 4} more` : ''}` : 'measure allocations of these sub-benchmarks';
      lenses.push({ range: at(r.line), command: state.running ? { title, command: '' } : command(title, r.path ?? r.parent) });
    }
  }
  // Per function: what its findings allocate per operation in the costliest benchmark.
  const byFunction = new Map<string, Map<string, { now: PerOp; before?: PerOp }>>();
  for (const f of findings) {
    if (!f.measured || !f.function) continue;
    const perBench = byFunction.get(f.function) ?? new Map<string, { now: PerOp; before?: PerOp }>();
    byFunction.set(f.function, perBench);
    for (const c of f.measured) {
      const e = perBench.get(c.benchmark) ?? { now: { bytesPerOp: 0, allocsPerOp: 0 } };
      e.now = { bytesPerOp: e.now.bytesPerOp + c.bytesPerOp, allocsPerOp: e.now.allocsPerOp + c.allocsPerOp };
      if (c.before) e.before = { bytesPerOp: (e.before?.bytesPerOp ?? 0) + c.before.bytesPerOp, allocsPerOp: (e.before?.allocsPerOp ?? 0) + c.before.allocsPerOp };
      perBench.set(c.benchmark, e);
    }
  }
  const lines = text.split('\n');
  for (const [fn, perBench] of byFunction) {
    const line = declLine(lines, fn);
    // A benchmark's own lens already says what it allocates.
    if (line < 0 || benchmarkLines.has(line)) continue;
    const [bench, e] = [...perBench].sort((a, b) => b[1].now.bytesPerOp - a[1].now.bytesPerOp)[0];
    const figures = e.before ? changeText(e.before, e.now) : perOpText(e.now);
    lenses.push({ range: at(line), command: { title: `heap escapes here: ${figures} in ${bench}`, command: '' } });
  }
  return lenses;
}

/** The measured leaves below `name` (`BenchmarkX/…`), in the order they were measured. */
function leavesUnder(state: LensState, name: string): string[] {
  return [...state.benchmarks.keys()].filter((k) => k.startsWith(`${name}/`));
}

/** `F`, `T.M`, `(*T).M`, `F.func1` → the line of its `func` declaration, or -1. */
function declLine(lines: string[], fn: string): number {
  const outer = fn.replace(/(\.func\d+)+$/, '').replace(/\.gowrap\d+$/, '');
  const name = outer.slice(outer.lastIndexOf('.') + 1);
  const decl = new RegExp(`^func\\s+(\\([^)]*\\)\\s*)?${name.replace(/[^\w]/g, '')}\\s*[[(]`);
  return lines.findIndex((l) => decl.test(l));
}

function packageHasBenchmarks(dir: string): boolean {
  return goFilesIn(dir, { onlyTests: true }).some((f) => findBenchmarks(readFromDisk(f) ?? '').length > 0);
}
