// A function's receiver and parameter names, read from its declaration in the source at the position the
// compiler's inliner line gives (`print.go:303:6: cannot inline Fprintln`). A small scanner, not a parser:
// it only needs the parenthesised lists after `func`, so it works on any file the compiler accepted.

export interface Param {
  /** Undefined for unnamed parameters (`func(int, string)`). */
  name?: string;
  type: string;
  /** 1-based line and 1-based UTF-8 byte column of the name (of the type when unnamed), as the compiler counts. */
  line: number;
  col: number;
}

export interface Signature {
  receiver?: Param;
  params: Param[];
  variadic: boolean;
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const TYPE_KEYWORDS = new Set(['chan', 'func', 'map', 'struct', 'interface']);

/** The signature of the declaration starting at (or just after the `func` before) `line:col`. */
export function signatureAt(text: string, line: number, col: number): Signature | undefined {
  const lineStart = nthLineStart(text, line);
  if (lineStart < 0) return undefined;
  let i = text.lastIndexOf('func', lineStart + byteColToIndex(text, lineStart, col));
  if (i < lineStart) i = text.indexOf('func', lineStart);
  if (i < 0) return undefined;
  i += 4;
  i = skipSpace(text, i);
  let receiver: Param | undefined;
  if (text[i] === '(') {
    const g = group(text, i);
    if (!g) return undefined;
    receiver = params(text, i + 1, g.end)[0];
    i = skipSpace(text, g.end + 1);
  }
  const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(i, i + 200));
  if (!name) return undefined;
  i = skipSpace(text, i + name[0].length);
  if (text[i] === '[') {
    const g = group(text, i);
    if (!g) return undefined;
    i = skipSpace(text, g.end + 1);
  }
  if (text[i] !== '(') return undefined;
  const g = group(text, i);
  if (!g) return undefined;
  const list = params(text, i + 1, g.end);
  const variadic = list.length > 0 && list[list.length - 1].type.startsWith('...');
  return { receiver, params: list, variadic };
}

/** The parameter receiving argument `index` of a call (receiver first for method expressions). */
export function paramForArgument(sig: Signature, index: number, receiverFirst: boolean): Param | undefined {
  if (receiverFirst) {
    if (index === 0) return sig.receiver;
    index--;
  }
  if (index < sig.params.length) return sig.params[index];
  return sig.variadic ? sig.params[sig.params.length - 1] : undefined;
}

function params(text: string, start: number, end: number): Param[] {
  const parts: { s: string; at: number }[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === '`' || c === '\'') { i = skipQuoted(text, i); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { parts.push({ s: text.slice(from, i), at: from }); from = i + 1; }
  }
  if (text.slice(from, end).trim()) parts.push({ s: text.slice(from, end), at: from });
  const split = parts.map((p) => {
    const lead = p.s.length - p.s.trimStart().length;
    const s = p.s.trim();
    const m = /^([\p{L}_][\p{L}\p{N}_]*)\s+(\S[\s\S]*)$/u.exec(s);
    const named = m && !TYPE_KEYWORDS.has(m[1]) ? { name: m[1], type: m[2] } : undefined;
    return { s, at: p.at + lead, named };
  });
  // Go writes either every parameter named or none: a lone identifier is a name when any other is named.
  const anyNamed = split.some((p) => p.named);
  const out: Param[] = [];
  for (let k = 0; k < split.length; k++) {
    const p = split[k];
    const { line, col } = lineCol(text, p.at);
    if (p.named) { out.push({ name: p.named.name, type: p.named.type, line, col }); continue; }
    if (anyNamed && IDENT.test(p.s)) {
      // `a, b int`: the type is the next named part's.
      const next = split.slice(k + 1).find((q) => q.named);
      out.push({ name: p.s, type: next?.named?.type ?? '', line, col });
      continue;
    }
    out.push({ type: p.s, line, col });
  }
  for (const p of out) if (p.name === '_') delete p.name;
  return out;
}

function group(text: string, open: number): { end: number } | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '`' || c === '\'') { i = skipQuoted(text, i); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { depth--; if (depth === 0) return { end: i }; }
  }
  return undefined;
}

function skipQuoted(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\' && q !== '`') { j++; continue; }
    if (text[j] === q) return j;
  }
  return text.length;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function nthLineStart(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    at = text.indexOf('\n', at);
    if (at < 0) return -1;
    at++;
  }
  return at;
}

function byteColToIndex(text: string, lineStart: number, col: number): number {
  let bytes = 0;
  let i = lineStart;
  while (i < text.length && text[i] !== '\n' && bytes < col - 1) {
    bytes += Buffer.byteLength(String.fromCodePoint(text.codePointAt(i)!));
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  }
  return i - lineStart;
}

function lineCol(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) { line++; start = i + 1; }
  return { line, col: Buffer.byteLength(text.slice(start, index)) + 1 };
}
