// Decides the cause of one record from the compiler's words and flow, asking the source where the words
// alone are ambiguous (is that call static? is that func literal a goroutine? is that value a constant?).
// The questions are asked in the one order audits use (docs/causes.md, "The order"; the rule numbers
// below are that list's); the first "yes" wins.
import type { RawExplanation, RawFlow, RawRecord, RawStep } from '../model';
import type { CauseId } from './causes';
import { callKind } from './callKind';
import type { SourceFacts } from './facts';

export type { SourceFacts } from './facts';
export { callKind } from './callKind';

export interface Classification {
  cause: CauseId;
  allocates: boolean;
  /** `append` allocates only when the slice grows. */
  allocatesIf?: 'slice-grows';
  /** For parameter summaries: where the parameter's value goes (the cause an allocation there would have). */
  via?: CauseId;
}

const RESULT = /^~[rR]\d+$/;
const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const SINGLE_BYTE = new Set(['bool', 'byte', 'uint8', 'int8']);

/** Expressions that allocate by themselves; anything else escaping is a boxing into an interface. */
function isAllocationExpr(subject: string): boolean {
  return /^(&|new\(|make\(|append\b|\.\.\. argument|func literal|\[\]|map\[|string\(|\(\[\](byte|rune)\)\(|chan\b)/.test(subject)
    || subject.includes(' + ');
}

/**
 * Rules 1–3 and the lines that are not escapes: the message kind decides. Parameter summaries say what
 * the function does with its callers' arguments; nothing is allocated at their line, and where the value
 * goes is kept apart as `via`. Every other escape goes to `destination`, rules 4–19.
 */
export function classify(rec: RawRecord, facts?: SourceFacts): Classification {
  const yes = (cause: CauseId, allocates = true): Classification => ({ cause, allocates });
  switch (rec.kind) {
    case 'does-not-escape': return yes('stack', false);
    case 'can-inline': case 'cannot-inline': case 'inlining-call': return yes('inlining', false);
    case 'devirtualized': return yes('devirtualized', false);
    case 'capture': case 'self-assignment': case 'zero-copy': case 'bounds-check': return yes('compiler-note', false);
    // Debug words and notes such as "function Run considered 'big'" are not escapes.
    case 'other': return yes('compiler-note', false);
    case 'uintptr': return yes('unsafe-pointer', false);
    case 'leaking-param-content': case 'leaking-param': {
      const c: Classification = yes(rec.kind === 'leaking-param' ? 'param-leak' : 'param-leak-content', false);
      const via = destination(rec, facts)?.cause;
      if (via) c.via = via;
      return c;
    }
    case 'leaking-param-result': return yes('param-to-result', false);
    default:
      return destination(rec, facts) ?? fallback(rec);
  }
}

/**
 * An escape whose path names no rule's step: a flow with no steps (`&errors.TextError{}` inlined into a
 * caller), or none at all. What the subject is still decides: a variable moved to the heap by its
 * address, an allocation that outlives the frame in a heap object.
 */
function fallback(rec: RawRecord): Classification {
  if (rec.kind === 'moved-to-heap') return { cause: 'address-stored', allocates: true };
  return { cause: 'stored-in-heap', allocates: !isEmptySlice(rec.subject) };
}

/** Where the value of an escape (or a leaking parameter) goes, from its primary explanation: rules 4–19. */
function destination(rec: RawRecord, facts?: SourceFacts): Classification | undefined {
  const yes = (cause: CauseId, allocates = true): Classification => ({ cause, allocates });
  const leak = rec.kind === 'leaking-param' || rec.kind === 'leaking-param-content';
  const escapes = rec.kind === 'escapes';
  // The cause explains the path users are shown: the primary explanation. Further paths are `otherPaths`.
  const main = primaryExplanation(rec);
  const flows = main ? main.flows : [];
  const steps: RawStep[] = [];
  const whys = new Set<string>();
  for (const f of flows) for (const st of f.steps) {
    // sync/atomic's Store/Swap/CompareAndSwap are stores into memory, not calls that keep their argument.
    const s = st.why === 'call parameter' && st.where.startsWith('atomic.') && ATOMIC_STORE.test(st.where) ? { ...st, why: 'assign' } : st;
    steps.push(s);
    whys.add(s.why);
  }
  const isAppend = rec.subject === 'append' || rec.subject.startsWith('append(');
  const grow = (c: Classification): Classification => (isAppend && !leak ? { ...c, allocatesIf: 'slice-grows' } : c);
  // An empty slice literal or `make([]T, 0)` has no backing array to allocate.
  const allocates = !isEmptySlice(rec.subject);
  const boxing = escapes && !isAllocationExpr(rec.subject);

  // 4. Sizes.
  if (whys.has('too large for stack') || whys.has('too aligned for stack')) return yes('too-large');
  if (whys.has('non-constant size')) return yes('non-constant-size');
  // 5. Constants and one-byte values box into static data.
  if (boxing && (facts?.isConstant(rec.pos, rec.subject) || isSingleByte(rec, facts) || isFoldedConstant(rec, facts))) return yes('boxed-constant', false);
  // 6. A func literal; one that captures nothing is a static closure and allocates nothing.
  if (rec.subject === 'func literal' && escapes) {
    return yes(facts?.inGoStatement(rec.pos) ? 'goroutine' : 'escaping-closure', facts?.capturesNothing?.(rec.pos) !== true);
  }
  // 7. A method value binds its receiver into a closure.
  if (boxing && facts?.isMethodValue(rec.pos, rec.subject)) return yes('method-value');
  // 8. A variable captured by a closure (an allocation stored into a captured variable is not captured).
  if (!escapes && whys.has('captured by a closure')) {
    const capture = steps.find((s) => s.why === 'captured by a closure')!;
    return grow(yes(facts?.inGoStatement(capture.at) ? 'goroutine' : 'closure-capture'));
  }
  // 9. The append itself.
  if (isAppend && !leak) return grow(yes('append', allocates));
  // 10. A value boxed into an interface, also when the heap object it is stored in is that box.
  if (boxing) {
    // Zero-size values (`struct{}{}`, `context.backgroundCtx{}`) point at the runtime's zerobase.
    return yes('interface-conversion', !(/\{\}$/.test(rec.subject) && facts?.isZeroSizeLiteral?.(rec.pos, rec.subject)));
  }
  if (escapes && isOwnBox(flows)) return yes('interface-conversion', allocates);
  // 11. Returned, before any call the same value also passes through.
  // A `return` step on the value's first edge or on its own line (inlined callees' returns print as `~r0 =`).
  const returnHere = steps.some((x) => x.why === 'return' && x.at.path === rec.pos.path && x.at.line === rec.pos.line);
  if (!leak && (returnsToCaller(main) || returnHere || !!flows[0]?.steps.some((x) => x.why === 'return') || returnedVariable(rec, flows, facts))) {
    return yes(whys.has('address-of') && rec.kind === 'moved-to-heap' ? 'returned-address' : 'returned-value', allocates);
  }
  const stores = steps.map((s) => storeKind(s, facts));
  const stored = stores.includes('heap') || rootIsHeapObject(flows, facts)
    || steps.some((x) => (x.why === 'struct literal element' || x.why === 'array literal element') && !inlinedStep(x, x.where, facts));
  // 12. The address of a named local stored where it outlives the frame.
  if (rec.kind === 'moved-to-heap' && whys.has('address-of') && stored) return yes('address-stored');
  // 13–15. Channel, map, append.
  if (whys.has('send')) return yes('channel-send', allocates);
  if (whys.has('key of map put') || whys.has('map literal key') || whys.has('map literal value') || stores.includes('map')) {
    return yes('map-storage', allocates);
  }
  if (whys.has('appendee slice') || whys.has('appended slice...')
    || steps.some((s) => s.why === 'call parameter' && s.where.startsWith('append('))) return yes('append', allocates);
  // 16. Stored into something already on the heap.
  if (stored) return yes('stored-in-heap', allocates);
  // 17. Reflection (inlined reflect code flows through reflect's own locals), then unsafe conversions
  // of the value itself, written in the user's code.
  if (flows.some((f) => f.dst.startsWith('reflect.') || f.src.startsWith('reflect.', derefs(f.src)))) return yes('reflection', allocates);
  const calls = steps.map((s) => callOf(s, facts));
  if (calls.includes('reflect')) return yes('reflection', allocates);
  if (convertsItself(rec, flows, steps, facts)) return yes('unsafe-pointer', allocates);
  // 18. A call through an interface or a func value; 19. a static call whose parameter leaks.
  if (calls.includes('dynamic')) return yes('dynamic-call', allocates);
  const inlinedCall = steps.some((x) => (x.why === 'struct literal element' || x.why === 'assign' || x.why === 'assign-pair')
    && inlinedStep(x, x.why.endsWith('element') ? x.where : (/^(.*?)\s*(?::=|=)\s/.exec(x.where)?.[1] ?? x.where), facts));
  if (whys.has('call parameter') || rec.subject === '... argument' || inlinedCall) return yes('call-argument', allocates);
  if (rec.kind === 'moved-to-heap' && whys.has('address-of')) return yes('address-stored');
  if (whys.has('assign') || whys.has('assign-pair') || whys.has('dot of pointer') || whys.has('indirection')
    || whys.has('struct literal element') || whys.has('array literal element')) return yes('stored-in-heap', allocates);
  return undefined;
}

/** Is the record's value one byte (bool, byte, int8)? Boxing one points at the runtime's static table. */
function isSingleByte(rec: RawRecord, facts?: SourceFacts): boolean {
  const typed = facts?.isSingleByte?.(rec.pos, rec.subject);
  if (typed !== undefined) return typed;
  const t = facts?.declaredTypeAt(rec.pos, rec.subject);
  if (t) return SINGLE_BYTE.has(t);
  // An element of a byte slice or of a string (`b[16]`, `s[i]`) is one byte.
  const index = /^([\p{L}_][\p{L}\p{N}_]*)\[[^\]]+\]$/u.exec(rec.subject);
  const of = index && facts?.declaredTypeAt(rec.pos, index[1]);
  return !!of && (of === 'string' || /^\[\](?:byte|uint8|int8|bool)$/.test(of));
}

/**
 * A typed constant the compiler printed folded (`zapcore.Level(-1)` for `DebugLevel`): a conversion of a
 * number to a named type that the user's line does not say.
 */
function isFoldedConstant(rec: RawRecord, facts?: SourceFacts): boolean {
  return /^[\p{L}_][\p{L}\p{N}_.]*\(-?[0-9][0-9.eE+x]*\)$/u.test(rec.subject) && facts?.lineContains?.(rec.pos, rec.subject) === false;
}

/** The kind of call a step is: `dynamic` for `callee operand` and interface / func-value calls. */
function callOf(s: RawStep, facts?: SourceFacts): 'static' | 'dynamic' | 'reflect' | 'unknown' | undefined {
  if (s.why === 'callee operand') return 'dynamic';
  if (s.why !== 'call parameter') return undefined;
  if (/^reflect\./.test(s.where)) return 'reflect';
  return callKind(s, facts);
}

/**
 * Where the step writes the value, when it is an assignment written in the user's code: `map` for a map
 * element (`m[k] = v`, a map's declared type), `heap` for a field, element, pointee or package variable;
 * undefined for a local. Assignments inside inlined code (`strings.b.buf = …`, `~r0 = …`) count as the
 * call they came from.
 */
function storeKind(s: RawStep, facts?: SourceFacts): 'map' | 'heap' | undefined {
  if (s.why !== 'assign' && s.why !== 'assign-pair') return undefined;
  // sync/atomic's stores (read as assignments above) write through the pointer they are given.
  if (ATOMIC_STORE.test(s.where)) return 'heap';
  const m = /^(.*?)\s*(?::=|=)\s/.exec(s.where);
  if (!m) return undefined;
  let kind: 'map' | 'heap' | undefined;
  for (const t of splitTop(m[1])) {
    if (t === '_' || RESULT.test(t) || /^\.autotmp/.test(t)) continue;
    // A map of the package (or a local map) keeps what is put in it, in inlined code of the package too.
    const index = /^([\p{L}_][\p{L}\p{N}_]*)\[.*\]$/u.exec(t);
    if (index && (facts?.declaredTypeAt(s.at, index[1])?.startsWith('map[') || facts?.isMapVariable?.(s.at, index[1]))) return 'map';
    if (inlinedStep(s, t, facts)) continue;
    if (IDENT.test(t)) {
      // A package variable (the only variables that are not locals) is on the heap.
      if (facts?.isLocal && facts.isVariable?.(s.at, t) && !facts.isLocal(s.at, t)) kind = 'heap';
      continue;
    }
    if (/^\*|[.[]/.test(t)) kind = 'heap';
  }
  return kind;
}

/** The comma-separated parts of a printed list, commas inside brackets or quotes kept. */
function splitTop(list: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0, quote = false;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '"' && list[i - 1] !== '\\') quote = !quote;
    else if (quote) continue;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push(list.slice(start, i).trim()); start = i + 1; }
  }
  out.push(list.slice(start).trim());
  return out;
}

/**
 * Is the step's text code inlined from another package (`errors.text := …`, `errors.errorString{...}`,
 * `strings.b.buf = …`)? It is qualified by a package name and not written on the user's line there;
 * such a step counts as the call it came from.
 */
function inlinedStep(s: RawStep, text: string, facts?: SourceFacts): boolean {
  if (!facts?.lineContains) return false;
  const head = text.replace(/^[&*(]+/, '').replace(/\{.*$/, '');
  // A literal is written with its brace (`reflect.Value{` is not in `reflect.ValueOf(`), and under the
  // file's import name (`dto.Histogram{` is printed `io_prometheus_client.Histogram{...}`): its type name.
  const written = text.includes('{') ? `${head.slice(head.lastIndexOf('.') + 1)}{` : head;
  return /^[a-z][\p{L}\p{N}_]*\./u.test(head) && !facts.lineContains(s.at, written) && !facts.isVariable?.(s.at, head.slice(0, head.indexOf('.')));
}

/** Does the escape end inside another heap object (`&Request{Header: make(Header)}`)? */
function rootIsHeapObject(flows: readonly RawFlow[], facts?: SourceFacts): boolean {
  const root = flows[flows.length - 1];
  if (!root || !root.dst.startsWith('{storage for ') || root.steps.some((s) => s.why === 'interface-converted')) return false;
  // An object made inside code inlined from another package (`&errors.errorString{...}`) counts as the call.
  const last = root.steps[root.steps.length - 1];
  return !last || !inlinedStep(last, root.dst.slice('{storage for '.length, -1), facts);
}

/** Rule 10's second half: the heap object the value ends in is the box of its own conversion to an interface. */
function isOwnBox(flows: readonly RawFlow[]): boolean {
  const root = flows[flows.length - 1];
  return !!root && root.dst.startsWith('{storage for ') && root.steps.length > 0
    && root.steps[root.steps.length - 1].why === 'interface-converted';
}

/**
 * Rule 11 for a value whose printed path goes elsewhere first: the allocation is assigned to a local
 * (`cmd := &Cmd{}`) that the function also returns (`return cmd`).
 */
function returnedVariable(rec: RawRecord, flows: readonly RawFlow[], facts?: SourceFacts): boolean {
  if (!facts?.returnsVariable) return false;
  // A moved variable returned by value returns a copy: that is never why the variable itself moved.
  if (rec.kind === 'moved-to-heap') return false;
  const names = new Set<string>();
  if (flows[0] && IDENT.test(flows[0].dst)) names.add(flows[0].dst);
  // `engine := &Engine{…}` on the value's first edge, whatever the edge's end.
  for (const s of flows[0]?.steps ?? []) {
    const m = /^([\p{L}_][\p{L}\p{N}_]*) :?= (.*)$/u.exec(s.where);
    if (s.why === 'assign' && m && m[2] === rec.subject) names.add(m[1]);
  }
  return [...names].some((n) => facts.returnsVariable!(rec.pos, n));
}

/**
 * Rule 17's unsafe half: the value itself (or the local it was assigned to) is the operand of
 * `unsafe.Pointer(…)` in the user's code; a step mentioning unsafe further down the path is not enough.
 */
function convertsItself(rec: RawRecord, flows: readonly RawFlow[], steps: readonly RawStep[], facts?: SourceFacts): boolean {
  const names = new Set([rec.subject, `&${rec.subject}`]);
  const first = flows[0]?.dst;
  if (first && IDENT.test(first)) { names.add(first); names.add(`&${first}`); }
  return steps.some((s) => {
    if (!(s.why === 'conversion to unsafe.Pointer' || s.why === 'reflect.Header.Data' || s.why === '//go:uintptrescapes'
      || s.where.includes('unsafe.Pointer('))) return false;
    if (facts?.lineContains && !facts.lineContains(s.at, 'unsafe.')) return false;
    return s.why === '//go:uintptrescapes' || unsafeOperands(s.where).some((o) => names.has(o));
  });
}

/** The operands of each `unsafe.Pointer(…)` in a printed expression. */
function unsafeOperands(where: string): string[] {
  const out: string[] = [];
  for (let i = where.indexOf('unsafe.Pointer('); i !== -1; i = where.indexOf('unsafe.Pointer(', i + 1)) {
    const start = i + 'unsafe.Pointer('.length;
    let depth = 1, k = start;
    for (; k < where.length && depth > 0; k++) {
      if (where[k] === '(') depth++;
      else if (where[k] === ')') depth--;
    }
    out.push(where.slice(start, k - 1).trim());
  }
  return out;
}

/** Where `s` starts after its leading `&` and `*` (what `s.replace(/^[&*]+/, '')` leaves, without the copy). */
function derefs(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 38 || s.charCodeAt(i) === 42)) i++;
  return i;
}

const ATOMIC_STORE = /^atomic\.(?:Store|Swap|CompareAndSwap)(?:Pointer|Uintptr|Int32|Int64|Uint32|Uint64)?\(/;

/** `[]T{}`, `make([]T, 0)`: a slice with no backing array (the runtime's zerobase). */
function isEmptySlice(subject: string): boolean {
  return /^\[\][^{]*\{\}$/.test(subject) || /^make\(\[\][^,]*, 0(?:, 0)?\)$/.test(subject);
}

function lastFlow(block: RawExplanation | undefined): RawFlow | undefined {
  return block?.flows[block.flows.length - 1];
}

function primary(blocks: RawExplanation[], kind: 'escape' | 'leak'): RawExplanation | undefined {
  return blocks.find((b) => b.kind === kind) ?? blocks[0];
}

/**
 * The explanation that answers the summary line: the escape block of a moved variable; for a leaking
 * parameter the block of its leak to the heap with the summary's derefs (0 for `leaking param`, more
 * for `leaking param content`); for `leaking param: p to result ~r0 level=N` the block that leaks to
 * that result at that level (never the sibling content block); else the first.
 */
export function primaryExplanation(rec: RawRecord): RawExplanation | undefined {
  const ex = rec.explanations;
  if (rec.kind === 'moved-to-heap') return primary(ex, 'escape');
  if (rec.kind === 'leaking-param' || rec.kind === 'leaking-param-content') {
    const heap = ex.filter((e) => e.to.startsWith('{'));
    const content = rec.kind === 'leaking-param-content';
    return heap.find((e) => e.derefs === undefined || (content ? e.derefs > 0 : e.derefs <= 0)) ?? heap[0] ?? ex[0];
  }
  if (rec.kind === 'leaking-param-result') {
    const m = / to result (\S+)(?: level=(-?\d+))?/.exec(rec.message);
    const to = ex.filter((e) => e.to === m?.[1]);
    const level = m?.[2] !== undefined ? Number(m[2]) : undefined;
    return to.find((e) => level === undefined || e.derefs === undefined || e.derefs === level) ?? to[0] ?? ex.find((e) => !e.to.startsWith('{')) ?? ex[0];
  }
  return ex[0];
}

/** Does the explanation end in a function result (`~r0`), i.e. the value outlives the frame by being returned? */
function returnsToCaller(block: RawExplanation | undefined): boolean {
  if (!block) return false;
  if (block.kind === 'leak') return RESULT.test(block.to);
  // Flows are printed from the value towards the root: the last edge's destination is where it ends up.
  const last = lastFlow(block);
  return !!last && (RESULT.test(last.dst) || last.steps.some((s) => s.why === 'return'));
}
