// One Go source file as the locator sees it: the text, its line index and (parsed on first need) its
// syntax tree (go/parser of the user's toolchain, tree-sitter-shaped); the exact range of what a
// compiler message names.
import type { CompilerPos, Range } from '../model';
import { scanIdentifiers, type Identifiers } from './identifiers';
import { LineIndex } from './lineIndex';
import { rangeLoopTarget } from './rangeFunc';
import type { GoParser as Parser } from './goParser';
import type { SyntaxNode as Node, SyntaxTree as Tree } from './syntaxTree';
import { fallbackNode, IDENT_CHAR, keysFor, sameShape, startsWithCompact, widenConcat } from './subjectText';

export interface Located { range: Range; exact: boolean }

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
/** Nodes at which climbing from a point stops: past them the compiler never meant anything. */
const STOP = /(_statement|_declaration|^block$|^source_file$|^expression_list$|_clause$)/;
export class GoSource {
  readonly lines: LineIndex;
  private _tree: Tree | undefined;

  constructor(readonly path: string, readonly text: string, private readonly parser: Parser) {
    this.lines = new LineIndex(text);
  }

  private readonly mentioned = new Map<string, boolean>();

  /** Does the text contain `s` anywhere? Memoised: asked once per finding. */
  mentions(s: string): boolean {
    let m = this.mentioned.get(s);
    if (m === undefined) { m = this.text.includes(s); this.mentioned.set(s, m); }
    return m;
  }

  /** The identifiers the text spells, read once (identifiers.ts). */
  identifiers(): Identifiers {
    return this.memoize('identifiers', () => scanIdentifiers(this.text));
  }

  /** Does the text spell the identifier `name` as a whole word (a declaration of it needs that)? */
  spells(name: string): boolean {
    return this.identifiers().all.has(name);
  }

  /** The syntax tree; parsed synchronously here unless `load()` (batched, asynchronous) ran first. */
  get tree(): Tree {
    this._tree ??= this.parser.parseSync(this.text);
    return this._tree;
  }

  get hasTree(): boolean { return this._tree !== undefined; }

  /** The helper's parse in flight: a second load() while it runs (two preloads naming the file) waits for it. */
  private loading: Promise<Tree> | undefined;

  /** Parses through the long-lived helper (SourceCache.preload batches these). */
  async load(): Promise<Tree> {
    if (this._tree) return this._tree;
    this.loading ??= this.parser.parse(this.text);
    try {
      this._tree ??= await this.loading;
    } finally {
      this.loading = undefined;
    }
    return this._tree;
  }

  /**
   * Parses the trees these sources lack in one synchronous helper run (all from one parser). A failure
   * leaves them without trees: each is then parsed alone when needed, and reports its own error.
   */
  static loadAllSync(sources: readonly GoSource[]): void {
    const todo = sources.filter((s) => !s.hasTree);
    if (todo.length < 2 || todo.some((s) => s.parser !== todo[0].parser)) return;
    let trees: Tree[];
    try { trees = todo[0].parser.parseAllSync(todo.map((s) => s.text)); } catch { return; }
    todo.forEach((s, i) => { s._tree ??= trees[i]; });
  }

  /** Drops the tree (it is plain JS memory; kept for callers that free evicted sources). */
  dispose(): void {
    this._tree = undefined;
  }

  offsetOf(pos: CompilerPos): number {
    return pos.col === undefined ? this.lines.lineStart(pos.line - 1) : this.lines.offsetAt(pos.line, pos.col);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.lines.positionAt(start), end: this.lines.positionAt(end) };
  }

  /** The whole line without its indentation: for positions without a column. */
  lineRange(line: number): Range {
    const start = this.lines.lineStart(line - 1);
    const text = this.lines.lineText(line - 1);
    const lead = text.length - text.trimStart().length;
    return this.rangeOf(start + lead, start + text.trimEnd().length);
  }

  pointRange(pos: CompilerPos): Range {
    // One point object for both ends (never changed once made; the JSON is the same): a big output
    // names a great many distinct step positions, each with its range.
    const at = this.lines.positionAt(this.offsetOf(pos));
    return { start: at, end: at };
  }

  private leafAt(offset: number): Node | null {
    return this.tree.rootNode.descendantForIndex(offset);
  }

  /**
   * The exact span of what a message names at the compiler's point: the identifier for names, the whole
   * expression for `&T{...}`, `make(...)`, `string(b)`, `a + b`, `x.M`, the signature of a func literal.
   */
  locate(pos: CompilerPos, subject: string): Located {
    if (pos.col === undefined || pos.line > this.lines.lineCount) {
      return { range: this.lineRange(Math.min(pos.line, this.lines.lineCount)), exact: false };
    }
    const off = this.offsetOf(pos);
    // A log older than the source can name a column past the end of its line: that line, approximately.
    if (pos.col - 1 > Buffer.byteLength(this.lines.lineText(pos.line - 1), 'utf8')) {
      return { range: this.lineRange(pos.line), exact: false };
    }
    if (IDENT.test(subject) && subject !== 'append') {
      // The compiler points at the start of the name; anything else there is code inlined at a call.
      if (this.text.startsWith(subject, off) && !IDENT_CHAR.test(this.text.charAt(off + subject.length))) {
        return { range: this.rangeOf(off, off + subject.length), exact: true };
      }
    }
    const node = this.nodeFor(off, subject);
    if (!node) return { range: this.rangeOf(off, off), exact: false };
    const start = node.node.startIndex;
    const end = node.end ?? node.node.endIndex;
    // Never start before the compiler's line: a construct that begins on an earlier line is ranged from
    // the part on that line (`WithContext(ctx)` of a multi-line `(&T{…}).WithContext(ctx)`).
    const lineStart = this.lines.lineStart(pos.line - 1);
    if (start < lineStart) return { range: this.onLine(node.node, pos.line, off), exact: false };
    return { range: this.rangeOf(start, end), exact: node.exact };
  }

  /** The part of `n` on line `line` (1-based), starting at the selector's name of a call when it is there. */
  private onLine(n: Node, line: number, off: number): Range {
    const lineStart = this.lines.lineStart(line - 1);
    const text = this.lines.lineText(line - 1);
    const lineEnd = lineStart + text.trimEnd().length;
    let start = lineStart + (text.length - text.trimStart().length);
    const fn = n.type === 'call_expression' ? n.childForFieldName('function') : null;
    const field = fn?.type === 'selector_expression' ? fn.childForFieldName('field') : null;
    if (field && field.startIndex >= lineStart && field.startIndex <= off) start = field.startIndex;
    // A closing `}).M(` on the line: start after the closers.
    while (start < off && /[)}\]]/.test(this.text.charAt(start))) start++;
    if (this.text.charAt(start) === '.') start++;
    const end = Math.max(start, Math.min(n.endIndex, lineEnd));
    return this.rangeOf(start, end);
  }

  /** The syntax node a message at `offset` names, and whether it provably is that expression. */
  nodeFor(offset: number, subject: string): { node: Node; exact: boolean; end?: number } | undefined {
    const leaf = this.leafAt(offset);
    if (!leaf) return undefined;
    if (subject === 'func literal') {
      // A range-over-func loop body is a func literal the compiler made: its `for ... range f` header.
      const lit = ancestor(leaf, (n) => n.type === 'func_literal' || n.type === 'for_statement', 3);
      if (lit) {
        const body = lit.childForFieldName('body');
        const end = body ? trimEnd(this.text, lit.startIndex, body.startIndex) : lit.endIndex;
        return { node: lit, exact: true, end };
      }
    }
    if (subject === '... argument') {
      const call = ancestor(leaf, (n) => n.type === 'call_expression', 3);
      if (call) return { node: call, exact: true };
    }
    // Range-over-func: what happens in the loop body is reported at the `for` keyword.
    const inLoop = rangeLoopTarget(leaf, subject, this.keysOf(subject), (n, key) =>
      n.endIndex - n.startIndex >= key.length && startsWithCompact(this.text, n.startIndex, n.endIndex, key, IDENT_CHAR.test(key.charAt(key.length - 1))));
    if (inLoop) return { node: inLoop, exact: true };
    if (subject === 'append' || subject.startsWith('append(')) {
      // The compiler points at the call's `(`: only an `append` call whose arguments open there is it.
      const call = ancestor(leaf, (n) => n.type === 'call_expression', 3);
      if (call && call.childForFieldName('function')?.text === 'append' && call.childForFieldName('arguments')?.startIndex === offset) {
        return { node: call, exact: true };
      }
      const fb = fallbackNode(leaf);
      return { node: fb, exact: false };
    }
    if (IDENT.test(subject)) {
      // A name that is not at the point: code inlined here (the locate fast path found no such name).
      return { node: fallbackNode(leaf), exact: false };
    }
    // A composite literal whose type the source elides (`{…}` inside `map[K]V{k: {…}}`): its braces.
    if (/\{(\.\.\.)?\}$/.test(subject) && leaf.type === '{' && leaf.parent?.type === 'literal_value' && leaf.parent.parent?.type !== 'composite_literal') {
      return { node: leaf.parent, exact: true };
    }
    const keys = this.keysOf(subject);
    for (const key of keys) {
      // A key that ends in a name must end where the source's name ends: `append` is not `appendArg`.
      const word = IDENT_CHAR.test(key.charAt(key.length - 1));
      for (let n: Node | null = leaf; n && !STOP.test(n.type); n = n.parent) {
        if (n.endIndex - n.startIndex >= key.length && startsWithCompact(this.text, n.startIndex, n.endIndex, key, word)) {
          return { node: widenConcat(n, subject), exact: true };
        }
      }
    }
    // The compiler prints its own rewrite of some expressions (folded constants, `uint32(2)` for `2`,
    // method calls as `(*T).M(x)`): the construct at the point is still exactly it when the shapes agree.
    // Otherwise the printed expression is not in the source here (inlined code, temporaries).
    const fb = fallbackNode(leaf);
    return { node: fb, exact: sameShape(fb, subject) };
  }

  private _decls: { start: number; end: number; row: number; name: string }[] | undefined;

  /** Top-level function and method declarations in source order: found by binary search, not parent walks. */
  private decls(): { start: number; end: number; row: number; name: string }[] {
    if (!this._decls) {
      this._decls = [];
      for (const n of this.tree.rootNode.namedChildren) {
        if (!n || (n.type !== 'function_declaration' && n.type !== 'method_declaration')) continue;
        this._decls.push({ start: n.startIndex, end: n.endIndex, row: n.startPosition.row, name: declName(n) });
      }
    }
    return this._decls;
  }

  private declAt(offset: number): { start: number; end: number; row: number; name: string } | undefined {
    const d = this.decls();
    let lo = 0, hi = d.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (d[mid].end <= offset) lo = mid + 1;
      else if (d[mid].start > offset) hi = mid - 1;
      else return d[mid];
    }
    return undefined;
  }

  /** `F`, `T.M` or `(*T).M` of the top-level declaration around `offset`. */
  enclosingFunction(offset: number): string | undefined {
    return this.declAt(offset)?.name;
  }

  /** 0-based line of the top-level function or method declaration around `offset` (-1 if none). */
  enclosingDeclarationLine(offset: number): number {
    return this.declAt(offset)?.row ?? -1;
  }

  /** The smallest node at `offset` (for questions about the code there). */
  nodeAt(offset: number): Node | null {
    return this.leafAt(offset);
  }

  /** Import names of this file (alias or last path element) → import path. */
  importNames(): ReadonlyMap<string, string> {
    return this.memoize('importNames', () => {
      const out = new Map<string, string>();
      // Imports are top-level declarations: look there, not through every node of the file.
      const specs = this.tree.rootNode.namedChildren.filter((d) => d.type === 'import_declaration').flatMap((d) => d.descendantsOfType('import_spec'));
      for (const spec of specs) {
        const p = spec?.childForFieldName('path')?.text.slice(1, -1);
        if (p) out.set(spec!.childForFieldName('name')?.text ?? p.slice(p.lastIndexOf('/') + 1), p);
      }
      return out;
    });
  }

  private readonly memo = new Map<string, unknown>();
  private readonly keys = new Map<string, readonly string[]>();

  /** keysFor with this file's import names, once per subject (a big output names few subjects, many times). */
  private keysOf(subject: string): readonly string[] {
    let k = this.keys.get(subject);
    if (!k) this.keys.set(subject, k = keysFor(subject, this.importNames()));
    return k;
  }

  /** Per-file memo for derived facts (declared constants, types, imports): computed once per text. */
  memoize<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }
}

function declName(n: Node): string {
  const name = n.childForFieldName('name')?.text ?? '?';
  if (n.type === 'function_declaration') return name;
  const recv = n.childForFieldName('receiver');
  const param = recv?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  // Generic receivers `*List[T]` print as `(*List[...]).M`: drop the type parameters.
  const type = param?.childForFieldName('type')?.text.replace(/\[.*\]$/, '') ?? '';
  if (!type) return name;
  return type.startsWith('*') ? `(${type}).${name}` : `${type}.${name}`;
}

function ancestor(n: Node | null, pred: (n: Node) => boolean, maxUp: number): Node | undefined {
  for (let i = 0; n && i <= maxUp; n = n.parent, i++) if (pred(n)) return n;
  return undefined;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return end;
}
