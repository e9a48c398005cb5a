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
}

export interface Classification { cause: CauseId; allocates: boolean }

const RESULT = /^~[rR]\d+$/;
const SINGLE_BYTE = new Set(['bool', 'byte', 'uint8', 'int8']);

/** Expressions that allocate by themselves; anything else escaping is a boxing into an interface. */
function isAllocationExpr(subject: string): boolean {
  return /^(&|new\(|make\(|append\b|\.\.\. argument|func literal|\[\]|map\[|string\(|\(\[\](byte|rune)\)\(|chan\b)/.test(subject)
    || subject.includes(' + ');
}

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
    default: break;
  }

  // The cause explains the path users are shown: the primary explanation (the escape block of a moved
  // variable, else the first). Further paths are counted in `otherPaths`.
  const main = primaryExplanation(rec);
  const blocks = main ? [main] : [];
  const steps = blocks.flatMap((b) => b.flows.flatMap((f) => f.steps));
  const whys = new Set(steps.map((s) => s.why));

  if (whys.has('too large for stack') || whys.has('too aligned for stack')) return yes('too-large');
  if (whys.has('non-constant size')) return yes('non-constant-size');
  if (rec.subject === 'func literal' && rec.kind === 'escapes') {
    return yes(facts?.inGoStatement(rec.pos) ? 'goroutine' : 'escaping-closure');
  }
  if (whys.has('captured by a closure')) {
    const capture = steps.find((s) => s.why === 'captured by a closure')!;
    return yes(facts?.inGoStatement(capture.at) ? 'goroutine' : 'closure-capture');
  }
  // Inlined reflect code shows up as flows through reflect's own locals (`reflect.i`, `reflect.e`).
  const flows = blocks.flatMap((b) => b.flows);
  if (flows.some((f) => f.dst.startsWith('reflect.') || f.src.replace(/^[&*]+/, '').startsWith('reflect.'))) return yes('reflection');
  if (whys.has('conversion to unsafe.Pointer') || whys.has('reflect.Header.Data') || whys.has('//go:uintptrescapes')
    || steps.some((s) => s.where.includes('unsafe.Pointer('))) {
    return yes('unsafe-pointer');
  }

  if (rec.kind === 'escapes' && !isAllocationExpr(rec.subject)) {
    if (facts?.isMethodValue(rec.pos, rec.subject)) return yes('method-value');
    if (facts?.isConstant(rec.pos, rec.subject)) return yes('boxed-constant', false);
    // Boxing a single-byte value (bool, byte, int8) points at the runtime's static table: no allocation.
    const t = facts?.declaredTypeAt(rec.pos, rec.subject);
    return yes('interface-conversion', !(t && SINGLE_BYTE.has(t)));
  }

  const leak = rec.kind === 'leaking-param' || rec.kind === 'leaking-param-content';
  // The first dynamic step on the path decides for every kind: the compiler could not see further.
  const dynamic = dynamicCause(steps, facts);
  if (dynamic) return yes(dynamic);

  if (!leak && returnsToCaller(rec.kind === 'moved-to-heap' ? primary(blocks, 'escape') : blocks[0])) {
    return yes(whys.has('address-of') ? 'returned-address' : 'returned-value');
  }
  if (whys.has('send')) return yes('channel-send');
  if (whys.has('key of map put') || whys.has('map literal key') || whys.has('map literal value')) return yes('map-storage');
  if (whys.has('appendee slice') || whys.has('appended slice...')
    || steps.some((s) => s.why === 'call parameter' && s.where.startsWith('append('))) return yes('append');
  if (leak) return yes(rec.kind === 'leaking-param' ? 'param-leak' : 'param-leak-content');
  if (whys.has('call parameter')) return yes('call-argument');
  if (rec.kind === 'moved-to-heap' && whys.has('address-of')) return yes('address-stored');
  // Part of an object that is itself on the heap: `&Request{Header: make(Header)}`.
  const root = lastFlow(primary(blocks, 'escape'));
  if (root?.dst.startsWith('{storage for ') || whys.has('struct literal element') || whys.has('array literal element')) {
    return yes('stored-in-heap');
  }
  if (whys.has('assign') || whys.has('dot of pointer') || whys.has('indirection') || whys.has('assign-pair')) {
    return yes('stored-in-heap');
  }
  if (rec.subject === 'append' || rec.subject.startsWith('append(')) return yes('append');
  if (rec.subject === '... argument') return yes('call-argument');
  return yes('unclassified');
}

function dynamicCause(steps: RawStep[], facts?: SourceFacts): CauseId | undefined {
  for (const s of steps) {
    if (s.why === 'callee operand') return 'dynamic-call';
    if (s.why === 'call parameter') {
      if (/^reflect\./.test(s.where)) return 'reflection';
      const t = facts?.callTarget(s.at);
      if (t === 'reflect') return 'reflection';
      if (t === 'dynamic') return 'dynamic-call';
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

/** The explanation that answers the summary line: the escape block of a moved variable, else the first. */
export function primaryExplanation(rec: RawRecord): RawExplanation | undefined {
  return rec.kind === 'moved-to-heap' ? primary(rec.explanations, 'escape') : rec.explanations[0];
}

/** Does the explanation end in a function result (`~r0`), i.e. the value outlives the frame by being returned? */
function returnsToCaller(block: RawExplanation | undefined): boolean {
  if (!block) return false;
  if (block.kind === 'leak') return RESULT.test(block.to);
  // Flows are printed from the value towards the root: the last edge's destination is where it ends up.
  const last = lastFlow(block);
  return !!last && (RESULT.test(last.dst) || last.steps.some((s) => s.why === 'return'));
}
