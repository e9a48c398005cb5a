// What the code around a finding says about how often it runs: the questions the presentation's cold and
// conditional rules ask (rules.ts), answered from the syntax tree. Each answer is a fact of the code the
// user can see (an `if err != nil` block, a `sync.Pool`'s `New`, the loop of a benchmark), never a guess
// from a name alone.
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import type { GoSource } from '../locate/goSource';

export interface CodeShape {
  /** The name of the top-level function or method around the finding (`NewWriter`, `Clone`). */
  declName?: string;
  /** Inside the body of `if err != nil { … }` (any `err…` name), or of an `if … == nil` lazy initialisation. */
  errBranch: boolean;
  lazyInit: boolean;
  /** Inside a func literal that is a `sync.Pool`'s `New`, or the function given to a `sync.Once`'s `Do`. */
  poolOrOnce: boolean;
  /** In a `_test.go` file: a Test/Example/Fuzz function, or a benchmark's code outside its timed loop. */
  testSetup: boolean;
  /** The declared result of that function, as written (`Option`, `(*Logger, error)`). */
  declResult?: string;
  /** The range is a func literal that names no variable of the functions around it (it captures nothing). */
  capturesNothing: boolean;
  /** The range is a func literal its function returns as its only result (`return func(…) {…}`). */
  returnedLiteral: boolean;
  /** Start offset of the switch whose case clause holds the range (in this function), if any: one case runs per execution. */
  switchAt?: number;
  /** For `append(s, …)`: why it allocates only when the slice grows, if the code says so. */
  append?: 'reuse' | 'caller-buffer' | 'preallocated';
}

const ERR_COND = /^\(?\s*[\p{L}_][\p{L}\p{N}_.]*\s*!=\s*nil\b/u;
const ERR_NAME = /^(err|e)$|^err[A-Z_\d]|Err$|Error$/;
const NIL_COND = /^\(?\s*([\p{L}_][\p{L}\p{N}_.]*)\s*==\s*nil\s*\)?$/u;
const TEST_FUNC = /^(Test|Example|Fuzz)([A-Z_\d]|$)/;
const CASES = new Set(['expression_case', 'type_case', 'default_case', 'communication_case']);
const BENCH_LOOP = /\bb\.Loop\(\)|\b\w+\.N\b/;

export const NO_SHAPE: CodeShape = { errBranch: false, lazyInit: false, poolOrOnce: false, testSetup: false, capturesNothing: false, returnedLiteral: false };

export function codeShape(s: GoSource, start: number, end: number): CodeShape {
  const shape: CodeShape = { ...NO_SHAPE };
  let inner: Node | undefined;
  let decl: Node | undefined;
  let appendCall: Node | undefined;
  for (let n: Node | null = s.nodeAt(start); n; n = n.parent) {
    if (!appendCall && n.type === 'call_expression' && n.childForFieldName('function')?.text === 'append' && n.endIndex >= end) appendCall = n;
    if (n.type === 'block' && n.parent?.type === 'if_statement' && n.fieldName === 'consequence') {
      const cond = n.parent.childForFieldName('condition')?.text ?? '';
      const errName = /^\(?\s*([\p{L}_][\p{L}\p{N}_.]*)/u.exec(cond)?.[1] ?? '';
      if (ERR_COND.test(cond) && ERR_NAME.test(errName.slice(errName.lastIndexOf('.') + 1))) shape.errBranch = true;
      else if (NIL_COND.test(cond)) shape.lazyInit = true;
    }
    if (!inner && shape.switchAt === undefined && CASES.has(n.type) && n.parent && n.startIndex < start) shape.switchAt = n.parent.startIndex;
    if (n.type === 'func_literal') {
      inner ??= n;
      if (isPoolNew(n) || isOnceDo(n)) shape.poolOrOnce = true;
    }
    if (n.type === 'function_declaration' || n.type === 'method_declaration') { decl = n; break; }
  }
  if (!decl) return shape;
  shape.declName = decl.childForFieldName('name')?.text;
  shape.declResult = decl.childForFieldName('result')?.text;
  const lit = s.nodeAt(start);
  for (let n = lit; n && n.startIndex === start; n = n.parent) {
    if (n.type === 'func_literal') {
      shape.capturesNothing = capturesNothing(n, decl);
      // The function's whole result: `return func(…) {…}` (a factory), not one of several results.
      shape.returnedLiteral = n.parent?.type === 'expression_list' && n.parent.parent?.type === 'return_statement' && n.parent.namedChildren.length === 1;
      break;
    }
  }
  if (s.path.endsWith('_test.go')) shape.testSetup = isTestSetup(decl, inner, start, shape.declName ?? '');
  if (appendCall) shape.append = appendShape(appendCall, inner ?? decl, decl);
  return shape;
}

/** `sync.Pool{New: func() any { … }}`: runs on a pool miss. */
function isPoolNew(lit: Node): boolean {
  const kv = lit.parent?.type === 'literal_element' ? lit.parent.parent : lit.parent;
  if (kv?.type !== 'keyed_element' || kv.namedChildren[0]?.text !== 'New') return false;
  const composite = kv.parent?.parent;
  return composite?.type === 'composite_literal' && /Pool$/.test(composite.childForFieldName('type')?.text ?? '');
}

/** `once.Do(func() { … })`: runs once. */
function isOnceDo(lit: Node): boolean {
  const call = lit.parent?.parent;
  if (call?.type !== 'call_expression') return false;
  const callee = call.childForFieldName('function')?.text ?? '';
  return /(^|\.)[oO]nce\w*\.Do$|\.once\.Do$|^\w*\.Do$/.test(callee) && /once/i.test(callee);
}

/**
 * A Test/Example/Fuzz function (or a func literal inside one) is test code; in a benchmark (a function with
 * a `*testing.B` parameter, or a `b.Run` literal), code before or after its `for b.Loop()` / `b.N` loop.
 */
function isTestSetup(decl: Node, inner: Node | undefined, start: number, name: string): boolean {
  if (TEST_FUNC.test(name)) return true;
  const fn = [inner, decl].find((f) => f && /\*testing\.B\b/.test(f.childForFieldName('parameters')?.text ?? ''));
  if (!fn) return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const loops = body.descendantsOfType('for_statement').filter((l) => BENCH_LOOP.test(headerOf(l)));
  const parallel = body.descendantsOfType('call_expression').filter((c) => /\.RunParallel$/.test(c.childForFieldName('function')?.text ?? ''));
  const timed = [...loops, ...parallel];
  if (timed.length === 0) return false;
  return !timed.some((l) => l.startIndex <= start && start < l.endIndex);
}

/** A for statement's text up to its body: `for i := 0; i < b.N; i++`, `for b.Loop()`. */
function headerOf(loop: Node): string {
  const body = loop.childForFieldName('body');
  return body ? loop.text.slice(0, body.startIndex - loop.startIndex) : loop.text;
}

/**
 * Why an `append(s, …)` allocates only when `s` grows: `x = append(x[:0], …)` reuses x's array; a
 * parameter or a field of the receiver is a buffer the caller supplies (and keeps); a slice made with a
 * capacity (`make([]T, n, c)`, `make([]T, 0, c)`) in the same function was sized for what follows.
 */
function appendShape(call: Node, fn: Node, decl: Node): CodeShape['append'] {
  const first = call.childForFieldName('arguments')?.namedChildren[0];
  if (!first) return undefined;
  const text = first.text.replace(/\s+/g, '');
  if (/\[:0\]$/.test(text)) return 'reuse';
  const base = text.replace(/^\*|\[[^\]]*\]$/g, '').replace(/^\(\*?(.*)\)$/, '$1');
  const root = base.split('.')[0];
  const receiver = decl.type === 'method_declaration' ? paramNames(decl.childForFieldName('receiver')) : [];
  const params = [...paramNames(fn.childForFieldName('parameters')), ...(fn === decl ? [] : paramNames(decl.childForFieldName('parameters')))];
  if (!base.includes('.') && params.includes(root)) return 'caller-buffer';
  if (base.includes('.') && (receiver.includes(root) || params.includes(root))) return 'caller-buffer';
  const body = fn.childForFieldName('body')?.text ?? '';
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`(^|[^\\p{L}\\p{N}_.])${esc}\\s*:?=\\s*make\\(\\[\\][^,]+,[^,]+,`, 'u').test(body)) return 'preallocated';
  return undefined;
}

/**
 * No identifier in the literal names a variable declared in the functions around it (parameters, receiver,
 * `:=`, `var`, range variables) outside the literal: what it uses is its own or the package's.
 */
function capturesNothing(lit: Node, decl: Node): boolean {
  const outer = new Set<string>();
  const declared = (n: Node) => {
    if (n.type === 'parameter_declaration' || n.type === 'variadic_parameter_declaration') for (const x of n.childrenForFieldName('name')) outer.add(x.text);
    else if (n.type === 'short_var_declaration' || n.type === 'range_clause') for (const x of n.childForFieldName('left')?.namedChildren ?? []) outer.add(x.text);
    else if (n.type === 'var_spec' || n.type === 'const_spec') for (const x of n.childrenForFieldName('name')) outer.add(x.text);
  };
  for (const n of decl.descendantsOfType(['parameter_declaration', 'variadic_parameter_declaration', 'short_var_declaration', 'range_clause', 'var_spec', 'const_spec'])) {
    if (n.startIndex >= lit.startIndex && n.endIndex <= lit.endIndex) continue;
    // Only a declaration of a function around the literal is in its scope (not another literal's parameter).
    let fn = n.parent;
    while (fn && fn.type !== 'func_literal' && fn.type !== 'function_declaration' && fn.type !== 'method_declaration') fn = fn.parent;
    if (fn && fn.startIndex <= lit.startIndex && lit.endIndex <= fn.endIndex) declared(n);
  }
  for (const id of lit.descendantsOfType('identifier')) if (outer.has(id.text)) return false;
  return true;
}

function paramNames(list: Node | null | undefined): string[] {
  if (!list) return [];
  const out: string[] = [];
  for (const p of list.namedChildren) {
    for (const n of p.childrenForFieldName('name')) out.push(n.text);
  }
  return out;
}
