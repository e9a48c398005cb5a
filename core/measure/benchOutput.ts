// Reads `go test -bench -benchmem` result lines:
// `BenchmarkParse-2   	    1100	      2116 ns/op	      72 B/op	       2 allocs/op`

export interface BenchResult { name: string; n: number; nsPerOp: number; bytesPerOp: number; allocsPerOp: number }

// The name, then `-GOMAXPROCS` unless it is 1, then b.N and "value unit" pairs (custom metrics included).
const LINE = /^(Benchmark\S*?)(?:-\d+)?\s+(\d+)((?:\s+[\d.e+-]+ \S+)+)\s*$/;

export function parseBenchOutput(text: string): BenchResult[] {
  const out: BenchResult[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trimEnd());
    if (!m) continue;
    const metrics = new Map<string, number>();
    for (const p of m[3].matchAll(/([\d.e+-]+) (\S+)/g)) metrics.set(p[2], Number(p[1]));
    if (!metrics.has('B/op') || !metrics.has('allocs/op')) continue;
    out.push({ name: m[1], n: Number(m[2]), nsPerOp: metrics.get('ns/op') ?? 0, bytesPerOp: metrics.get('B/op')!, allocsPerOp: metrics.get('allocs/op')! });
  }
  return out;
}
