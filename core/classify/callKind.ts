// What a call step of the compiler's flow calls: a known function, or a target only known at run time
// (an interface method, a func value), or reflect. The compiler's printed words decide first; the source
// answers where the words leave it open.
import type { RawStep } from '../model';
import type { SourceFacts } from './facts';

/**
 * What a call step calls, from the compiler's words first: a static method call prints as
 * `(*T).M(recv, args)` or `T.M(recv, args)`, a package function as `pkg.F(args)` or `F(args)`, and a
 * call through an interface or a func-valued variable or field as `recv.M(args)` / `f(args)`. Where the
 * words leave it open (is `x` in `x.M(a)` a package, a type or a variable?), the source of the package says.
 */
export function callKind(step: RawStep, facts?: SourceFacts): 'static' | 'dynamic' | 'reflect' | 'unknown' {
  const callee = calleeText(step.where);
  if (callee === undefined) return facts ? facts.callTarget(step.at) : 'unknown';
  if (callee.startsWith('(')) return 'static';            // (*T).M(recv, …), (T).M
  if (callee.startsWith('reflect.')) return 'reflect';
  if (callee === 'func literal' || /^(append|copy|len|cap|panic|print|println|new|make|delete|close|clear|min|max|complex|real|imag|recover)$/.test(callee)) return 'static';
  const dot = callee.lastIndexOf('.');
  if (dot === -1) {
    // `f(args)`: a package function, or a func value in a variable.
    if (facts?.isVariable) return facts.isVariable(step.at, callee) ? 'dynamic' : 'static';
    return facts ? facts.callTarget(step.at) : 'unknown';
  }
  const recv = callee.slice(0, dot);
  // `a.b.M(…)`, `x[i].M(…)`, `f().M(…)`: a field, element or result (a package would be one name).
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(recv)) return recv.startsWith('go.shape.') ? 'static' : 'dynamic';
  if (facts?.isVariable) return facts.isVariable(step.at, recv) ? 'dynamic' : 'static';
  return facts ? facts.callTarget(step.at) : 'unknown';
}

/** The callee of a printed call `F(args)`: the text before the `(` that opens the final argument list. */
function calleeText(where: string): string | undefined {
  const w = where.trim();
  if (!w.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = w.length - 1; i >= 0; i--) {
    const c = w[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      depth--;
      if (depth === 0) {
        if (c !== '(') return undefined;
        const callee = w.slice(0, i);
        // Generic instantiations print type arguments: `pkg.F[go.shape.int](x)`.
        return callee.replace(/\[.*\]$/, '') || undefined;
      }
    }
  }
  return undefined;
}

