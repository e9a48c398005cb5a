// What the classifier asks the source where the compiler's words are ambiguous: is that call static or
// through an interface or func value? Is that func literal a goroutine? Is that value a constant?
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import { GoSource } from '../locate/goSource';
import { isLiteralText } from '../locate/subjectText';
import { packageVarSpecs, typeSpecs } from './packageDecls';

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

/**
 * Is `x.M` at `offset` a method value (a bound method, which allocates a closure) rather than a field?
 * When the operand's declared type is a struct of `files` (the package) with a field `M`, a field; when
 * that type has a method `M`, a method. Otherwise a method of that name in the package decides, unless
 * a struct of the package also has a field of that name (then the syntax cannot tell: a field is the
 * common case, and the typed facts answer where the package type-checked).
 */
export function isMethodValue(src: GoSource, offset: number, subject: string, files: readonly GoSource[] = [src]): boolean {
  const dot = subject.lastIndexOf('.');
  if (dot <= 0) return false;
  const sel = ancestor(src.nodeAt(offset), (n) => n.type === 'selector_expression', 2);
  if (!sel || (sel.parent?.type === 'call_expression' && sel.parent.childForFieldName('function')?.id === sel.id)) return false;
  const name = subject.slice(dot + 1);
  const operand = sel.childForFieldName('operand');
  // Only files whose text says the name can declare a field or method of that name.
  const all = [src, ...files.filter((f) => f !== src && f.spells(name))];
  GoSource.loadAllSync(all);
  if (operand?.type === 'identifier') {
    const t = declaredType(sel, operand.text)?.replace(/^\*/, '');
    if (t && IDENT.test(t)) {
      if (all.some((f) => (structFields(f).get(t) ?? EMPTY).has(name))) return false;
      if (all.some((f) => (methodsByType(f).get(t) ?? EMPTY).has(name))) return true;
    }
  }
  if (all.some((f) => [...structFields(f).values()].some((fields) => fields.has(name)))) return false;
  return all.some((f) => methods(f).has(name));
}

const EMPTY: ReadonlySet<string> = new Set();

/** Struct type name → its field names (embedded types by their type name), in this file. */
function structFields(src: GoSource): Map<string, Set<string>> {
  return src.memoize('structFields', () => {
    const out = new Map<string, Set<string>>();
    for (const spec of src.tree.rootNode.descendantsOfType('type_spec')) {
      const t = spec?.childForFieldName('type');
      const name = spec?.childForFieldName('name')?.text;
      if (!name || t?.type !== 'struct_type') continue;
      const fields = new Set<string>();
      for (const f of t.descendantsOfType('field_declaration')) {
        const names = f?.childrenForFieldName('name') ?? [];
        if (names.length) for (const n of names) { if (n) fields.add(n.text); }
        else { const ft = f?.childForFieldName('type')?.text; if (ft) fields.add(ft.replace(/^\*/, '').replace(/^.*\./, '')); }
      }
      out.set(name, fields);
    }
    return out;
  });
}

/** Receiver type name → the names of its methods, in this file. */
function methodsByType(src: GoSource): Map<string, Set<string>> {
  return src.memoize('methodsByType', () => {
    const out = new Map<string, Set<string>>();
    for (const m of src.tree.rootNode.descendantsOfType('method_declaration')) {
      const recv = m?.childForFieldName('receiver')?.namedChildren[0]?.childForFieldName('type')?.text;
      const name = m?.childForFieldName('name')?.text;
      if (!recv || !name) continue;
      const t = recv.replace(/^\*/, '').replace(/\[.*\]$/, '');
      let set = out.get(t);
      if (!set) out.set(t, set = new Set());
      set.add(name);
    }
    return out;
  });
}

/** Does the function around `offset` return the variable `name` (one of its results is exactly `name`)? */
export function returnsVariable(src: GoSource, offset: number, name: string): boolean {
  const fn = ancestor(src.nodeAt(offset), (n) => FUNCS.has(n.type), 1000);
  const body = fn?.childForFieldName('body');
  if (!fn || !body) return false;
  for (const r of body.descendantsOfType('return_statement')) {
    if (!r || ancestor(r, (n) => FUNCS.has(n.type), 1000)?.id !== fn.id) continue;
    const list = r.namedChildren[0];
    const results = list?.type === 'expression_list' ? list.namedChildren : list ? [list] : [];
    if (results.some((e) => e?.type === 'identifier' && e.text === name)) return true;
  }
  return false;
}

/**
 * Does the func literal at `offset` capture nothing? Syntax's answer: no identifier in its body names a
 * parameter, receiver, result or local of a function around it that the literal does not declare itself.
 * undefined when the literal declares a name that an outer function declares too (shadowing: the
 * syntax cannot tell which one a use means).
 */
export function capturesNothing(src: GoSource, offset: number): boolean | undefined {
  const lit = ancestor(src.nodeAt(offset), (n) => n.type === 'func_literal', 2);
  if (!lit) return undefined;
  const outer = new Set<string>();
  for (let n = lit.parent; n; n = n.parent) {
    if (!FUNCS.has(n.type)) continue;
    for (const x of localNames(n, lit)) outer.add(x);
    for (const p of n.childForFieldName('result')?.namedChildren ?? []) for (const c of p?.childrenForFieldName('name') ?? []) if (c) outer.add(c.text);
  }
  const own = localNames(lit);
  for (const x of own) if (outer.has(x)) return undefined;
  for (const id of lit.descendantsOfType('identifier')) {
    if (id && outer.has(id.text) && !own.has(id.text)) return false;
  }
  return true;
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
    for (const { name, spec } of typeSpecs(src)) if (name) out.set(name, spec.childForFieldName('type')?.type === 'interface_type');
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

/** Parameters, receivers and variables declared in a function (nested literals included, but `skip`). */
function localNames(fn: Node, skip?: Node): Set<string> {
  const names = new Set<string>();
  for (const field of ['receiver', 'parameters']) {
    for (const p of fn.childForFieldName(field)?.namedChildren ?? []) {
      for (const c of p?.childrenForFieldName('name') ?? []) if (c) names.add(c.text);
    }
  }
  const body = fn.childForFieldName('body');
  for (const d of body?.descendantsOfType(['short_var_declaration', 'var_spec', 'parameter_declaration', 'range_clause']) ?? []) {
    if (!d || (skip && d.startIndex >= skip.startIndex && d.endIndex <= skip.endIndex)) continue;
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

/** The import path a package name (or alias) stands for in this file. */
export function importPathOf(src: GoSource, name: string): string | undefined {
  const byAlias = imports(src).get(name);
  if (byAlias !== undefined) return byAlias;
  // The compiler prints a package's own name, which is usually the last element of its path.
  for (const p of imports(src).values()) if (p.split('/').pop()!.replace(/^go-|\.v\d+$/g, '') === name) return p;
  return undefined;
}

/**
 * Is `name` at `offset` a map: a parameter or local whose declaration writes a map type, or a package
 * variable of `files` declared with a map type or initialised with a map literal or `make(map…)`?
 */
export function isMapVariable(src: GoSource, offset: number, name: string, files: readonly GoSource[]): boolean {
  const local = declaredTypeAt(src, offset, name);
  if (local !== undefined) return local.startsWith('map[');
  // A parsed file answers from its tree (its top level only); another is parsed only if it spells the name.
  const mentioning = files.filter((f) => f.hasTree || f.spells(name));
  GoSource.loadAllSync(mentioning);
  for (const f of mentioning) {
    const said = packageVarSpecs(f).get(name);
    if (said !== undefined) return /^(?:map\[|make\(map\[)/.test(said);
  }
  return false;
}
