// What the classifier asks the source where the compiler's words are ambiguous: is that call static or
// through an interface or func value? Is that func literal a goroutine? Is that value a constant?
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import { GoSource } from '../locate/goSource';
import { isLiteralText } from '../locate/subjectText';

export type CallTarget = 'static' | 'dynamic' | 'reflect' | 'unknown';

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const FUNCS = new Set(['function_declaration', 'method_declaration', 'func_literal']);
// Interfaces of the standard library that calls are commonly made through.
const STD_INTERFACES = new Set([
  'any', 'error', 'io.Reader', 'io.Writer', 'io.ReadWriter', 'io.Closer', 'io.ReadCloser', 'io.WriteCloser',
  'io.ReadWriteCloser', 'io.ReaderAt', 'io.WriterTo', 'io.ReaderFrom', 'io.ByteReader', 'io.ByteWriter',
  'io.StringWriter', 'io.Seeker', 'io.ReadSeeker', 'fmt.Stringer', 'fmt.State', 'context.Context', 'net.Conn',
  'net.Listener', 'net.Addr', 'http.Handler', 'http.ResponseWriter', 'http.RoundTripper', 'sort.Interface',
  'hash.Hash', 'hash.Hash32', 'hash.Hash64', 'reflect.Type', 'fs.File', 'fs.FS', 'fs.FileInfo', 'os.FileInfo',
  'sync.Locker', 'heap.Interface', 'driver.Conn', 'slog.Handler', 'runtime.Error', 'net.PacketConn',
]);

function ancestor(n: Node | null, pred: (n: Node) => boolean, maxUp: number): Node | undefined {
  for (let i = 0; n && i <= maxUp; n = n.parent, i++) if (pred(n)) return n;
  return undefined;
}

/** Is `x.M` at `offset` a method value (a bound method, which allocates a closure) rather than a field? */
export function isMethodValue(src: GoSource, offset: number, subject: string): boolean {
  const dot = subject.lastIndexOf('.');
  if (dot <= 0) return false;
  const sel = ancestor(src.nodeAt(offset), (n) => n.type === 'selector_expression', 2);
  if (!sel || (sel.parent?.type === 'call_expression' && sel.parent.childForFieldName('function')?.id === sel.id)) return false;
  return methods(src).has(subject.slice(dot + 1));
}

/** Is the value a message names a compile-time constant (so boxing it does not allocate)? */
export function isConstant(src: GoSource, subject: string): boolean {
  // Long string constants are printed cut short: `"JSON decoder out of sync"...`.
  if (isLiteralText(subject) || /^"(?:[^"\\]|\\.)*"?\.\.\.$/.test(subject)) return true;
  if (IDENT.test(subject)) return consts(src).has(subject);
  // Conversion of a constant to a named type: `http2ConnectionError(1)`.
  const conv = /^([\p{L}_][\p{L}\p{N}_.]*)\((.*)\)$/u.exec(subject);
  if (conv && (isLiteralText(conv[2]) || consts(src).has(conv[2]))) {
    const t = conv[1];
    return types(src).has(t) || /^(u?int(8|16|32|64)?|uintptr|float(32|64)|string|bool|byte|rune)$/.test(t);
  }
  return false;
}

/** Is the position inside a function literal that a `go` statement starts (or the literal itself)? */
export function inGoStatement(src: GoSource, offset: number): boolean {
  const lit = ancestor(src.nodeAt(offset), (n) => n.type === 'func_literal', 1000);
  const call = lit?.parent;
  return !!call && call.type === 'call_expression' && call.parent?.type === 'go_statement';
}

/** What a call at `offset` (the compiler points at its `(`) calls: a known function or an unknown target. */
export function callTarget(src: GoSource, offset: number): CallTarget {
  const call = ancestor(src.nodeAt(offset), (n) => n.type === 'call_expression', 3);
  const fn = call?.childForFieldName('function');
  if (!fn) return 'unknown';
  switch (fn.type) {
    case 'func_literal':
      return 'static';
    case 'identifier':
      return isLocalName(src, fn, fn.text) ? 'dynamic' : 'static';
    case 'selector_expression': {
      const operand = fn.childForFieldName('operand');
      if (!operand) return 'unknown';
      if (operand.type !== 'identifier') return 'static';
      const imp = imports(src).get(operand.text);
      if (imp !== undefined && !isLocalName(src, fn, operand.text)) return imp === 'reflect' ? 'reflect' : 'static';
      const type = declaredType(fn, operand.text);
      return type !== undefined && isInterfaceType(src, type) ? 'dynamic' : 'static';
    }
    default:
      // handlers[i](x), (f)(x), m.fns["k"](x): a function value.
      return 'dynamic';
  }
}

/** The declared type of identifier `name` used at `offset`, when its declaration writes one down. */
export function declaredTypeAt(src: GoSource, offset: number, name: string): string | undefined {
  if (!IDENT.test(name)) return undefined;
  const at = src.nodeAt(offset);
  return at ? declaredType(at, name) : undefined;
}

/** Declared type text of a parameter or variable `name` visible from `at`, when written down. */
function declaredType(at: Node, name: string): string | undefined {
  for (let n: Node | null = at; n; n = n.parent) {
    if (!FUNCS.has(n.type)) continue;
    for (const field of ['receiver', 'parameters']) {
      for (const p of n.childForFieldName(field)?.namedChildren ?? []) {
        if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
        if (p.childrenForFieldName('name').some((c) => c?.text === name)) return p.childForFieldName('type')?.text;
      }
    }
    const body = n.childForFieldName('body');
    const found = body && findVarType(body, name);
    if (found) return found;
  }
  return undefined;
}

/** Is `name` a parameter or local variable of a function around `at` (so a call through it is dynamic)? */
function isLocalName(src: GoSource, at: Node, name: string): boolean {
  for (let n: Node | null = at; n; n = n.parent) {
    if (FUNCS.has(n.type) && src.memoize(`locals@${n.startIndex}`, () => localNames(n!)).has(name)) return true;
  }
  return false;
}

function isInterfaceType(src: GoSource, type: string): boolean {
  const t = type.replace(/^\*/, '');
  return STD_INTERFACES.has(t) || t.startsWith('interface') || types(src).get(t) === true;
}

function methods(src: GoSource): Set<string> {
  return src.memoize('methods', () => new Set(src.tree.rootNode.descendantsOfType('method_declaration')
    .map((m) => m?.childForFieldName('name')?.text ?? '')));
}

function consts(src: GoSource): Set<string> {
  return src.memoize('consts', () => {
    const out = new Set<string>();
    for (const spec of src.tree.rootNode.descendantsOfType('const_spec')) {
      for (const n of spec?.childrenForFieldName('name') ?? []) if (n) out.add(n.text);
    }
    return out;
  });
}

/** Type names declared in this file → whether each is an interface. */
function types(src: GoSource): Map<string, boolean> {
  return src.memoize('types', () => {
    const out = new Map<string, boolean>();
    for (const spec of src.tree.rootNode.descendantsOfType(['type_spec', 'type_alias'])) {
      const name = spec?.childForFieldName('name')?.text;
      if (name) out.set(name, spec!.childForFieldName('type')?.type === 'interface_type');
    }
    return out;
  });
}

/** Import names in this file → import path. */
function imports(src: GoSource): Map<string, string> {
  return src.memoize('imports', () => {
    const out = new Map<string, string>();
    for (const spec of src.tree.rootNode.descendantsOfType('import_spec')) {
      const p = spec?.childForFieldName('path')?.text.slice(1, -1);
      if (!p) continue;
      out.set(spec!.childForFieldName('name')?.text ?? p.slice(p.lastIndexOf('/') + 1), p);
    }
    return out;
  });
}

function findVarType(body: Node, name: string): string | undefined {
  for (const spec of body.descendantsOfType('var_spec')) {
    if (spec?.childrenForFieldName('name').some((c) => c?.text === name)) return spec.childForFieldName('type')?.text;
  }
  return undefined;
}

/** Parameters, receivers and variables declared in a function (nested literals included). */
function localNames(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const field of ['receiver', 'parameters']) {
    for (const p of fn.childForFieldName(field)?.namedChildren ?? []) {
      for (const c of p?.childrenForFieldName('name') ?? []) if (c) names.add(c.text);
    }
  }
  const body = fn.childForFieldName('body');
  for (const d of body?.descendantsOfType(['short_var_declaration', 'var_spec', 'parameter_declaration', 'range_clause']) ?? []) {
    if (!d) continue;
    const left = d.type === 'short_var_declaration' || d.type === 'range_clause'
      ? d.childForFieldName('left')?.namedChildren : d.childrenForFieldName('name');
    for (const c of left ?? []) if (c?.type === 'identifier') names.add(c.text);
  }
  return names;
}

/** Is `name` a parameter, receiver or local variable of a function around `offset`? */
export function isLocalVariable(src: GoSource, offset: number, name: string): boolean {
  const at = src.nodeAt(offset);
  return !!at && isLocalName(src, at, name);
}

/**
 * Can `text` declare `name` in a var spec? A superset test (the tree decides): some occurrence of the name
 * stands after `var`, `(`, `,`, `;`, a comment's end or at a line's start (a `var (…)` block, or `var`
 * then a line break), and is not followed by `.` (`types.F`) or more of an identifier. `package types`
 * and `"go/types"` do not count. A scan of the name's occurrences: a regular expression over whole
 * standard-library packages cost more than the parse it saves.
 */
export function mayDeclare(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + 1)) {
    let k = i + name.length;
    if (k < text.length && isIdentChar(text, k)) continue;
    while (text[k] === ' ' || text[k] === '\t') k++;
    if (text[k] === '.') continue;
    let j = i - 1;
    while (text[j] === ' ' || text[j] === '\t') j--;
    if (j < 0) return true;
    const c = text[j];
    if (c === '\n' || c === '\r' || c === ';' || c === '(' || c === ',' || (c === '/' && text[j - 1] === '*')) return true;
    if (c === 'r' && text.startsWith('var', j - 2) && (j - 3 < 0 || !isIdentChar(text, j - 3))) return true;
  }
  return false;
}

function isIdentChar(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return /[\p{L}\p{N}_]/u.test(String.fromCodePoint(text.codePointAt(k)!));
}

/** Package-level variable names declared in this file. */
export function packageVars(src: GoSource): Set<string> {
  return src.memoize('packageVars', () => {
    const out = new Set<string>();
    for (const decl of src.tree.rootNode.namedChildren) {
      if (decl?.type !== 'var_declaration') continue;
      for (const spec of decl.descendantsOfType('var_spec')) for (const n of spec?.childrenForFieldName('name') ?? []) if (n) out.add(n.text);
    }
    return out;
  });
}

/** The import path a package name (or alias) stands for in this file. */
export function importPathOf(src: GoSource, name: string): string | undefined {
  const byAlias = imports(src).get(name);
  if (byAlias !== undefined) return byAlias;
  // The compiler prints a package's own name, which is usually the last element of its path.
  for (const p of imports(src).values()) if (p.split('/').pop()!.replace(/^go-|\.v\d+$/g, '') === name) return p;
  return undefined;
}

/**
 * Is type `name`, declared in `files` (one package), of size zero: `struct{}`, a struct of zero-size
 * fields, `[0]T`, or a named type of one of those? Unknown or recursive types count as not zero-size.
 */
export function isZeroSizeType(files: readonly GoSource[], name: string, depth = 0): boolean {
  if (depth > 8) return false;
  GoSource.loadAllSync(files.filter((src) => src.mentions(name)));
  for (const src of files) {
    // A file whose text never says the name declares no type of that name: its tree is not needed (a
    // standard-library package's files would otherwise each be parsed, one helper run apiece).
    if (!src.mentions(name)) continue;
    for (const spec of src.tree.rootNode.descendantsOfType(['type_spec', 'type_alias'])) {
      if (spec?.childForFieldName('name')?.text !== name || spec.parent?.parent?.type !== 'source_file') continue;
      const t = spec.childForFieldName('type');
      return !!t && isZeroSizeTypeNode(files, t, depth);
    }
  }
  return false;
}

function isZeroSizeTypeNode(files: readonly GoSource[], t: Node, depth: number): boolean {
  switch (t.type) {
    case 'struct_type': {
      const fields = t.descendantsOfType('field_declaration').filter((f) => f?.parent?.parent?.id === t.id);
      return fields.every((f) => { const ft = f?.childForFieldName('type'); return !!ft && isZeroSizeTypeNode(files, ft, depth + 1); });
    }
    case 'array_type':
      return t.childForFieldName('length')?.text === '0';
    case 'type_identifier':
      return isZeroSizeType(files, t.text, depth + 1);
    default:
      return false;
  }
}
