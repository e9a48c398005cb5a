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
