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

// The order in which a cause wins when two findings name one allocation: the most specific first.
const STRENGTH = ['goroutine', 'reflection', 'unsafe-pointer', 'dynamic-call', 'too-large', 'non-constant-size', 'escaping-closure',
  'closure-capture', 'method-value', 'returned-address', 'returned-value', 'address-stored', 'channel-send', 'map-storage',
  'append', 'interface-conversion', 'call-argument', 'stored-in-heap', 'boxed-constant'];

/** Two findings with one range and one message are one allocation: keep the strongest cause, count the other path. */
export function* mergeDuplicates(findings: Finding[]): Generator<void, Finding[]> {
  // By file, then by range and message (a key without the path, which a big output repeats in every one).
  const byFile = new Map<string, Map<string, number>>();
  const out: Finding[] = [];
  const rank = (x: Finding): number => { const i = STRENGTH.indexOf(x.cause); return (x.flow.length ? 0 : 100) + (i === -1 ? 50 : i); };
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    const { start, end } = f.range;
    let byKey = byFile.get(f.file);
    if (!byKey) byFile.set(f.file, byKey = new Map());
    const k = `${start.line}:${start.character}-${end.line}:${end.character}\0${f.message}`;
    const at = byKey.get(k);
    if (at === undefined) { byKey.set(k, out.length); out.push(f); continue; }
    const prev = out[at];
    const [keep, other] = rank(f) < rank(prev) ? [f, prev] : [prev, f];
    keep.otherPaths += 1 + other.otherPaths;
    out[at] = keep;
  }
  return out;
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
