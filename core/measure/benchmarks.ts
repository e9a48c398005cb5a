// Where the benchmarks are in a Go file: `func BenchmarkX(b *testing.B)` at the start of a line, as go test
// finds them (Benchmark followed by a non-lowercase letter or nothing).
export interface BenchmarkDecl { name: string; /** 0-based */ line: number }

const DECL = /^func (Benchmark(?![a-z])\w*)\s*\(\s*\w+\s+\*testing\.B\s*\)/;

export function findBenchmarks(text: string): BenchmarkDecl[] {
  const out: BenchmarkDecl[] = [];
  text.split('\n').forEach((l, line) => {
    const m = DECL.exec(l);
    if (m) out.push({ name: m[1], line });
  });
  return out;
}

/** The 0-based line of `package x` (where a "no benchmarks" lens goes), or 0. */
export function packageClauseLine(text: string): number {
  const i = text.split('\n').findIndex((l) => /^package\s+\w+/.test(l));
  return i < 0 ? 0 : i;
}

/**
 * A `b.Run(…)` call inside a benchmark: `path` is the name go test gives the sub-benchmarks it starts
 * (`BenchmarkX/outer/block`) when its name and its parents' are string literals; otherwise `parent` is
 * the nearest known name above it and `path` is absent (a table's names are known only once measured).
 */
export interface SubBenchmarkCall { line: number; parent: string; path?: string }

export function findSubBenchmarks(text: string): SubBenchmarkCall[] {
  const lines = text.split('\n');
  const decls = findBenchmarks(text);
  const out: SubBenchmarkCall[] = [];
  for (const [i, d] of decls.entries()) {
    const end = Math.min(i + 1 < decls.length ? decls[i + 1].line : lines.length, closingBrace(lines, d.line) + 1 || lines.length);
    const open: Array<{ end: number; path?: string }> = [];
    for (let l = d.line + 1; l < end; l++) {
      while (open.length && open[open.length - 1].end < l) open.pop();
      // A name is known when the whole first argument is a string literal ("size="+n is not).
      const m = /\b\w+\.Run\(\s*(?:("(?:[^"\\]|\\.)*"|`[^`]*`)\s*,)?/.exec(lines[l]);
      if (!m || /^\s*\/\//.test(lines[l])) continue;
      // The nearest enclosing name known; a level of unknown name makes everything under it unknown.
      const known = open.every((o) => o.path !== undefined);
      const parent = [...open].reverse().find((o) => o.path !== undefined)?.path ?? d.name;
      const name = m[1] && m[1].slice(1, -1).replace(/ /g, '_');
      const path = known && name ? `${parent}/${name}` : undefined;
      out.push({ line: l, parent, ...(path ? { path } : {}) });
      open.push({ end: closingBrace(lines, l), path });
    }
  }
  return out;
}

/** The line of the `}` closing the first `{` opened on line `i` (strings and comments aside), or -1. */
export function closingBrace(lines: string[], i: number): number {
  let depth = 0;
  let opened = false;
  for (let k = i; k < lines.length; k++) {
    const code = lines[k].replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
    for (const ch of code) {
      if (ch === '{') { depth++; opened = true; } else if (ch === '}' && --depth === 0 && opened) return k;
    }
  }
  return -1;
}
