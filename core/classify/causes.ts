// The one table of escape causes. Diagnostics, hovers, the CLI and docs/causes.md (generated, see
// scripts/causes-doc.ts) all read it; no other file words a cause.
import type { Tier } from '../model';

export interface Cause {
  id: string;
  tier: Tier | null;
  title: string;
  /** Why the value goes to the heap, in plain words. */
  explanation: string;
  /** What usually helps. */
  advice: string;
}

const C = (id: string, tier: Tier | null, title: string, explanation: string, advice: string): Cause =>
  ({ id, tier, title, explanation, advice });

export const CAUSES = [
  // L1: visible in the variable's own code.
  C('returned-address', 'L1', 'address of a local is returned',
    'The function returns a pointer to this variable, so the variable must outlive the function\'s stack frame.',
    'Return the value instead of a pointer, or let the caller pass in the memory to fill (func f(dst *T)).'),
  C('returned-value', 'L1', 'allocation is returned',
    'This allocation is returned to the caller, so it cannot live in the function\'s stack frame.',
    'If callers only read it, return a value (not a pointer), or let the caller pass a buffer to fill; small, fixed-size results returned by value stay on the stack.'),
  C('address-stored', 'L1', 'address stored where it outlives the function',
    'A pointer to this value is stored in a location that outlives the call (a package variable or something already on the heap).',
    'Store a copy of the value instead of its address, or keep the value in the longer-lived object from the start.'),
  C('closure-capture', 'L1', 'captured by an escaping closure',
    'A function literal that outlives this function refers to the variable, so the variable moves to the heap with it.',
    'Pass the value to the closure as an argument, copy it into a local the closure captures by value, or do not let the closure escape.'),
  C('escaping-closure', 'L1', 'function literal outlives the function',
    'The closure is stored, returned or passed somewhere that keeps it, so its context (captured variables) is allocated on the heap.',
    'Use a named function or method instead of a closure, or avoid storing the closure; closures that are only called locally stay on the stack.'),
  C('method-value', 'L1', 'method value allocates a closure',
    'Taking x.Method as a value binds the receiver into a new closure; when that value escapes, the closure is allocated.',
    'Call the method directly, pass the receiver and use a method expression (T.Method), or use a func literal that does not escape.'),
  C('non-constant-size', 'L1', 'size not known at compile time',
    'make or new with a size computed at run time cannot be placed in a fixed-size stack frame.',
    'Use a constant size (a fixed array, or make with a constant capacity and reslice), or reuse a buffer (sync.Pool) across calls.'),
  C('too-large', 'L1', 'too large for the stack',
    'The value is larger than the compiler allows in a stack frame (or needs more alignment than the stack offers), so it is heap-allocated.',
    'Allocate it once and reuse it, keep it in a long-lived object, or split it into smaller pieces.'),

  // L2: semantic / call context.
  C('param-leak', 'L2', 'parameter leaks to the heap',
    'A summary of this function, not an allocation here: whatever a caller passes for this parameter is kept beyond the call (where it goes is shown below), so callers\' arguments escape.',
    'Do not keep the parameter (copy what you need), or make that ownership transfer explicit in the API.'),
  C('param-leak-content', 'L2', 'what the parameter points to leaks',
    'A summary of this function, not an allocation here: the parameter itself stays put, but the memory it points to (slice backing array, pointed-to struct) is kept beyond the call, so callers\' memory escapes.',
    'Copy the contents you need instead of keeping references into the caller\'s memory.'),
  C('param-to-result', null, 'parameter flows to a result',
    'A summary of this function, not an escape: the parameter (or what it points to) is returned. It escapes only if a caller lets the result escape.',
    'Usually fine. To keep callers\' arguments on the stack, make sure they do not let the result escape.'),
  C('call-argument', 'L2', 'kept by the function it is passed to',
    'The value is passed to a function whose parameter leaks, so the callee keeps it beyond the call.',
    'Check the callee\'s "leaking param" finding: change it not to keep the argument, or pass a copy.'),
  C('stored-in-heap', 'L2', 'stored in a longer-lived object',
    'The value is assigned into a field, element or global that already lives on the heap, so it must too.',
    'Store values rather than pointers in the long-lived object, or allocate the object and its parts together.'),
  C('append', 'L2', 'grown or kept by append',
    'append needs a backing array that outlives the call, or the appended values are stored in an escaping slice. An append allocates only when the slice has to grow: with enough capacity it writes in place.',
    'Preallocate with a constant capacity, reuse a slice across calls (s = s[:0]), or append values instead of pointers.'),
  C('map-storage', 'L2', 'stored in a map',
    'Map keys and values live in the map\'s heap-allocated buckets; pointers stored there force their targets to the heap.',
    'Store values instead of pointers in the map, or index into a slice of values.'),
  C('channel-send', 'L2', 'sent on a channel',
    'A value sent on a channel may be received by another goroutine at any time later, so it must live on the heap.',
    'Send values (copies) rather than pointers, or keep ownership in one goroutine.'),

  // L3: runtime / dynamic.
  C('interface-conversion', 'L3', 'converted to an interface',
    'The value is stored in an interface (any, error, fmt\'s ...any arguments); when the interface escapes, a copy of the value is allocated on the heap.',
    'Use a concrete type or a type-specific function (strconv.Itoa instead of fmt.Sprint), or a generic function instead of any.'),
  C('boxed-constant', 'L3', 'constant boxed into an interface (no allocation)',
    'A constant, bool or single byte converted to an interface points at static read-only data. The compiler reports it, but nothing is allocated.',
    'Nothing to do: this does not allocate.'),
  C('dynamic-call', 'L3', 'passed to a call with an unknown target',
    'The value is passed to an interface method or a function value. The compiler cannot see the callee, so it assumes the callee keeps its arguments.',
    'Call a concrete type\'s method or a named function, so the compiler can see what the callee does; or devirtualize with a type switch.'),
  C('goroutine', 'L3', 'used by a goroutine',
    'A goroutine can run after this function returns, so the function it runs and everything it captures live on the heap.',
    'Pass values to the goroutine as arguments, and keep the goroutine\'s state small.'),
  C('reflection', 'L3', 'passed to reflection',
    'reflect (and packages built on it, like encoding/json) takes values as interfaces and may keep them, so they escape.',
    'Avoid reflection on hot paths: use generated or hand-written code, or pass pointers to long-lived values.'),
  C('unsafe-pointer', 'L3', 'unsafe.Pointer or uintptr',
    'The value passes through unsafe.Pointer or a uintptr, which the compiler cannot track, so it assumes the worst.',
    'Keep unsafe conversions local, and do not store pointers as uintptr.'),

  // Not heap escapes: shown when non-escaping or inlining lines are turned on.
  C('stack', null, 'stays on the stack', 'The compiler proved that this does not outlive its function.', 'Nothing to do.'),
  C('inlining', null, 'inlining decision', 'What the inliner did or could not do with this function.', 'Small, simple functions inline; inlining lets escape analysis see through the call.'),
  C('devirtualized', null, 'call devirtualized', 'The compiler replaced an interface call by a direct call to the concrete method.', 'Nothing to do.'),
  C('compiler-note', null, 'compiler note', 'Other information the compiler prints with escape analysis (captures, self-assignments, zero-copy conversions, bounds checks).', 'Nothing to do.'),

  C('unclassified', null, 'unclassified',
    'The compiler reported this, but Go Escape Lens does not yet recognise its cause. The message and flow are shown as printed.',
    'Read the flow below; please report the message so it can be classified.'),
] as const satisfies readonly Cause[];

export type CauseId = (typeof CAUSES)[number]['id'];

const BY_ID = new Map<string, Cause>(CAUSES.map((c) => [c.id, c]));

export function cause(id: string): Cause {
  return BY_ID.get(id) ?? BY_ID.get('unclassified')!;
}

/** The anchor of a cause in docs/causes.md (generated from this table). */
export function causeAnchor(id: string): string {
  return `cause-${id}`;
}

export const TIER_NAMES: Record<Tier, string> = {
  L1: 'L1 syntax',
  L2: 'L2 call context',
  L3: 'L3 dynamic',
};
