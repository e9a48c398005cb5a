// What one benchmark measurement holds. Plain data: kept by the server between runs (and in the user's
// cache, store.ts), written by the CLI's --json (docs/cli.md, "JSON schema"), compared by --compare.

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
   * allocsPerOp includes allocations under 16 bytes that Go's tiny allocator packed into 16-byte blocks
   * this line opened: the profile records a block, not what was packed into it; go test's count of the
   * rest is given to this line because it is the only one opening such blocks.
   */
  packedTiny?: boolean;
  /** Findings on this line (their keys, see findingKey): charged the line once, together. */
  findings?: string[];
  /** Their messages, in the same order: the words a report shows. */
  messages?: string[];
}

/**
 * Where go test's figures went besides the findings: module lines no finding explains and library calls
 * (`unexplained`), the runtime's and the testing package's own allocations, and allocations under 16
 * bytes the tiny allocator packed into blocks opened by several lines (counted by go test, not by the profile).
 */
export interface Remainder { unexplained: PerOp; runtime: PerOp; packedTiny: PerOp }

export interface Measurement {
  /** The leaf benchmark as go test names it, without the -GOMAXPROCS suffix: BenchmarkParse, BenchmarkX/size=10. */
  benchmark: string;
  /** The package directory it ran in. */
  dir: string;
  /** The two fixed iteration counts it ran with (-test.benchtime=Nx); per-op figures are their difference divided. */
  iterations: { small: number; large: number };
  /** What `go test -benchmem` printed for the large run (B/op and allocs/op are integers, truncated by go test). */
  goTest: PerOp & { n: number; nsPerOp: number };
  /** Every allocation of the profile while the timer ran, per operation (tiny blocks, not tiny objects). */
  profile: PerOp;
  /** Allocations charged to findings, per operation, and that as a share of go test's B/op (at most 1). */
  explained: PerOp & { share: number };
  remainder: Remainder;
  /** Allocated per operation while the timer was off (StopTimer…StartTimer, setup before ResetTimer): not in go test's figures. */
  stopped: PerOp;
  /** Lines with findings, costliest first. */
  sites: SiteCost[];
  /** Allocating lines of the module that no finding explains (or the module line that called the allocating library), costliest first. */
  unexplained: SiteCost[];
  /** ISO time of the run. */
  measuredAt: string;
}

/** One benchmark of a package-wide measurement: its figures, or why it has none. */
export type BenchmarkOutcome = { benchmark: string; measurement: Measurement } | { benchmark: string; error: string; output?: string };
