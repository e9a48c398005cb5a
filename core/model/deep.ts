// The shape of a path followed past the package boundary: each hop is one callee's `leaking param`
// explanation, taken from that callee's own package output. Pure types.
import type { Range } from './positions';

/** One `from WHERE (WHY) at POS` step inside a callee, with the package and function it belongs to. */
export interface DeepStep {
  /** Import path of the package whose output printed this step (`fmt`, `encoding/json`). */
  pkg: string;
  /** The function the step is in, as the compiler names it in that package (`Fprintln`, `(*pp).doPrintln`). */
  function: string;
  /** The edge as printed: `{heap} ← *a`. */
  edge: string;
  where: string;
  why: string;
  /** Absolute path (module cache, GOROOT or the user's module); empty when the compiler named none. */
  file: string;
  line: number;
  column?: number;
  range?: Range;
}

/** One callee on the path: which of its parameters received the value and what its summary says. */
export interface DeepHop {
  pkg: string;
  function: string;
  /** The parameter that received the value (`a`), or the receiver's name. */
  param: string;
  /** The callee's own summary line for that parameter: `leaking param content: a`. */
  message: string;
  /** Dereferences the leak is reported with (`derefs=1`: what the parameter points to). */
  derefs: number;
  /** Where the parameter is declared. */
  file: string;
  line: number;
  column?: number;
  /** The call in the caller that handed the value over, as printed: `fmt.Fprintln(os.Stdout, fmt.a...)`. */
  call: string;
  steps: DeepStep[];
}

/** Where a value ends up; each kind maps to a cause of the one table (see sinks.ts). */
export type SinkKind =
  | 'stored'          // assigned into a heap object or a package variable
  | 'interface-call'  // passed to a method called through an interface
  | 'func-value-call' // passed to a function value
  | 'goroutine'
  | 'reflection'      // handed to reflect (inlined reflect code, reflect.* calls, unsafe_New)
  | 'unsafe'
  | 'channel'
  | 'map'
  | 'append'
  | 'closure'         // captured by a closure that escapes
  | 'panic';          // the panic value is kept by the runtime

export interface Sink {
  kind: SinkKind;
  /** Plain words: `stored in a heap object: p.arg = arg`. */
  text: string;
  /** The step where it happens. */
  pkg: string;
  function: string;
  where: string;
  why: string;
  file: string;
  line: number;
  column?: number;
}

/** A type of the user's module whose method an interface call may reach: always *possible*, never certain. */
export interface PossibleImplementation {
  pkg: string;
  /** `(*Impl).Put` */
  method: string;
  file: string;
  line: number;
  column?: number;
  /** The parameter of that method which would receive the value (`p`, or the receiver). */
  param?: string;
  /** What that method's own escape summary does with it. */
  verdict: 'leaks' | 'leaks-content' | 'to-result' | 'does-not-escape' | 'unknown';
  /** The summary line, verbatim (`leaking param: p`), when there is one. */
  message?: string;
  /** Where its explanation ends, when it leaks: `i.last = p (assign)`. */
  detail?: string;
}

/** Why the walk ended. */
export type DeepStop =
  | 'sink'        // the value reached a sink
  | 'depth'       // the call limit: the path goes on
  | 'time'        // the time limit
  | 'not-found'   // the callee's output has no leak record we could match (generic, assembly, renamed)
  | 'error';      // a go command failed

export interface DeepPath {
  hops: DeepHop[];
  sink?: Sink;
  stop: DeepStop;
  /** An honest sentence when the walk did not reach a sink: where it stopped and why. */
  note?: string;
  /** The finding's cause refined by the sink (docs/deep-paths.md); absent when unchanged. */
  refinedCause?: string;
  /** Implementations in the user's module when the sink is an interface method call. */
  implementations?: PossibleImplementation[];
  /** How many go commands this explanation started (0: all from the in-memory cache). */
  goRuns: number;
  ms: number;
}

/** The limits of one explanation: stated in docs/deep-paths.md and in each `note` that hits them. */
export interface DeepLimits {
  /** Calls followed past the finding's own package (default 12). */
  maxCalls: number;
  /** Wall-clock budget for one finding (default 60 s: long enough for a cold -m=2 compile of a big standard package). */
  timeMs: number;
  /** Implementations listed for an interface call (default 20). */
  maxImplementations: number;
}

export const DEFAULT_LIMITS: DeepLimits = { maxCalls: 12, timeMs: 60_000, maxImplementations: 20 };
