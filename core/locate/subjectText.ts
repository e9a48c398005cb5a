// How a compiler's printed subject (`&T{...}`, `a + b`, `fmt.Sprint(... argument)`) reads in the source:
// the text to look for, and whether a syntax node is the expression it names.
import type { SyntaxNode as Node } from './syntaxTree';

/** A character of a Go identifier. */
export const IDENT_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The prefixes of a printed expression to look for, longest first (the compiler elides `{...}`, `...`).
 * The compiler names packages by their own name (`io_prometheus_client.X`); the source may use an import
 * alias (`dto.X`): with the file's import names, a qualified type is also looked for under each alias.
 */
export function keysFor(subject: string, importNames?: ReadonlyMap<string, string>): string[] {
  // The compiler parenthesises conversion types (`([]byte)(s)`); the source usually does not.
  const s = subject.replace(/\s+/g, '').replace(/^\(([^()]+)\)\(/, '$1(');
  const keys: string[] = [];
  const cut = s.search(/\{\.\.\.\}|\.\.\.|~[a-zA-Z]|\.autotmp/);
  keys.push(cut === -1 ? s : s.slice(0, cut) + (s.startsWith('{...}', cut) ? '{' : ''));
  const bracket = s.search(/[([{]/);
  if (bracket > 0) keys.push(s.slice(0, bracket + 1));
  // Code from another package or a generic instantiation names types with their package:
  // `&reflect.ValueError{...}` in package reflect reads `&ValueError{`.
  const unqualified = /^(&?)(?:[\p{L}_][\p{L}\p{N}_]*\.)+([\p{L}_][\p{L}\p{N}_]*)[[{(]/u.exec(s);
  if (unqualified && /^&|[[{]$/.test(unqualified[0])) keys.push(unqualified[1] + unqualified[2]);
  if (importNames) {
    const q = /^([&*[\]]*)([\p{L}_][\p{L}\p{N}_]*)\.([\p{L}_][\p{L}\p{N}_]*[[{(])/u.exec(keys[0]);
    if (q && !importNames.has(q[2])) {
      for (const [alias, p] of importNames) {
        if (alias !== p.split('/').pop() || p.includes('.')) keys.push(`${q[1]}${alias}.${q[3]}${keys[0].slice(q[0].length)}`);
      }
    }
  }
  return [...new Set(keys.filter((k) => k.length > 0))];
}

/**
 * Does text[start:end], with white space removed, start with `key`? Reads only as much as needed. With
 * `word`, the key must also end at a word boundary of the text.
 */
export function startsWithCompact(text: string, start: number, end: number, key: string, word = false): boolean {
  let k = 0;
  let i = start;
  for (; i < end && k < key.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (c !== key.charCodeAt(k)) return false;
    k++;
  }
  if (k !== key.length) return false;
  return !word || i >= end || !IDENT_CHAR.test(text.charAt(i));
}

/** `a + b + c` is one string concatenation for the compiler: widen to the whole chain. */
export function widenConcat(n: Node, subject: string): Node {
  if (n.type !== 'binary_expression' || !subject.includes(' + ')) return n;
  while (n.parent?.type === 'binary_expression' && n.parent.childForFieldName('operator')?.text === '+') n = n.parent;
  return n;
}

/** The node a leaf the compiler pointed at stands for, when no node matches the subject's text. */
export function fallbackNode(leaf: Node): Node {
  let n = leaf;
  // Punctuation the compiler points at (`(`, `{`, `&`, `.`, operators) stands for the construct around it.
  if (!n.isNamed && n.parent) n = n.parent;
  if (n.type === 'argument_list' || (n.type === 'literal_value' && n.parent?.type === 'composite_literal')) n = n.parent ?? n;
  return n;
}

/** Whether node `n` is the kind of expression the printed subject is, though its text differs. */
export function sameShape(n: Node, subject: string): boolean {
  switch (n.type) {
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text;
      return !!op && subject.includes(` ${op} `);
    }
    case 'composite_literal':
    case 'literal_value':
      // Generic instantiations print shape types: `go.shape.[]string{}`.
      return subject.endsWith('{...}') || subject.endsWith('{}');
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      // Go 1.26 new(expr) is compiled as &tmp with tmp = expr: the temporary is the cell new allocates.
      if (fn?.text === 'new' && /^\.autotmp_\d+$/.test(subject)) return true;
      const name = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn?.text;
      return !!name && subject.includes(`.${name}(`);
    }
    case 'selector_expression': {
      const field = n.childForFieldName('field')?.text;
      return (!!field && subject.endsWith(`.${field}`)) || isLiteralText(subject);
    }
    case 'slice_expression':
    case 'index_expression':
      return subject.endsWith(']');
    case 'identifier':
      // A named constant folded to its value, or an inlined name qualified by its package (`slices.s`).
      // Long string constants are printed cut short with `...`.
      // A typed constant is printed as its conversion: `contextKey(0)` for `varsKey`.
      return isLiteralText(subject) || /^"(?:[^"\\]|\\.)*\.\.\.$/.test(subject) || subject.endsWith(`.${n.text}`)
        || /^[\p{L}_][\p{L}\p{N}_.]*\((-?[0-9][0-9a-fA-FxXoObB_.eEpP+-]*|"(?:[^"\\]|\\.)*"|true|false)\)$/u.test(subject);
    default:
      return false;
  }
}

/** A Go literal as the compiler prints it: a number, a string, a rune, true or false. */
export function isLiteralText(s: string): boolean {
  return /^(-?[0-9][0-9a-fA-FxXoObB_.eEpP+-]*i?|"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)+'|true|false)$/.test(s);
}
