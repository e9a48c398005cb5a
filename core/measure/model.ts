// What one benchmark measurement holds. Plain data: kept by the server between runs, written by the CLI's
// --json (docs/cli.md, "JSON schema"), compared by --compare.

/** Bytes and allocations per benchmark operation. */
export interface PerOp { bytesPerOp: number; allocsPerOp: number }

/** Allocations on one source line, per operation. */
export interface SiteCost extends PerOp {
  file: string;
  /** 1-based, as in the profile. */
  line: number;
  /** Set when the allocation happened inside a function outside the module (fmt.Sprint, strings.Join): that function. */
  callee?: string;
  /**
   * allocsPerOp includes allocations under 16 bytes without pointers that Go's tiny allocator packed into
   * blocks: the profile sees only blocks, so go test's count of the rest is spread over such lines.
   */
  tinyEstimate?: boolean;
  /** Findings on this line (their keys, see findingKey): each is charged the whole line. */
  findings?: string[];
}

export interface Measurement {
  /** The benchmark as named in the source: BenchmarkParse. */
  benchmark: string;
  /** The package directory it ran in. */
  dir: string;
  /** The two fixed iteration counts the benchmark ran with (-test.benchtime=Nx); per-op figures are their difference divided. */
  iterations: { small: number; large: number };
  /** What `go test -benchmem` printed for the large run (B/op and allocs/op are integers, truncated by go test). */
  goTest: PerOp & { n: number; nsPerOp: number };
  /** Every allocation of the profile, per operation (outside the loop cancels out), as the profile saw them (tiny blocks, not tiny objects). */
  profile: PerOp;
  /** Allocations charged to findings, per operation, and that as a share of go test's B/op. */
  explained: PerOp & { share: number };
  /** Lines with findings, costliest first. */
  sites: SiteCost[];
  /** Allocating lines of the module that no finding explains (or the module line that called the allocating library), costliest first. */
  unexplained: SiteCost[];
  /** ISO time of the run. */
  measuredAt: string;
}
