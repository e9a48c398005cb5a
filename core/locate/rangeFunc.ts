// Range-over-func loops (Go 1.23): the compiler turns the loop body into a closure and reports what
// happens in it (the loop variable moved to the heap, an append in the body) at the loop's `for`
// keyword. The thing it names is then the loop variable of the header, or the one expression in the
// body that reads as the message's subject.
import type { SyntaxNode as Node } from './syntaxTree';

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/**
 * `leaf` is the node at the compiler's point; `keys` the subject's prefixes (longest first);
 * `matches(n, key)` says whether node n reads as `key`. Undefined unless the point is the `for` of a
 * range loop and the subject is found there exactly once.
 */
export function rangeLoopTarget(
  leaf: Node, subject: string, keys: readonly string[], matches: (n: Node, key: string) => boolean,
): Node | undefined {
  const loop = leaf.parent;
  if (leaf.type !== 'for' || loop?.type !== 'for_statement') return undefined;
  const clause = loop.namedChildren.find((c) => c.type === 'range_clause');
  if (!clause) return undefined;
  if (IDENT.test(subject)) {
    const v = clause.childForFieldName('left')?.namedChildren.find((c) => c.text === subject);
    if (v) return v;
  }
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  for (const key of keys) {
    // Per start offset, the largest expression that reads as the key (a call rather than its name).
    const byStart = new Map<number, Node>();
    for (const n of body.descendantsOfType(CANDIDATES)) {
      if (!matches(n, key)) continue;
      const prev = byStart.get(n.startIndex);
      if (!prev || n.endIndex > prev.endIndex) byStart.set(n.startIndex, n);
    }
    if (byStart.size === 1) return [...byStart.values()][0];
    if (byStart.size > 1) return undefined;
  }
  return undefined;
}

const CANDIDATES = [
  'call_expression', 'composite_literal', 'unary_expression', 'func_literal', 'binary_expression',
  'selector_expression', 'index_expression', 'slice_expression', 'type_conversion_expression', 'identifier',
];
