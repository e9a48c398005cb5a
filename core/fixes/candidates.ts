// Proposes quick fixes for findings from the source alone. None is offered before core/fixes/verify.ts
// has built the rewritten package and seen the escape gone; suppressions are safe by construction.
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import type { GoSource } from '../locate/goSource';
import type { Finding } from '../model';
import { HEAP_KINDS } from '../model';
import { DIRECTIVE } from '../policy/suppress';
import { targetKey, type FixCandidate } from './model';
import { importName, nodeAt, unusedName, up, writes } from './syntax';
import { preallocate, sprintfConcat } from './rewrites';

const FMT_VERBS = new Set(['%d', '%s', '%v', '%t', '%x']);

export interface FixContext {
  /** The module's `go` line (1.21 → 21), for loop-variable semantics. */
  goMinor?: number;
  /** Identifiers declared anywhere in the package, to pick unused names. */
  packageText: string;
}

export function fixCandidates(src: GoSource, findings: readonly Finding[], ctx: FixContext): FixCandidate[] {
  const out: FixCandidate[] = [];
  const usedNames = new Set<string>();
  const calls = new Set<number>();
  for (const f of findings) {
    if (f.file !== src.path || !HEAP_KINDS.has(f.kind) || f.suppressed !== undefined) continue;
    const c = fmtBoxing(src, f) ?? sprintfConcat(src, f, findings, calls) ?? sentinelError(src, f, ctx, usedNames)
      ?? preallocate(src, f, ctx.goMinor) ?? loopVarCopy(src, f, ctx);
    if (c) out.push(c);
  }
  return out;
}

/** `fmt.Sprint(x)` / `fmt.Sprintf("%d", x)` boxing one value: strconv or the string itself. */
function fmtBoxing(src: GoSource, f: Finding): FixCandidate | undefined {
  // A boxed bool or byte allocates nothing (boxed-constant) but still goes through fmt's reflection.
  if (f.kind !== 'escapes' || (f.cause !== 'interface-conversion' && f.cause !== 'boxed-constant') || !f.exact) return undefined;
  const fmtName = importName(src, 'fmt');
  if (!fmtName) return undefined;
  const arg = nodeAt(src, f);
  const call = up(arg, 'call_expression', 3);
  const fn = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
  if (!call || fn?.type !== 'selector_expression' || fn.childForFieldName('operand')?.text !== fmtName) return undefined;
  const name = fn.childForFieldName('field')?.text;
  let verb: string;
  let value: Node;
  if (name === 'Sprint' && args.length === 1) { verb = '%v'; value = args[0]; }
  else if (name === 'Sprintf' && args.length === 2 && FMT_VERBS.has(args[0].text.slice(1, -1)) && args[0].type === 'interpreted_string_literal') {
    verb = args[0].text.slice(1, -1); value = args[1];
  } else return undefined;
  if (/\.\.\.\s*\)$/.test(call.text)) return undefined; // fmt.Sprint(xs...)
  const off = src.offsetOf(f.pos);
  if (off < value.startIndex || off >= value.endIndex) return undefined;
  return {
    kind: 'fmt-boxing', target: targetKey(f), title: '', edits: [],
    probe: { file: src.path, values: [{ start: value.startIndex, end: value.endIndex, verb }], call: { start: call.startIndex, end: call.endIndex } },
  };
}

/** The strconv rewrite for a value of type `type` printed with `verb`; undefined when none is exact. */
export function strconvFor(type: string, verb: string, expr: string): { text: string; imports: string[] } | undefined {
  const signed = /^int(8|16|32|64)?$/.test(type) || type === 'rune';
  const unsigned = /^uint(8|16|32|64|ptr)?$/.test(type) || type === 'byte';
  const paren = /^[\p{L}\p{N}_.]+$/u.test(expr) ? expr : `(${expr})`;
  const num = (base: number): string | undefined => {
    if (signed) return type === 'int' && base === 10 ? `strconv.Itoa(${expr})` : type === 'int64' ? `strconv.FormatInt(${expr}, ${base})` : `strconv.FormatInt(int64(${paren}), ${base})`;
    if (unsigned) return type === 'uint64' ? `strconv.FormatUint(${expr}, ${base})` : `strconv.FormatUint(uint64(${paren}), ${base})`;
    return undefined;
  };
  let text: string | undefined;
  if (verb === '%d' || verb === '%v') text = num(10);
  if (verb === '%x') text = num(16);
  if (!text && (verb === '%t' || verb === '%v') && type === 'bool') text = `strconv.FormatBool(${expr})`;
  if (!text && (verb === '%s' || verb === '%v') && type === 'string') return { text: expr, imports: [] };
  if (!text && verb === '%q' && type === 'string') text = `strconv.Quote(${expr})`;
  return text ? { text, imports: ['strconv'] } : undefined;
}

/**
 * `errors.New("constant")`, `fmt.Errorf("constant")`, or `fmt.Errorf` whose arguments are all constants or
 * package-level sentinels (`fmt.Errorf("check: %w", ErrNegative)`), in a function → a package-level var.
 * The error is then built once, at init; `errors.Is` and the message are the same.
 */
function sentinelError(src: GoSource, f: Finding, ctx: FixContext, used: Set<string>): FixCandidate | undefined {
  if (f.kind !== 'escapes' || !/^&errors\.errorString\{/.test(f.subject)) return undefined;
  const call = up(nodeAt(src, f), 'call_expression', 3);
  const fn = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
  if (!call || fn?.type !== 'selector_expression' || args.length === 0) return undefined;
  const pkg = fn.childForFieldName('operand')?.text;
  const name = fn.childForFieldName('field')?.text;
  const isErrorsNew = pkg === importName(src, 'errors') && name === 'New' && args.length === 1;
  const isErrorf = pkg === importName(src, 'fmt') && name === 'Errorf';
  const lit = args[0];
  if ((!isErrorsNew && !isErrorf) || (lit.type !== 'interpreted_string_literal' && lit.type !== 'raw_string_literal')) return undefined;
  if (/\.\.\.\s*\)$/.test(call.text)) return undefined;
  const decl = up(call, 'function_declaration', 1000) ?? up(call, 'method_declaration', 1000);
  if (!decl) return undefined; // already at package level
  const formatted = isErrorf && (args.length > 1 || /%/.test(lit.text));
  if (formatted && !args.slice(1).every((a) => fixedValue(src, a, decl, ctx.packageText))) return undefined;
  const varName = unusedName(errName(lit.text.replace(/%[a-z]/g, ' ')), ctx.packageText, used);
  used.add(varName);
  // Insert above the function and its doc comment.
  let start = decl.startIndex;
  for (let p = decl.previousSibling; p && p.type === 'comment' && p.endPosition.row >= lineOf(src, start) - 1; p = p.previousSibling) start = p.startIndex;
  start = src.lines.lineStart(lineOf(src, start));
  return {
    kind: 'sentinel-error', target: targetKey(f),
    title: `Hoist to var ${varName} — one shared error value, ${formatted ? 'built once' : '1 allocation less per call'}`,
    edits: [
      { file: src.path, start: call.startIndex, end: call.endIndex, newText: varName },
      { file: src.path, start, end: start, newText: `var ${varName} = ${formatted ? call.text : `errors.New(${lit.text})`}\n\n` },
    ],
    addImports: isErrorf && !formatted ? ['errors'] : [],
    maybeUnusedImports: isErrorf && !formatted ? ['fmt'] : [],
  };
}

const LITERALS = new Set(['int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal', 'raw_string_literal', 'true', 'false']);

/**
 * Is `arg` the same value at init as at the call: a literal, another package's `Err…`/`EOF` sentinel, or a
 * package-level const or var of this package that nothing assigns after its declaration and the function
 * does not shadow?
 */
function fixedValue(src: GoSource, arg: Node, decl: Node, packageText: string): boolean {
  if (LITERALS.has(arg.type)) return true;
  if (arg.type === 'selector_expression') {
    const pkg = arg.childForFieldName('operand')?.text ?? '';
    const field = arg.childForFieldName('field')?.text ?? '';
    return src.importNames().has(pkg) && /^(Err[A-Z0-9]\w*|EOF)$/.test(field);
  }
  if (arg.type !== 'identifier') return false;
  const n = arg.text;
  // No parameter, result, receiver, local or closure of the function declares that name.
  const params = ['receiver', 'parameters', 'result'].map((f) => decl.childForFieldName(f)?.text ?? '').join(' ');
  const declares = new RegExp(`\\b${n}\\b(\\s*,\\s*\\w+)*\\s*:=|\\b(var|const)\\s+(\\w+\\s*,\\s*)*${n}\\b|func\\s*\\([^)]*\\b${n}\\b`);
  if (new RegExp(`\\b${n}\\b`).test(params) || declares.test(decl.childForFieldName('body')?.text ?? '')) return false;
  const topLevel = new RegExp(`(^|\\n)(var|const)\\s+${n}\\b`).test(packageText)
    || [...packageText.matchAll(/\n(var|const) \(\n([\s\S]*?)\n\)/g)].some((m) => new RegExp(`(^|\\n)\\t${n}\\b`).test(m[2]));
  const assigned = packageText.match(new RegExp(`\\b${n}\\s*([-+*/|&^%]?=[^=]|\\+\\+|--)|&${n}\\b`, 'g'))?.length ?? 0;
  return topLevel && assigned <= 1;
}

function lineOf(src: GoSource, offset: number): number {
  return src.lines.positionAt(offset).line;
}

function errName(literal: string): string {
  let s: string;
  try { s = literal.startsWith('`') ? literal.slice(1, -1) : JSON.parse(literal); } catch { s = ''; }
  const words = s.replace(/[^A-Za-z0-9 ]+/g, ' ').trim().split(/\s+/).filter(Boolean).slice(0, 4);
  const camel = words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
  return /^[A-Za-z]/.test(camel) ? `err${camel}` : 'errConst';
}

/** A loop variable captured by closures under pre-1.22 semantics → a per-iteration copy. */
function loopVarCopy(src: GoSource, f: Finding, ctx: FixContext): FixCandidate | undefined {
  if (f.kind !== 'moved-to-heap' || (f.cause !== 'closure-capture' && f.cause !== 'goroutine')) return undefined;
  if (ctx.goMinor === undefined || ctx.goMinor >= 22) return undefined; // per-iteration variables already
  const ident = nodeAt(src, f);
  if (!ident || ident.text !== f.subject) return undefined;
  const loop = up(ident, 'for_statement', 4);
  if (!loop) return undefined;
  const header = loop.namedChildren.find((c) => c?.type === 'for_clause' || c?.type === 'range_clause');
  if (!header || ident.startIndex < header.startIndex || ident.endIndex > header.endIndex) return undefined;
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  // Never change behaviour silently: if anything in the body writes the variable, a copy would change it.
  if (writes(body, f.subject)) return undefined;
  const first = body.namedChildren.find((c) => !!c && c.type !== 'comment');
  const indent = first ? src.lines.lineText(first.startPosition.row).match(/^\s*/)![0]
    : src.lines.lineText(loop.startPosition.row).match(/^\s*/)![0] + '\t';
  const v = f.subject;
  return {
    kind: 'loop-var-copy', target: targetKey(f),
    title: `Copy ${v} per iteration (${v} := ${v}) — each closure then sees its own ${v}, as in Go 1.22`,
    edits: [{ file: src.path, start: body.startIndex + 1, end: body.startIndex + 1, newText: `\n${indent}${v} := ${v}` }],
  };
}

/** `//escape:ignore` on the finding's line, and in the doc comment of its function. */
export function suppressions(src: GoSource, f: Finding): FixCandidate[] {
  const out: FixCandidate[] = [];
  const line = f.range.start.line;
  const text = src.lines.lineText(line);
  const lineStart = src.lines.lineStart(line);
  const reason = 'TODO: why this allocation is acceptable';
  if (!text.includes('//')) {
    out.push({
      kind: 'suppress-line', target: targetKey(f), title: `Suppress on this line (${DIRECTIVE})`,
      edits: [{ file: src.path, start: lineStart + text.length, end: lineStart + text.length, newText: ` ${DIRECTIVE} ${reason}` }],
    });
  } else {
    const indent = text.match(/^\s*/)![0];
    out.push({
      kind: 'suppress-line', target: targetKey(f), title: `Suppress on this line (${DIRECTIVE} above it)`,
      edits: [{ file: src.path, start: lineStart, end: lineStart, newText: `${indent}${DIRECTIVE} ${reason}\n` }],
    });
  }
  const declLine = src.enclosingDeclarationLine(src.offsetOf(f.pos));
  if (declLine >= 0 && f.function) {
    const at = src.lines.lineStart(declLine);
    out.push({
      kind: 'suppress-function', target: targetKey(f), title: `Suppress all findings in ${f.function} (doc comment)`,
      edits: [{ file: src.path, start: at, end: at, newText: `${DIRECTIVE} ${reason}\n` }],
    });
  }
  return out;
}
