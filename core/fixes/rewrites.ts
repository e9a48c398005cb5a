// Candidates for the allocations real code has most beyond one boxed value: fmt.Sprintf of several values
// (→ concatenation with strconv, once the compiler has typed every value) and a slice appended in a range
// loop (→ preallocated to the ranged value's length, once the compiler has typed it and a measurement has
// shown fewer allocations per call). Neither is offered before core/fixes/verify.ts has proven it.
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import type { GoSource } from '../locate/goSource';
import type { Finding } from '../model';
import { HEAP_KINDS } from '../model';
import { targetKey, type FixCandidate } from './model';
import { importName, nodeAt, up, writes } from './syntax';

/**
 * A format literal's text (between its quotes) split around its verbs: `parts` has one more entry than
 * `verbs`, each still in Go's escaped form. Undefined for flags, widths, argument indexes, or an escape
 * that could spell a `%` (fmt would see a verb the text does not show).
 */
export function splitFormat(raw: string): { parts: string[]; verbs: string[] } | undefined {
  if (/\\(x|u|U|[0-7])/.test(raw)) return undefined;
  const parts = [''];
  const verbs: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') { parts[parts.length - 1] += raw.slice(i, i + 2); i++; continue; }
    if (c !== '%') { parts[parts.length - 1] += c; continue; }
    const v = raw[i + 1];
    if (v === '%') { parts[parts.length - 1] += '%'; i++; continue; }
    if (!v || !/[a-zA-Z]/.test(v)) return undefined;
    verbs.push(`%${v}`);
    parts.push('');
    i++;
  }
  return { parts, verbs };
}

/** Contexts where a concatenation must be parenthesised to keep its meaning (`"a" + fmt.Sprintf(…)[0]`). */
const TIGHTER = new Set(['binary_expression', 'unary_expression', 'selector_expression', 'index_expression', 'slice_expression']);

/**
 * `fmt.Sprintf("%s-%d", a, b)` boxing two or more values: one candidate per call, targeting the first
 * boxed value and naming the others (`also`), so a grouped finding ("2 values boxed for fmt.Sprintf")
 * offers it too. `seen`: calls already proposed.
 */
export function sprintfConcat(src: GoSource, f: Finding, findings: readonly Finding[], seen: Set<number>): FixCandidate | undefined {
  if (f.kind !== 'escapes' || f.cause !== 'interface-conversion' || !f.exact) return undefined;
  const fmtName = importName(src, 'fmt');
  let arg: Node | null | undefined = nodeAt(src, f);
  for (let i = 0; arg && i < 8 && arg.parent?.type !== 'argument_list'; i++) arg = arg.parent;
  const call = arg?.parent?.parent;
  if (!fmtName || !arg || call?.type !== 'call_expression' || seen.has(call.startIndex)) return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression' || fn.childForFieldName('operand')?.text !== fmtName || fn.childForFieldName('field')?.text !== 'Sprintf') return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
  if (args.length < 3 || args[0].type !== 'interpreted_string_literal' || /\.\.\.\s*\)$/.test(call.text)) return undefined;
  const format = splitFormat(args[0].text.slice(1, -1));
  if (!format || format.verbs.length !== args.length - 1) return undefined;
  seen.add(call.startIndex);
  const values = args.slice(1).map((a, i) => ({ start: a.startIndex, end: a.endIndex, verb: format.verbs[i] }));
  const inCall = (x: Finding) => {
    const off = src.offsetOf(x.pos);
    return x.file === src.path && values.some((v) => off >= v.start && off < v.end);
  };
  const also = findings.filter((x) => x !== f && HEAP_KINDS.has(x.kind) && x.suppressed === undefined && inCall(x)).map(targetKey);
  return {
    kind: 'sprintf-concat', target: targetKey(f), also, title: '', edits: [],
    probe: {
      file: src.path, values, call: { start: call.startIndex, end: call.endIndex }, parts: format.parts,
      parenthesize: TIGHTER.has(call.parent?.type ?? ''),
    },
  };
}

/** `"lit" + strconv.Itoa(b) + …` from a format's parts and each value's rewrite. */
export function concatenation(parts: readonly string[], values: readonly string[], parenthesize: boolean): string {
  const terms: string[] = [];
  parts.forEach((p, i) => {
    if (p !== '') terms.push(`"${p}"`);
    if (i < values.length) terms.push(values[i]);
  });
  const text = terms.join(' + ');
  return parenthesize ? `(${text})` : text;
}

const SIMPLE = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;
const EXITS = ['continue_statement', 'break_statement', 'goto_statement', 'return_statement', 'labeled_statement'];

/**
 * `out = append(out, v)` in `for … := range xs`, with `out` declared empty in the same block before the
 * loop and untouched until it → capacity for `len(xs)` before the loop. Only the capacity changes, so the
 * contents are the same whatever the loop appends; what else must hold:
 * - `out` is fresh (declared empty, nothing between its declaration and the loop mentions it), so no
 *   other slice shares its array and sees the appends differently;
 * - nothing between the declaration and the loop writes `xs`, so `len(xs)` is the range's length;
 * - declared nil (`var out []T`), it must stay nil when nothing is appended: the append is then
 *   unconditional (directly in the loop's body, no branch out of it) and the capacity comes from
 *   `slices.Grow`, which leaves a nil slice nil for a length of 0 (Go 1.21 on); declared empty
 *   (`[]T{}`, `make([]T, 0)`), the declaration becomes `make([]T, 0, len(xs))`.
 * Code that depends on a slice's spare capacity (appending to two copies of it) may see a difference;
 * append's own growth already leaves that capacity unspecified. The ranged value's type is asked of the
 * compiler (slices, arrays, maps and strings have a length bounding the loop).
 */
export function preallocate(src: GoSource, f: Finding, goMinor: number | undefined): FixCandidate | undefined {
  if (f.kind !== 'escapes' || !/^append\b/.test(f.subject)) return undefined;
  const call = up(nodeAt(src, f), 'call_expression', 2);
  const args = call?.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
  if (!call || call.childForFieldName('function')?.text !== 'append' || args.length !== 2 || args[0].type !== 'identifier') return undefined;
  if (/\.\.\.\s*\)$/.test(call.text)) return undefined;
  const name = args[0].text;
  const stmt = call.parent?.parent;
  if (stmt?.type !== 'assignment_statement' || call.parent?.type !== 'expression_list' || stmt.childForFieldName('left')?.text !== name) return undefined;
  if (src.text.slice(stmt.childForFieldName('left')!.endIndex, call.startIndex).trim() !== '=') return undefined;
  let loop: Node | null = stmt.parent;
  while (loop && loop.type !== 'for_statement' && loop.type !== 'func_literal' && loop.type !== 'function_declaration') loop = loop.parent;
  const range = loop?.type === 'for_statement' ? loop.namedChildren.find((c) => c?.type === 'range_clause') : undefined;
  const xs = range?.childForFieldName('right');
  const body = loop?.childForFieldName('body');
  if (!loop || !range || !xs || !body || !SIMPLE.test(xs.text)) return undefined;
  const unconditional = stmt.parent?.id === body.id && body.descendantsOfType(EXITS).length === 0;
  // Appends elsewhere in the body are fine (capacity only), but only plain `out = append(out, …)` uses.
  const uses = body.text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
  const appends = body.text.match(new RegExp(`\\b${name}\\s*=\\s*append\\(${name}\\s*,`, 'g'))?.length ?? 0;
  if (uses !== 2 * appends) return undefined;
  const block = loop.parent;
  const siblings = block?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  const at = siblings.findIndex((c) => c.id === loop!.id);
  const root = xs.text.split('.')[0];
  let decl: { node: Node; nil: boolean; type?: string; value?: Node } | undefined;
  for (let i = at - 1; i >= 0 && !decl; i--) {
    const s = siblings[i];
    if (!new RegExp(`\\b${name}\\b`).test(s.text)) { if (writes(s, root) || s.text.includes(`${root} :=`)) return undefined; continue; }
    decl = emptyDeclaration(s, name);
    if (!decl) return undefined;
  }
  if (!decl || (decl.nil && (!unconditional || goMinor === undefined || goMinor < 21))) return undefined;
  const lineStart = src.lines.lineStart(loop.startPosition.row);
  const indent = src.lines.lineText(loop.startPosition.row).match(/^\s*/)![0];
  const edits = decl.nil
    ? [{ file: src.path, start: lineStart, end: lineStart, newText: `${indent}${name} = slices.Grow(${name}, len(${xs.text}))\n` }]
    : [{ file: src.path, start: decl.value!.startIndex, end: decl.value!.endIndex, newText: `make(${decl.type}, 0, len(${xs.text}))` }];
  const fn = up(loop, 'function_declaration', 1000);
  const fnName = fn?.childForFieldName('name')?.text;
  if (!fnName) return undefined;
  return {
    kind: 'preallocate', target: targetKey(f), title: '', edits, addImports: decl.nil ? ['slices'] : [],
    measure: { function: fnName, ranged: { start: xs.startIndex, end: xs.endIndex, verb: '' }, nilDeclared: decl.nil, name },
  };
}

/** `var out []T`, `out := []T{}`, `out := make([]T, 0)` declaring `name` alone. */
function emptyDeclaration(s: Node, name: string): { node: Node; nil: boolean; type?: string; value?: Node } | undefined {
  if (s.type === 'var_declaration') {
    const specs = s.namedChildren.filter((c): c is Node => !!c && c.type === 'var_spec');
    const spec = specs.length === 1 ? specs[0] : undefined;
    const type = spec?.childForFieldName('type');
    if (!spec || spec.childForFieldName('value') || type?.type !== 'slice_type' || spec.childrenForFieldName('name').length !== 1) return undefined;
    return spec.childForFieldName('name')?.text === name ? { node: s, nil: true } : undefined;
  }
  if (s.type !== 'short_var_declaration' || s.childForFieldName('left')?.text !== name) return undefined;
  const value = s.childForFieldName('right')?.namedChildren[0];
  if (!value || s.childForFieldName('right')!.namedChildren.length !== 1) return undefined;
  if (value.type === 'composite_literal') {
    const type = value.childForFieldName('type');
    const lit = value.childForFieldName('body');
    if (type?.type !== 'slice_type' || lit?.namedChildren.length !== 0) return undefined;
    return { node: s, nil: false, type: type.text, value };
  }
  const m = /^make\((\[\][^,]+),\s*0\)$/.exec(value.text);
  if (value.type === 'call_expression' && m) return { node: s, nil: false, type: m[1], value };
  return undefined;
}
