// The classifier's questions answered by go/types (core/typed) where the package type-checked, and by the
// syntax (sourceFacts.ts) where it did not: a file the check did not cover, a position with no typed row
// (an expression inside a type error), a compiler position without a column. The syntax guesses what
// the types know (a method of that name anywhere; a hard-coded list of interfaces); the types decide.
import type { CompilerPos } from '../model';
import type { CallFact, ExprFact, TypedFacts } from '../typed/typedFacts';
import type { SourceFacts } from './facts';
import type { CallTarget } from './sourceFacts';

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/**
 * SourceFacts from typed facts, falling back to `syntax` question by question.
 * @param resolve the absolute path of a file as the compiler printed it (the analysis's path resolver).
 */
export function typedSourceFacts(typed: TypedFacts | undefined, syntax: SourceFacts, resolve: (printed: string) => string | undefined): SourceFacts {
  if (!typed) return syntax;
  const where = (pos: CompilerPos): { file: string; off: number } | undefined => {
    if (pos.col === undefined) return undefined;
    const file = resolve(pos.path);
    if (!file || !typed.has(file)) return undefined;
    const off = typed.offsetOf(file, pos.line, pos.col);
    return off === undefined ? undefined : { file, off };
  };
  /** The value the compiler names at pos; a name must be as long as the text there (the same name). */
  const valueAt = (pos: CompilerPos, subject: string): ExprFact | undefined => {
    const w = where(pos);
    const e = w && typed.exprAt(w.file, w.off);
    if (!e || (IDENT.test(subject) && e.end - e.start !== Buffer.byteLength(subject))) return undefined;
    // A value inlined from a callee (its panic message, its literal) is not written where the compiler
    // puts it: the typed row there is the call's, so the syntax answers.
    const probe = subject.replace(/\.\.\.$/, '').split(/[{(]/)[0].slice(0, 24);
    if (probe && syntax.lineContains && !syntax.lineContains(pos, probe)) return undefined;
    return e;
  };
  const callAt = (pos: CompilerPos): CallFact | undefined => {
    const w = where(pos);
    return w && typed.callAt(w.file, w.off);
  };
  return {
    ...syntax,
    isConstant: (pos, subject) => valueAt(pos, subject)?.constant ?? syntax.isConstant(pos, subject),
    callTarget: (pos) => {
      const c = callAt(pos);
      return c ? callTargetOf(c) : syntax.callTarget(pos);
    },
    isMethodValue: (pos, subject) => {
      const w = where(pos);
      const kind = w && typed.selectorAt(w.file, w.off);
      return kind ? kind === 'method-value' : syntax.isMethodValue(pos, subject);
    },
    // Asked about the receiver or function of a call the compiler printed as `x.M(…)` or `f(…)`: a call
    // through it is dynamic exactly when it names a variable (an interface value or a func value).
    isVariable: (pos, name) => {
      const c = callAt(pos);
      if (c) return c.kind === 'interface' || c.kind === 'func-value';
      return syntax.isVariable ? syntax.isVariable(pos, name) : syntax.callTarget(pos) === 'dynamic';
    },
    // A literal inlined from a callee (`context.backgroundCtx{}` at the user's `context.Background()`) is not
    // the expression written there: the typed row at that place is the call's.
    isZeroSizeLiteral: (pos, subject) => {
      const written = syntax.lineContains?.(pos, subject.slice(0, subject.indexOf('{') + 1)) ?? true;
      return (written ? valueAt(pos, subject)?.zeroSize : undefined) ?? syntax.isZeroSizeLiteral?.(pos, subject) ?? false;
    },
    isSingleByte: (pos, subject) => valueAt(pos, subject)?.singleByte,
    capturesNothing: (pos) => {
      const w = where(pos);
      return (w && typed.capturesNothing(w.file, w.off)) ?? syntax.capturesNothing?.(pos);
    },
    freeVariables: (pos) => {
      const w = where(pos);
      return w && typed.funcLitAt(w.file, w.off)?.free;
    },
  };
}

function callTargetOf(c: CallFact): CallTarget {
  if (c.kind === 'interface' || c.kind === 'func-value') return 'dynamic';
  return /^(?:\(\*?)?reflect\./.test(c.callee) ? 'reflect' : 'static';
}
