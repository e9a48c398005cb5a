// What finishing an analysis does to its findings: a generic function's echo of an allocation goes, two
// findings of one allocation become one (the strongest cause kept), and the order is one order.
import type { Finding } from '../model';
import type { GoSource } from '../locate/goSource';
import { STEP } from '../util/steps';

/**
 * A generic function of the package reports each allocation twice: at the allocation and again at the
 * function's name (its shape instantiation). One allocation, one finding: the echo at the name goes when
 * the same message is reported elsewhere inside the function.
 */
export function* dropGenericEchoes(findings: Finding[], sourceOf: (p: string) => GoSource | undefined): Generator<void, Finding[]> {
  // Candidates first (a position in a declaration's head, before its name): almost never any.
  const echoes: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    if (isEchoCandidate(findings[i], sourceOf)) echoes.push(findings[i]);
  }
  if (echoes.length === 0) return findings;
  const key = (f: Finding): string => `${f.file}\0${f.function ?? ''}\0${f.message}`;
  const wanted = new Set(echoes.map(key));
  const elsewhere = new Set<string>();
  const drop = new Set(echoes);
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    if (!drop.has(f) && wanted.has(key(f))) elsewhere.add(key(f));
  }
  const kept: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    if (!drop.has(f) || !elsewhere.has(key(f))) kept.push(f);
  }
  return kept;
}

/** Is `f` reported in its declaration's head, before the function's name (a generic echo, if reported elsewhere too)? */
function isEchoCandidate(f: Finding, sourceOf: (p: string) => GoSource | undefined): boolean {
  if (!f.function || f.subject === f.function) return false;
  const src = sourceOf(f.file);
  if (!src) return false;
  const off = src.offsetOf(f.pos);
  const row = src.enclosingDeclarationLine(off);
  if (f.pos.line - 1 !== row) return false;
  // `func (s *Stack[T]) Push(v T)` reports `append escapes to heap` at its `(`.
  const name = f.function.replace(/^.*\./, '');
  const nameAt = src.text.indexOf(` ${name}`, src.lines.lineStart(row)) + 1;
  return nameAt > 0 && off <= nameAt;
}

// The order in which a cause wins when two findings name one allocation: the rule order of
// docs/architecture.md (the classifier's), the first rule first.
const STRENGTH = ['too-large', 'non-constant-size', 'boxed-constant', 'goroutine', 'escaping-closure', 'method-value',
  'closure-capture', 'append', 'interface-conversion', 'returned-address', 'returned-value', 'address-stored', 'channel-send',
  'map-storage', 'stored-in-heap', 'reflection', 'unsafe-pointer', 'dynamic-call', 'call-argument'];

/**
 * Two findings with one range and one message are one allocation: keep the strongest cause, count the
 * other path. Copies of a generic function (`make([]go.shape.int, n)`, `make([]go.shape.string, n)`)
 * are one finding too: their messages differ only in the shapes, and the finding says in how many
 * instantiations and with which type arguments.
 */
export function* mergeDuplicates(findings: Finding[], sourceOf: (p: string) => GoSource | undefined = () => undefined): Generator<void, Finding[]> {
  // By file, then by range and message (a key without the path, which a big output repeats in every one).
  const byFile = new Map<string, Map<string, number>>();
  const out: Finding[] = [];
  const shapes = new Map<Finding, Set<string>>();
  const rank = (x: Finding): number => { const i = STRENGTH.indexOf(x.cause); return (x.flow.length ? 0 : 100) + (i === -1 ? 50 : i); };
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    const { start, end } = f.range;
    let byKey = byFile.get(f.file);
    if (!byKey) byFile.set(f.file, byKey = new Map());
    const generic = f.message.includes('go.shape.');
    const k = `${start.line}:${start.character}-${end.line}:${end.character}\0${generic ? f.message.replace(SHAPE, '\u0001') : f.message}`;
    const at = byKey.get(k);
    if (at === undefined) {
      byKey.set(k, out.length);
      out.push(f);
      if (generic) shapes.set(f, new Set([typeArgs(f.message)]));
      continue;
    }
    const prev = out[at];
    const [keep, other] = rank(f) < rank(prev) ? [f, prev] : [prev, f];
    keep.otherPaths += 1 + other.otherPaths;
    if (generic) {
      const seen = shapes.get(prev) ?? new Set<string>();
      seen.add(typeArgs(f.message));
      shapes.delete(prev);
      shapes.set(keep, seen);
    }
    out[at] = keep;
  }
  for (const [f, seen] of shapes) {
    // One copy: the shape's own type reads as the user would write it (`make([]int, 3)`).
    if (seen.size < 2) { f.message = f.message.replace(SHAPE, (m) => m.slice('go.shape.'.length)); continue; }
    const args = [...seen].sort();
    f.instantiations = { count: args.length, typeArgs: args };
    f.otherPaths = Math.max(0, f.otherPaths - (args.length - 1));
    f.message = `${writtenText(f, sourceOf) ?? f.subject} escapes to heap (in ${args.length} instantiations)`;
  }
  for (const f of out) if (f.message.includes('<node ')) f.message = f.message.replace(NODE, () => writtenText(f, sourceOf) ?? 'a type assertion');
  return out;
}

const SHAPE = /go\.shape\.(?:\*|\[\]|struct \{[^}]*\}|[\p{L}\p{N}_.])+/gu;
const NODE = /<node [A-Z0-9]+>/g;

/** The type arguments a generic copy's message prints (`go.shape.int, go.shape.string` → `int, string`). */
function typeArgs(message: string): string {
  return [...new Set(message.match(SHAPE) ?? [])].map((s) => s.slice('go.shape.'.length)).join(', ');
}

/** What the user wrote at an exact range, on one line (for messages the compiler worded with its own names). */
function writtenText(f: Finding, sourceOf: (p: string) => GoSource | undefined): string | undefined {
  const src = f.exact ? sourceOf(f.file) : undefined;
  if (!src || f.range.start.line !== f.range.end.line) return undefined;
  return src.lines.lineText(f.range.start.line).slice(f.range.start.character, f.range.end.character) || undefined;
}

/** Findings by file, position, message, then end. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1
    : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
    // Then the end: one message at one start with two ends (an inlined call twice on a line) would
    // otherwise keep go's output order, which differs from one compile to the next.
    || a.range.end.line - b.range.end.line || a.range.end.character - b.range.end.character;
}
