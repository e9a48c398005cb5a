// Reads the compiler's printed forms: a call in a `(call parameter)` step (`fmt.Fprintln(os.Stdout, fmt.a...)`,
// `(*pp).printArg(p, arg, 'v')`, `w.Write(p.buf)`) and an edge (`{heap} ← *fmt.a`). Pure text.

export interface PrintedCall {
  /** The callee as printed: `fmt.Fprintln`, `(*pp).printArg`, `w.Write`, `f`. */
  callee: string;
  args: string[];
  /** A static method written as a method expression (`(*T).M(recv, …)`, `T.M(recv, …)`): args[0] is the receiver. */
  methodExpr: boolean;
}

/** Splits `callee(args)`; undefined when the text is not a call. */
export function parseCall(where: string): PrintedCall | undefined {
  const text = where.trim();
  if (!text.endsWith(')')) return undefined;
  // The argument list opens at the top-level `(` whose match is the final `)` (scanning forwards, so
  // brackets inside string literals never count).
  let depth = 0;
  let open = -1;
  let groupStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\'' || c === '`') { i = skipQuoted(text, i); continue; }
    if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) groupStart = c === '(' ? i : -1;
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0 && i === text.length - 1) open = groupStart;
    }
  }
  if (open <= 0) return undefined;
  const callee = text.slice(0, open).trim();
  if (!callee || /[\s=]/.test(callee.replace(/\[[^\]]*\]/g, ''))) return undefined;
  const args = splitTopLevel(text.slice(open + 1, -1));
  return { callee, args, methodExpr: callee.startsWith('(') };
}

function skipQuoted(s: string, start: number): number {
  const q = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\' && q !== '`') { i++; continue; }
    if (s[i] === q) return i;
  }
  // The compiler shortens long string literals to `"first words...` with no closing quote.
  const cut = /\.\.\.(?=[,)])/.exec(s.slice(start));
  return cut ? start + cut.index + 2 : s.length;
}

/** Splits at commas outside brackets and quotes. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === '\'' || c === '`') i = skipQuoted(s, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push(s.slice(start, i).trim()); start = i + 1; }
  }
  const last = s.slice(start).trim();
  if (last || out.length) out.push(last);
  return out;
}

/** `{heap} ← *fmt.a` → dst `{heap}`, src `fmt.a`, derefs 1 (`&x` → -1). */
export function parseEdge(edge: string): { dst: string; src: string; derefs: number } {
  const i = edge.indexOf(' ← ');
  const dst = i < 0 ? edge : edge.slice(0, i);
  let src = i < 0 ? '' : edge.slice(i + 3);
  let derefs = 0;
  while (src.startsWith('*')) { derefs++; src = src.slice(1); }
  if (src.startsWith('&')) { derefs = -1; src = src.slice(1); }
  return { dst, src, derefs };
}

/**
 * Which argument carries the value: the one that is the flowing name (`fmt.a...`), the previous step's
 * expression (`&t`), or names it. Undefined when no argument does.
 */
export function argumentIndex(args: readonly string[], value: string, previousWhere?: string): number | undefined {
  const bare = (a: string): string => a.replace(/\.\.\.$/, '').replace(/^[&*]+/, '');
  const tests: ((a: string) => boolean)[] = [
    (a) => a === value || a === `${value}...`,
    (a) => previousWhere !== undefined && (a === previousWhere || bare(a) === bare(previousWhere)),
    (a) => bare(a) === value,
    (a) => new RegExp(`(^|[^\\p{L}\\p{N}_.])${escapeRe(value)}($|[^\\p{L}\\p{N}_])`, 'u').test(a),
  ];
  for (const t of tests) {
    const i = args.findIndex(t);
    if (i >= 0) return i;
  }
  return args.length === 1 ? 0 : undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A callee as a package qualifier and a function key the callee's own package uses in its output:
 * `fmt.Fprintln` → (`fmt`, `Fprintln`); `(*bytes.Buffer).Write` → (`bytes`, `(*Buffer).Write`);
 * `(*pp).printArg` → (undefined, `(*pp).printArg`); `w.Write` → (`w`, `Write`), which the caller decides
 * is a package or a value.
 */
export function splitCallee(callee: string): { qualifier?: string; key: string; rest: string[] } {
  const generic = callee.replace(/\[.*\]$/, '');
  const m = /^\((\*?)([^()]+)\)\.(.+)$/.exec(generic);
  if (m) {
    const dot = m[2].lastIndexOf('.');
    const qualifier = dot >= 0 ? m[2].slice(0, dot) : undefined;
    const type = dot >= 0 ? m[2].slice(dot + 1) : m[2];
    return { qualifier, key: `(${m[1]}${type}).${m[3]}`, rest: [] };
  }
  const parts = generic.split('.');
  if (parts.length === 1) return { key: parts[0], rest: [] };
  return { qualifier: parts[0], key: parts.slice(1).join('.'), rest: parts.slice(1) };
}
