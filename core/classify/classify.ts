// Decides the cause of one record from the compiler's words and flow, asking the source where the words
// alone are ambiguous (is that call static? is that func literal a goroutine? is that value a constant?).
import type { CompilerPos, RawExplanation, RawFlow, RawRecord, RawStep } from '../model';
import type { CauseId } from './causes';

/** What the classifier may ask the source. Every answer is optional: without source, the words decide. */
export interface SourceFacts {
  isConstant(pos: CompilerPos, subject: string): boolean;
  inGoStatement(pos: CompilerPos): boolean;
  callTarget(pos: CompilerPos): 'static' | 'dynamic' | 'reflect' | 'unknown';
  isMethodValue(pos: CompilerPos, subject: string): boolean;
  /** The declared type of a variable at `pos`, when the source writes it down (`b bool`, `var x uint8`). */
  declaredTypeAt(pos: CompilerPos, name: string): string | undefined;
  /** Is `name` a variable (parameter, local, or package-level var of the package) where `pos` is? */
  isVariable?(pos: CompilerPos, name: string): boolean;
  /** Does the user's source line at `pos` contain `text`? (Inlined code names no user text.) */
  lineContains?(pos: CompilerPos, text: string): boolean;
  /** Is the composite literal type printed in `subject` (`T{}`, `pkg.T{}`) a zero-size type? */
  isZeroSizeLiteral?(pos: CompilerPos, subject: string): boolean;
  /** Is the value at `pos` one byte (bool, byte, int8, or a type defined from one)? undefined: not known. */
  isSingleByte?(pos: CompilerPos, subject: string): boolean | undefined;
  /** Does the func literal at `pos` capture no variable (a static closure)? undefined: not known. */
  capturesNothing?(pos: CompilerPos): boolean | undefined;
  /** The variables the func literal at `pos` captures. */
  freeVariables?(pos: CompilerPos): readonly string[] | undefined;
}

export interface Classification {
  cause: CauseId;
  allocates: boolean;
  /** `append` allocates only when the slice grows. */
  allocatesIf?: 'slice-grows';
  /** For parameter summaries: where the parameter's value goes (the cause an allocation there would have). */
  via?: CauseId;
}

const RESULT = /^~[rR]\d+$/;
const SINGLE_BYTE = new Set(['bool', 'byte', 'uint8', 'int8']);

/** Expressions that allocate by themselves; anything else escaping is a boxing into an interface. */
function isAllocationExpr(subject: string): boolean {
  return /^(&|new\(|make\(|append\b|\.\.\. argument|func literal|\[\]|map\[|string\(|\(\[\](byte|rune)\)\(|chan\b)/.test(subject)
    || subject.includes(' + ');
}

/**
 * The rules, asked in this order; the first "yes" wins (docs/causes.md and docs/architecture.md):
 * 1. the message kind: compiler notes, inlining, non-escaping lines and parameter summaries have causes of
 *    their own (`leaking param` → param-leak, `leaking param content` → param-leak-content, `… to result`
 *    → param-to-result); for parameters, where the value goes is kept apart as `via`;
 * 2. too large / non-constant size; 3. func literal (goroutine or escaping closure); 4. captured by a
 * closure; 5. reflection; 6. unsafe conversions written in the user's code; 7. interface conversions
 * (method values, constants and zero-size values do not allocate); 8. the first call with an unknown
 * target on the path (interface method, func value); 9. returned; 10. channel send; 11. map storage;
 * 12. append (the append itself, or appended into a slice); 13. passed to a call that keeps it; 14. the
 * address stored; 15. stored in a heap object.
 */
export function classify(rec: RawRecord, facts?: SourceFacts): Classification {
  const yes = (cause: CauseId, allocates = true): Classification => ({ cause, allocates });
  switch (rec.kind) {
    case 'does-not-escape': return yes('stack', false);
    case 'can-inline': case 'cannot-inline': case 'inlining-call': return yes('inlining', false);
    case 'devirtualized': return yes('devirtualized', false);
    case 'capture': case 'self-assignment': case 'zero-copy': case 'bounds-check': return yes('compiler-note', false);
    case 'other': return yes(rec.detail?.debug ? 'compiler-note' : 'unclassified', false);
    case 'uintptr': return yes('unsafe-pointer', false);
    case 'leaking-param-result': return yes('param-to-result', false);
    case 'leaking-param': case 'leaking-param-content': {
      // A parameter summary says what the function does with its callers' arguments; nothing is
      // allocated at this line. The cause is the message's; where the value goes is `via`.
      const c: Classification = yes(rec.kind === 'leaking-param' ? 'param-leak' : 'param-leak-content', false);
      const via = destination(rec, facts)?.cause;
      if (via) c.via = via;
      return c;
    }
    default:
      return destination(rec, facts) ?? yes('unclassified');
  }
}

/** Where the value of an escape (or a leaking parameter) goes, from its primary explanation. */
function destination(rec: RawRecord, facts?: SourceFacts): Classification | undefined {
  const yes = (cause: CauseId, allocates = true): Classification => ({ cause, allocates });
  const leak = rec.kind === 'leaking-param' || rec.kind === 'leaking-param-content';
  // The cause explains the path users are shown: the primary explanation (the escape block of a moved
  // variable, else the first). Further paths are counted in `otherPaths`.
  const main = primaryExplanation(rec);
  const blocks = main ? [main] : [];
  // sync/atomic's Store/Swap/CompareAndSwap are stores into memory, not calls that keep their argument.
  const steps: RawStep[] = [];
  const whys = new Set<string>();
  for (const b of blocks) for (const f of b.flows) for (const st of f.steps) {
    const s = st.why === 'call parameter' && st.where.startsWith('atomic.') && ATOMIC_STORE.test(st.where) ? { ...st, why: 'assign' } : st;
    steps.push(s);
    whys.add(s.why);
  }
  const isAppend = rec.subject === 'append' || rec.subject.startsWith('append(');
  const grow = (c: Classification): Classification => (isAppend && !leak ? { ...c, allocatesIf: 'slice-grows' } : c);

  if (whys.has('too large for stack') || whys.has('too aligned for stack')) return yes('too-large');
  if (whys.has('non-constant size')) return yes('non-constant-size');
  if (rec.subject === 'func literal' && rec.kind === 'escapes') {
    // A func literal that captures nothing is a static closure: the compiler allocates nothing for it.
    return yes(facts?.inGoStatement(rec.pos) ? 'goroutine' : 'escaping-closure', facts?.capturesNothing?.(rec.pos) !== true);
  }
  if (whys.has('captured by a closure')) {
    const capture = steps.find((s) => s.why === 'captured by a closure')!;
    return grow(yes(facts?.inGoStatement(capture.at) ? 'goroutine' : 'closure-capture'));
  }
  // Inlined reflect code shows up as flows through reflect's own locals (`reflect.i`, `reflect.e`).
  const flows = main ? main.flows : [];
  if (flows.some((f) => f.dst.startsWith('reflect.') || f.src.startsWith('reflect.', derefs(f.src)))) return yes('reflection');
  // Only a conversion the user wrote is theirs: code inlined from sync/atomic converts too.
  if (steps.some((s) => isUnsafeStep(s) && (facts?.lineContains?.(s.at, 'unsafe.') ?? true))) return yes('unsafe-pointer');

  if (rec.kind === 'escapes' && !isAllocationExpr(rec.subject)) {
    if (facts?.isMethodValue(rec.pos, rec.subject)) return yes('method-value');
    if (facts?.isConstant(rec.pos, rec.subject)) return yes('boxed-constant', false);
    // Zero-size values (`struct{}{}`, `context.backgroundCtx{}`) point at the runtime's zerobase.
    if (/\{\}$/.test(rec.subject) && facts?.isZeroSizeLiteral?.(rec.pos, rec.subject)) return yes('interface-conversion', false);
    // Boxing a single-byte value (bool, byte, int8) points at the runtime's static table: no allocation.
    const single = facts?.isSingleByte?.(rec.pos, rec.subject);
    if (single !== undefined) return yes('interface-conversion', !single);
    const t = facts?.declaredTypeAt(rec.pos, rec.subject);
    return yes('interface-conversion', !(t && SINGLE_BYTE.has(t)));
  }
  // An empty slice literal or `make([]T, 0)` has no backing array to allocate.
  const allocates = !isEmptySlice(rec.subject);

  // The first dynamic step on the path decides for every kind: the compiler could not see further.
  const dynamic = dynamicCause(steps, facts);
  if (dynamic) return grow(yes(dynamic, allocates));

  if (!leak && returnsToCaller(rec.kind === 'moved-to-heap' ? primary(blocks, 'escape') : blocks[0])) {
    return grow(yes(whys.has('address-of') ? 'returned-address' : 'returned-value', allocates));
  }
  if (whys.has('send')) return grow(yes('channel-send', allocates));
  if (whys.has('key of map put') || whys.has('map literal key') || whys.has('map literal value')) return grow(yes('map-storage', allocates));
  if (whys.has('appendee slice') || whys.has('appended slice...') || (isAppend && !leak)
    || steps.some((s) => s.why === 'call parameter' && s.where.startsWith('append('))) return grow(yes('append', allocates));
  if (leak) return steps.length ? yes(whys.has('call parameter') ? 'call-argument' : 'stored-in-heap') : undefined;
  if (whys.has('call parameter')) return grow(yes('call-argument', allocates));
  if (rec.kind === 'moved-to-heap' && whys.has('address-of')) return yes('address-stored');
  // Part of an object that is itself on the heap: `&Request{Header: make(Header)}`.
  const root = lastFlow(primary(blocks, 'escape'));
  if (root?.dst.startsWith('{storage for ') || whys.has('struct literal element') || whys.has('array literal element')) {
    return grow(yes('stored-in-heap', allocates));
  }
  if (whys.has('assign') || whys.has('dot of pointer') || whys.has('indirection') || whys.has('assign-pair')) {
    return grow(yes('stored-in-heap', allocates));
  }
  if (isAppend) return grow(yes('append', allocates));
  if (rec.subject === '... argument') return yes('call-argument');
  return undefined;
}

/** Where `s` starts after its leading `&` and `*` (what `s.replace(/^[&*]+/, '')` leaves, without the copy). */
function derefs(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 38 || s.charCodeAt(i) === 42)) i++;
  return i;
}

const ATOMIC_STORE = /^atomic\.(?:Store|Swap|CompareAndSwap)(?:Pointer|Uintptr|Int32|Int64|Uint32|Uint64)?\(/;

function isUnsafeStep(s: RawStep): boolean {
  return s.why === 'conversion to unsafe.Pointer' || s.why === 'reflect.Header.Data' || s.why === '//go:uintptrescapes'
    || s.where.includes('unsafe.Pointer(');
}

/** `[]T{}`, `make([]T, 0)`: a slice with no backing array (the runtime's zerobase). */
function isEmptySlice(subject: string): boolean {
  return /^\[\][^{]*\{\}$/.test(subject) || /^make\(\[\][^,]*, 0(?:, 0)?\)$/.test(subject);
}

function dynamicCause(steps: RawStep[], facts?: SourceFacts): CauseId | undefined {
  for (const s of steps) {
    if (s.why === 'callee operand') return 'dynamic-call';
    if (s.why === 'call parameter') {
      if (/^reflect\./.test(s.where)) return 'reflection';
      const t = callKind(s, facts);
      if (t === 'reflect') return 'reflection';
      if (t === 'dynamic') return 'dynamic-call';
    }
  }
  return undefined;
}

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

function lastFlow(block: RawExplanation | undefined): RawFlow | undefined {
  return block?.flows[block.flows.length - 1];
}

function primary(blocks: RawExplanation[], kind: 'escape' | 'leak'): RawExplanation | undefined {
  return blocks.find((b) => b.kind === kind) ?? blocks[0];
}

/**
 * The explanation that answers the summary line: the escape block of a moved variable; for a leaking
 * parameter the block of its leak to the heap (not to a result); else the first.
 */
export function primaryExplanation(rec: RawRecord): RawExplanation | undefined {
  if (rec.kind === 'moved-to-heap') return primary(rec.explanations, 'escape');
  if (rec.kind === 'leaking-param' || rec.kind === 'leaking-param-content') {
    return rec.explanations.find((e) => e.to.startsWith('{')) ?? rec.explanations[0];
  }
  return rec.explanations[0];
}

/** Does the explanation end in a function result (`~r0`), i.e. the value outlives the frame by being returned? */
function returnsToCaller(block: RawExplanation | undefined): boolean {
  if (!block) return false;
  if (block.kind === 'leak') return RESULT.test(block.to);
  // Flows are printed from the value towards the root: the last edge's destination is where it ends up.
  const last = lastFlow(block);
  return !!last && (RESULT.test(last.dst) || last.steps.some((s) => s.why === 'return'));
}
