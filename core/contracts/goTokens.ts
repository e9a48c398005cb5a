// A small Go tokenizer for what contracts ask of the text: where the comments are, which code lines they
// sit on, how brackets pair up, and where each function (declaration or literal) starts and ends.
// Directives live in comments, so this must never mistake `//` inside a string for a comment; it needs
// no full parse (and no parser: the contract check stays independent of the locator's syntax trees).

export interface Token {
  kind: 'ident' | 'punct' | 'string' | 'number' | 'comment';
  text: string;
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
}

export interface FuncSpan {
  /** `F`, `T.M` or `(*T).M` for declarations (as the compiler and the locator name them); `func literal` otherwise. */
  name: string;
  literal: boolean;
  /** Offset of the `func` keyword. */
  start: number;
  /** Offset just after the body's closing brace. */
  end: number;
  /** 0-based line of the `func` keyword. */
  line: number;
  /** The text of the parameter list (receiver included for methods), for context rules. */
  params: string;
  /** Method name without receiver (`ServeHTTP`), or the function name. */
  simpleName: string;
}

export interface GoTokens {
  text: string;
  tokens: Token[];
  /** Offset of each line's start. */
  lineStarts: number[];
  /** Lines (0-based) holding at least one non-comment token. */
  codeLines: Set<number>;
  /** Index of a bracket token → index of its partner. */
  pairs: Map<number, number>;
  funcs: FuncSpan[];
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

export function tokenize(text: string): GoTokens {
  const tokens: Token[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let line = 0;
  const lineOf = (off: number): number => {
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= off) line++;
    return line;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
    const start = i;
    let kind: Token['kind'];
    if (c === '/' && text[i + 1] === '/') {
      const e = text.indexOf('\n', i);
      i = e === -1 ? n : e;
      kind = 'comment';
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e === -1 ? n : e + 2;
      kind = 'comment';
    } else if (c === '"' || c === '\'') {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i = Math.min(n, i + 1);
      kind = 'string';
    } else if (c === '`') {
      const e = text.indexOf('`', i + 1);
      i = e === -1 ? n : e + 1;
      kind = 'string';
    } else if (/[\p{L}_]/u.test(c)) {
      while (i < n && /[\p{L}\p{N}_]/u.test(text[i])) i++;
      kind = 'ident';
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[0-9a-zA-Z_.]/.test(text[i])) i++;
      kind = 'number';
    } else {
      i++;
      kind = 'punct';
    }
    tokens.push({ kind, text: text.slice(start, i), start, end: i, line: lineOf(start) });
  }
  const codeLines = new Set<number>();
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, k) => {
    if (t.kind === 'comment') return;
    codeLines.add(t.line);
    if (t.kind !== 'punct') return;
    if (OPEN.has(t.text)) stack.push(k);
    else if (CLOSE[t.text]) {
      // Unbalanced text (being typed): pair with the nearest opener of the same kind.
      let j = stack.length - 1;
      while (j >= 0 && tokens[stack[j]].text !== CLOSE[t.text]) j--;
      if (j >= 0) { pairs.set(stack[j], k); pairs.set(k, stack[j]); stack.length = j; }
    }
  });
  const result: GoTokens = { text, tokens, lineStarts, codeLines, pairs, funcs: [] };
  result.funcs = findFuncs(result);
  return result;
}

/** The next non-comment token index after `k` (or -1). */
export function nextCode(g: GoTokens, k: number): number {
  for (let j = k + 1; j < g.tokens.length; j++) if (g.tokens[j].kind !== 'comment') return j;
  return -1;
}

export function prevCode(g: GoTokens, k: number): number {
  for (let j = k - 1; j >= 0; j--) if (g.tokens[j].kind !== 'comment') return j;
  return -1;
}

function findFuncs(g: GoTokens): FuncSpan[] {
  const out: FuncSpan[] = [];
  const toks = g.tokens;
  for (let k = 0; k < toks.length; k++) {
    if (toks[k].kind !== 'ident' || toks[k].text !== 'func') continue;
    let j = nextCode(g, k);
    if (j === -1) break;
    let receiver = '';
    let name = '';
    let literal = false;
    if (toks[j].text === '(') {
      // A receiver when an identifier follows the parentheses (method), else a literal's parameters.
      const close = g.pairs.get(j);
      const after = close === undefined ? -1 : nextCode(g, close);
      if (close !== undefined && after !== -1 && toks[after].kind === 'ident' && isTopLevel(g, k)) {
        receiver = g.text.slice(toks[j].end, toks[close].start);
        name = toks[after].text;
        j = nextCode(g, after);
      } else {
        literal = true;
      }
    } else if (toks[j].kind === 'ident') {
      name = toks[j].text;
      j = nextCode(g, j);
    } else {
      continue;
    }
    if (j === -1) break;
    if (toks[j].text === '[' && !literal) { const c = g.pairs.get(j); if (c === undefined) continue; j = nextCode(g, c); }
    if (j === -1 || toks[j].text !== '(') continue;
    const paramsClose = g.pairs.get(j);
    if (paramsClose === undefined) continue;
    const params = (receiver ? receiver + ', ' : '') + g.text.slice(toks[j].end, toks[paramsClose].start);
    const body = bodyOpen(g, paramsClose);
    if (body === -1) continue;
    const bodyClose = g.pairs.get(body);
    if (bodyClose === undefined) continue;
    out.push({
      name: literal ? 'func literal' : qualified(receiver, name), literal, simpleName: name,
      start: toks[k].start, end: toks[bodyClose].end, line: toks[k].line, params,
    });
  }
  return out;
}

function isTopLevel(g: GoTokens, k: number): boolean {
  // A method declaration starts its line at brace depth 0; `func (` elsewhere is a literal.
  const t = g.tokens[k];
  return t.start === g.lineStarts[t.line];
}

/** The body's `{` after a signature's parameter list: skips result types' struct{...}/interface{...}. */
function bodyOpen(g: GoTokens, paramsClose: number): number {
  const toks = g.tokens;
  let prev = paramsClose;
  for (let j = nextCode(g, prev); j !== -1; j = nextCode(g, prev)) {
    const t = toks[j];
    // Go ends a statement at a newline after these: a signature without a body (a func type, assembly).
    if (t.line !== toks[prev].line && endsStatement(toks[prev])) return -1;
    if (t.text === '{') {
      const p = toks[prev];
      if (p.text === 'struct' || p.text === 'interface') { prev = g.pairs.get(j) ?? j; continue; }
      return j;
    }
    if (t.text === '(' || t.text === '[') { prev = g.pairs.get(j) ?? j; continue; }
    if (t.text === '}' || t.text === ')' || t.text === ']' || t.text === ';' || t.text === '=' || t.text === ',') return -1;
    prev = j;
  }
  return -1;
}

function endsStatement(t: Token): boolean {
  return t.kind === 'ident' || t.kind === 'number' || t.kind === 'string' || t.text === ')' || t.text === ']' || t.text === '}';
}

function qualified(receiver: string, name: string): string {
  if (!receiver) return name;
  // `(s *Server)` → `(*Server).M`; `(Server)` → `Server.M`; type parameters dropped as the compiler prints them.
  const type = receiver.trim().split(/\s+/).pop()!.replace(/\[.*\]$/, '');
  return type.startsWith('*') ? `(${type}).${name}` : `${type}.${name}`;
}
