// Finds the contract directives of one Go file and what each applies to.
//
// `//escape:noheap [allow=cause,...] [dynamic=fail|warn|ignore] [panics=include|exclude]`:
//   - in a function's doc comment (the comment lines right above `func`, or at the end of the `func` line):
//     nothing in the function may allocate on the heap, including what is inlined into it;
//   - on a line of its own inside a function: the statement below (all its lines) must not allocate;
//   - at the end of a line: that statement; on a declaration (`x := ...`, `var x ...`) it names the variable.
// `//gcassert:noescape|inline|bce[,...]` are attached as gcassert attaches them (go/ast's comment map): a
// comment above a node, or at the end of the line where a statement ends, applies to the line the node
// starts on; `inline` in a function's doc comment applies to every call of that function in the package.
import type { Range } from '../model';
import type { Directive, DirectiveProblem } from '../model/contracts';
import { nextCode, prevCode, tokenize, type GoTokens, type Token } from './goTokens';

export const NOHEAP = '//escape:noheap';
const GCASSERT = /\/\/ ?gcassert:([\w,]+)/;
const GCASSERT_NAMES = { noescape: 'gcassert-noescape', inline: 'gcassert-inline', bce: 'gcassert-bce' } as const;

export interface FileDirectives {
  directives: Directive[];
  problems: DirectiveProblem[];
  tokens: GoTokens;
}

/** Cheap test before tokenizing: does the text mention any directive at all? */
export function mentionsDirective(text: string): boolean {
  return text.includes('escape:noheap') || text.includes('gcassert:');
}

/** `isCause` validates allow= ids against the cause table (passed in, so this file stays table-agnostic). */
export function fileDirectives(file: string, text: string, isCause: (id: string) => boolean): FileDirectives {
  const g = tokenize(text);
  const directives: Directive[] = [];
  const problems: DirectiveProblem[] = [];
  const range = (start: number, end: number): Range => ({ start: pos(g, start), end: pos(g, end) });
  g.tokens.forEach((t, k) => {
    if (t.kind !== 'comment' || !t.text.startsWith('//')) return;
    if (t.text.startsWith(NOHEAP) && (t.text.length === NOHEAP.length || /\s/.test(t.text[NOHEAP.length]))) {
      noheap(g, k, file, range, isCause, directives, problems);
      return;
    }
    const m = GCASSERT.exec(t.text);
    if (m) gcassert(g, k, m, file, range, directives, problems);
  });
  return { directives, problems, tokens: g };
}

type RangeOf = (start: number, end: number) => Range;

/**
 * `dynamic=`: what an interface-method or func-value call does to the contract (default: nothing);
 * `panics=include`: allocations on paths that end in a panic break it too (default: excluded).
 */
const OPTIONS: Record<string, readonly string[]> = { dynamic: ['fail', 'warn', 'ignore'], panics: ['include', 'exclude'] };

function noheap(
  g: GoTokens, k: number, file: string, range: RangeOf, isCause: (id: string) => boolean,
  out: Directive[], problems: DirectiveProblem[],
): void {
  const t = g.tokens[k];
  const text = t.text.trimEnd();
  const where = range(t.start, t.start + text.length);
  const allow: string[] = [];
  const options: Record<string, string> = {};
  // Arguments are key=value words; other words are a free note (`//escape:noheap hot path`).
  let at = t.start + NOHEAP.length;
  for (const word of text.slice(NOHEAP.length).split(/(\s+)/)) {
    const wStart = at;
    at += word.length;
    const kv = /^([\w-]+)=(.*)$/.exec(word);
    if (!kv) continue;
    const choice = OPTIONS[kv[1]];
    if (choice) {
      if (choice.includes(kv[2])) options[kv[1]] = kv[2];
      else problems.push({ rule: 'contract-directive', file, range: range(wStart, at), message: `${NOHEAP}: ${kv[1]}= takes ${choice.join(', ')}` });
      continue;
    }
    if (kv[1] !== 'allow') {
      problems.push({ rule: 'contract-directive', file, range: range(wStart, at), message: `${NOHEAP}: unknown argument "${kv[1]}" (allow=<cause ids>, dynamic=${OPTIONS.dynamic.join('|')}, panics=${OPTIONS.panics.join('|')})` });
      continue;
    }
    let off = wStart + kv[1].length + 1;
    for (const id of kv[2].split(',')) {
      if (id && !isCause(id)) {
        problems.push({ rule: 'contract-directive', file, range: range(off, off + id.length), message: `${NOHEAP}: unknown cause "${id}" in allow= (see the cause table)` });
      } else if (id) allow.push(id);
      off += id.length + 1;
    }
  }
  const base = { rule: 'noheap' as const, file, range: where, text, ...(allow.length ? { allow } : {}), ...options };
  const target = attachment(g, k);
  if (!target) {
    problems.push({ rule: 'contract-directive', file, range: where, message: `${NOHEAP} names nothing: put it in a function's doc comment, above a statement or at the end of its line` });
    return;
  }
  const fn = g.funcs.find((f) => !f.literal && f.line === target.line && f.start === firstCodeOnLine(g, target.line)?.start);
  if (fn && (target.own || target.line === t.line)) {
    out.push({ ...base, scope: 'function', target: fn.name, span: { start: fn.start, end: fn.end }, lines: { first: fn.line, last: pos(g, fn.end).line } });
    return;
  }
  if (!g.funcs.some((f) => f.start <= g.lineStarts[target.line] && g.lineStarts[target.line] < f.end)) {
    problems.push({ rule: 'contract-directive', file, range: where, message: `${NOHEAP} is misplaced: package-level declarations never live on the stack; use it on a function, a statement or a local variable` });
    return;
  }
  const last = statementEnd(g, target.line);
  const variable = declaredVariable(g, target.line);
  out.push({ ...base, scope: variable ? 'variable' : 'line', lines: { first: target.line, last }, ...(variable ? { target: variable } : {}) });
}

function gcassert(
  g: GoTokens, k: number, m: RegExpExecArray, file: string, range: RangeOf,
  out: Directive[], problems: DirectiveProblem[],
): void {
  const t = g.tokens[k];
  const mStart = t.start + m.index;
  const where = range(mStart, mStart + m[0].length);
  const target = attachment(g, k, true);
  if (!target) {
    problems.push({ rule: 'contract-directive', file, range: where, message: `//gcassert:${m[1]} names nothing` });
    return;
  }
  const fn = g.funcs.find((f) => !f.literal && f.start === firstCodeOnLine(g, target.line)?.start);
  let off = mStart + m[0].length - m[1].length;
  for (const name of m[1].split(',')) {
    const rule = GCASSERT_NAMES[name as keyof typeof GCASSERT_NAMES];
    const nameRange = range(off, off + name.length);
    off += name.length + 1;
    if (!rule) {
      // gcassert's own words for it.
      problems.push({ rule: 'contract-directive', file, range: nameRange, message: `gcassert: unknown directive "${name}"`, appliesTo: target.line });
      continue;
    }
    const d: Directive = { rule, file, range: where, text: m[0], scope: 'line', lines: { first: target.line, last: target.line } };
    if (fn && name === 'inline' && target.own) {
      out.push({ ...d, scope: 'callsites', target: fn.name });
      continue;
    }
    out.push(d);
  }
}

/**
 * The line a comment's directive applies to, and whether the comment stands on lines of its own.
 * Own-line comments (a group of consecutive comment lines) apply to the next code below them, which must
 * follow without a blank line for escape directives; with `commentMap`, go/ast's rules decide instead.
 * A comment at the end of a line applies to the statement ending there (its first line).
 */
function attachment(g: GoTokens, k: number, commentMap = false): { line: number; own: boolean } | undefined {
  const t = g.tokens[k];
  const before = prevToken(g, k);
  if (before && before.line === t.line) {
    const p = prevCode(g, k);
    if (p === -1) return undefined;
    let line = g.tokens[p].line;
    if (line !== t.line) return { line: t.line, own: false };
    const partner = g.pairs.get(p);
    if (partner !== undefined && partner < p) line = g.tokens[partner].line;
    return { line, own: false };
  }
  // The comment group this comment belongs to: consecutive own-line comments.
  let last = k;
  while (last + 1 < g.tokens.length && g.tokens[last + 1].kind === 'comment' && g.tokens[last + 1].line === g.tokens[last].line + 1) last++;
  let first = k;
  while (first > 0 && g.tokens[first - 1].kind === 'comment' && g.tokens[first - 1].line === g.tokens[first].line - 1
    && !(prevToken(g, first - 1)?.line === g.tokens[first - 1].line)) first--;
  const groupEnd = g.tokens[last].line;
  const next = nextCode(g, last);
  const nextTok = next === -1 ? undefined : g.tokens[next];
  if (commentMap) {
    // go/ast: a group right after a node, followed by a blank line, belongs to that node.
    const p = prevCode(g, first);
    const prev = p === -1 ? undefined : g.tokens[p];
    if (prev && prev.line + 1 === g.tokens[first].line && (!nextTok || nextTok.line > groupEnd + 1)) {
      const partner = g.pairs.get(p);
      return { line: partner !== undefined && partner < p ? g.tokens[partner].line : prev.line, own: false };
    }
    if (!nextTok || nextTok.text === '}') return undefined;
    return { line: nextTok.line, own: true };
  }
  if (!nextTok || nextTok.line !== groupEnd + 1 || nextTok.text === '}' || nextTok.text === ')') return undefined;
  return { line: nextTok.line, own: true };
}

function prevToken(g: GoTokens, k: number): Token | undefined {
  return k > 0 ? g.tokens[k - 1] : undefined;
}

function firstCodeOnLine(g: GoTokens, line: number): Token | undefined {
  return g.tokens.find((t) => t.line === line && t.kind !== 'comment');
}

/** The last line of the statement starting on `line`: brackets opened on its lines extend it. */
export function statementEnd(g: GoTokens, line: number): number {
  let last = line;
  for (let k = 0; k < g.tokens.length; k++) {
    const t = g.tokens[k];
    if (t.line < line || t.kind === 'comment') continue;
    if (t.line > last) break;
    const partner = g.pairs.get(k);
    if (partner !== undefined && partner > k) last = Math.max(last, g.tokens[partner].line);
  }
  return last;
}

/** `x` in `x := ...`, `x, err := ...` (the first name) or `var x ...` starting on `line`. */
function declaredVariable(g: GoTokens, line: number): string | undefined {
  const start = g.lineStarts[line];
  const end = line + 1 < g.lineStarts.length ? g.lineStarts[line + 1] : g.text.length;
  const code = g.text.slice(start, end);
  const m = /^\s*var\s+([\p{L}_][\p{L}\p{N}_]*)/u.exec(code) ?? /^\s*([\p{L}_][\p{L}\p{N}_]*)(?:\s*,\s*[\p{L}_][\p{L}\p{N}_]*)*\s*:=/u.exec(code);
  return m?.[1];
}

export function pos(g: GoTokens, offset: number): { line: number; character: number } {
  let lo = 0, hi = g.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo, character: offset - g.lineStarts[lo] };
}

export function offsetOf(g: GoTokens, p: { line: number; character: number }): number {
  return (g.lineStarts[p.line] ?? g.text.length) + p.character;
}
