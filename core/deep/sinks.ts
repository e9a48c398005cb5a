// Where a value ends up, read from the last hop's explanation, and what that sink makes of the finding's
// cause. One table: the hover, the CLI, the graph and docs/deep-paths.md read these words and this rule.
import type { RawExplanation, RawStep } from '../model';
import type { SinkKind } from '../model/deep';

export interface SinkRow {
  /** Plain words for the sink. */
  words: string;
  /** The cause (from core/classify/causes.ts) a delegated finding is refined to when its path ends here. */
  cause?: string;
}

export const SINKS: Record<SinkKind, SinkRow> = {
  stored: { words: 'stored in a heap object or package variable', cause: 'stored-in-heap' },
  'interface-call': { words: 'passed to a method called through an interface', cause: 'dynamic-call' },
  'func-value-call': { words: 'passed to a function value', cause: 'dynamic-call' },
  goroutine: { words: 'used by a goroutine', cause: 'goroutine' },
  reflection: { words: 'handed to reflection', cause: 'reflection' },
  unsafe: { words: 'converted through unsafe.Pointer', cause: 'unsafe-pointer' },
  channel: { words: 'sent on a channel', cause: 'channel-send' },
  map: { words: 'stored in a map', cause: 'map-storage' },
  append: { words: 'kept by append', cause: 'append' },
  closure: { words: 'captured by a closure that escapes', cause: 'escaping-closure' },
  panic: { words: 'kept as a panic value' },
};

/**
 * The refinement rule: only causes that say "the callee decides" (`call-argument`, `param-leak`,
 * `param-leak-content`) take the sink's cause, because the sink *is* the callee's decision. A cause that
 * already names what the value's own code does (an interface conversion, a closure, a goroutine...) stays.
 */
const REFINABLE = new Set(['call-argument', 'param-leak', 'param-leak-content']);

export function refinedCause(original: string, sink: SinkKind | undefined): string | undefined {
  if (!sink || !REFINABLE.has(original)) return undefined;
  const c = SINKS[sink].cause;
  return c && c !== original ? c : undefined;
}

const BUILTIN_SINKS: Record<string, SinkKind> = { panic: 'panic' };

export function builtinSink(callee: string): SinkKind | undefined {
  // Own keys only: a Go function may well be called `constructor` or `toString`.
  return Object.hasOwn(BUILTIN_SINKS, callee) ? BUILTIN_SINKS[callee] : undefined;
}

/** Packages whose functions take the value out of the compiler's sight: a call into them is the sink. */
export function packageSink(importPath: string): SinkKind | undefined {
  if (importPath === 'reflect' || importPath.startsWith('internal/reflectlite')) return 'reflection';
  if (importPath === 'unsafe') return 'unsafe';
  return undefined;
}

/**
 * A sink the value meets on the way through one explanation, before its last step: inlined reflect code
 * (flows through `reflect.` locals), `unsafe_New`, conversions to unsafe.Pointer, sends, map puts. The
 * returned step is where it happens.
 */
export function sinkInside(block: RawExplanation): { kind: SinkKind; step: RawStep } | undefined {
  for (const flow of block.flows) {
    const reflectLocal = /^(reflect|reflectlite)\./.test(flow.dst) || /^[&*]*(reflect|reflectlite)\./.test(flow.src);
    for (const s of flow.steps) {
      if (reflectLocal || /\bunsafe_New(Array)?\(/.test(s.where) || /^reflect\.\w/.test(s.where)) return { kind: 'reflection', step: s };
      if (s.why === 'conversion to unsafe.Pointer' || s.why === '//go:uintptrescapes') return { kind: 'unsafe', step: s };
      if (s.why === 'send') return { kind: 'channel', step: s };
      if (s.why === 'key of map put' || s.why === 'map literal key' || s.why === 'map literal value') return { kind: 'map', step: s };
      if (s.why === 'appendee slice' || s.why === 'appended slice...') return { kind: 'append', step: s };
      if (s.why === 'captured by a closure') return { kind: 'closure', step: s };
      if (/^go /.test(s.where)) return { kind: 'goroutine', step: s };
    }
  }
  return undefined;
}

/** The sink of an explanation whose last step is not a call: where the value was put. */
export function terminalSink(step: RawStep): SinkKind {
  if (/^go /.test(step.where)) return 'goroutine';
  return 'stored';
}
