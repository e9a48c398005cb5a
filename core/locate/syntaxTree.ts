// A Go syntax tree as the goast helper (go/parser of the user's toolchain) prints it, with the part of
// tree-sitter's Node API the locator, the classifier and the fixes use: tree-sitter-go's node types and
// field names, anonymous tokens (`(`, `&`, operators under the field `operator`), comments as nodes.
// Offsets are UTF-16 code units of the text, as LSP wants; rows are 0-based; columns are UTF-16 too.

export interface Point { row: number; column: number }

/** What the helper sends for one file (see goast/main.go for the wire format). */
export interface WireTree {
  types: string[];
  fields: string[];
  errors: string[];
  /** 5 ints per node in pre-order: type index*2 + named, start, end, parent, field index (-1: none). */
  nodes: Int32Array;
}

const STRIDE = 5;

export class SyntaxTree {
  readonly rootNode: SyntaxNode;
  /** Parse errors go/parser reported ("line:col: message"); empty for valid Go. */
  readonly errors: readonly string[];
  /** For each node: the index after its last descendant (pre-order makes descendants a range). */
  private readonly after: Int32Array;
  /** Previous siblings, built once on first need (-1: none); first child and next sibling follow from `after`. */
  private prevs: Int32Array | undefined;
  private lineStarts: number[] | undefined;

  constructor(readonly text: string, readonly wire: WireTree) {
    this.errors = wire.errors;
    const count = wire.nodes.length / STRIDE;
    this.after = new Int32Array(count);
    for (let i = count - 1; i >= 0; i--) {
      if (this.after[i] === 0) this.after[i] = i + 1;
      const p = wire.nodes[i * STRIDE + 3];
      if (p >= 0 && this.after[i] > this.after[p]) this.after[p] = this.after[i];
    }
    this.rootNode = this.node(0);
  }

  get nodeCount(): number { return this.after.length; }

  node(i: number): SyntaxNode {
    // A new handle each time, as tree-sitter gives (compare with `equals`): kept, the handles of a big
    // tree's visited nodes would live for the whole analysis, and be promoted out of the young generation.
    return new SyntaxNode(this, i);
  }

  typeOf(i: number): string { return this.wire.types[this.wire.nodes[i * STRIDE] >> 1]; }
  typeIdOf(i: number): number { return this.wire.nodes[i * STRIDE] >> 1; }
  namedAt(i: number): boolean { return (this.wire.nodes[i * STRIDE] & 1) === 1; }
  startOf(i: number): number { return this.wire.nodes[i * STRIDE + 1]; }
  endOf(i: number): number { return this.wire.nodes[i * STRIDE + 2]; }
  parentOf(i: number): number { return this.wire.nodes[i * STRIDE + 3]; }
  fieldOf(i: number): string | null {
    const f = this.wire.nodes[i * STRIDE + 4];
    return f < 0 ? null : this.wire.fields[f];
  }
  descendantsEnd(i: number): number { return this.after[i]; }

  // In pre-order a node's descendants are the indices up to `after`: its first child is the next index,
  // and the index after its subtree is its next sibling while that is still inside the parent's. (Two
  // Int32Arrays of a million-node tree fewer than stored links, and nothing to build.)
  firstChildOf(i: number): number { return this.after[i] > i + 1 ? i + 1 : -1; }

  private wide = new Map<number, Int32Array>();

  /**
   * The child of `i` that contains `offset` (start ≤ offset < end), or -1. Nodes with many children (a
   * file's declarations) get an index of their children for binary search: a walk from the root then
   * costs log(children) per level, so locating every finding of a file with thousands of functions stays linear.
   */
  childAt(i: number, offset: number): number {
    let kids = this.wide.get(i);
    if (!kids) {
      let n = 0;
      for (let k = this.firstChildOf(i); k >= 0 && n <= 16; k = this.nextSiblingOf(k)) n++;
      if (n <= 16) {
        for (let k = this.firstChildOf(i); k >= 0; k = this.nextSiblingOf(k)) {
          if (this.endOf(k) <= offset) continue;
          return this.startOf(k) <= offset ? k : -1;
        }
        return -1;
      }
      const list: number[] = [];
      for (let k = this.firstChildOf(i); k >= 0; k = this.nextSiblingOf(k)) list.push(k);
      kids = Int32Array.from(list);
      this.wide.set(i, kids);
    }
    // The first child whose end is past the offset (children are in source order and do not overlap).
    let lo = 0, hi = kids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.endOf(kids[mid]) <= offset) lo = mid + 1; else hi = mid;
    }
    if (lo >= kids.length) return -1;
    return this.startOf(kids[lo]) <= offset ? kids[lo] : -1;
  }
  nextSiblingOf(i: number): number {
    const p = this.parentOf(i);
    const n = this.after[i];
    return p >= 0 && n < this.after[p] ? n : -1;
  }

  prevSiblingOf(i: number): number {
    if (!this.prevs) {
      const prev = new Int32Array(this.after.length).fill(-1);
      for (let k = 1; k < prev.length; k++) {
        const n = this.nextSiblingOf(k);
        if (n >= 0) prev[n] = k;
      }
      this.prevs = prev;
    }
    return this.prevs[i];
  }

  /** Indices of node i's children, in source order. */
  kids(i: number): number[] {
    const out: number[] = [];
    for (let k = this.firstChildOf(i); k >= 0; k = this.nextSiblingOf(k)) out.push(k);
    return out;
  }

  pointAt(offset: number): Point {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    const starts = this.lineStarts;
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { row: lo, column: offset - starts[lo] };
  }
}

export class SyntaxNode {
  constructor(readonly tree: SyntaxTree, readonly id: number) {}

  get type(): string { return this.tree.typeOf(this.id); }
  get isNamed(): boolean { return this.tree.namedAt(this.id); }
  get startIndex(): number { return this.tree.startOf(this.id); }
  get endIndex(): number { return this.tree.endOf(this.id); }
  get startPosition(): Point { return this.tree.pointAt(this.startIndex); }
  get endPosition(): Point { return this.tree.pointAt(this.endIndex); }
  get text(): string { return this.tree.text.slice(this.startIndex, this.endIndex); }

  get parent(): SyntaxNode | null {
    const p = this.tree.parentOf(this.id);
    return p < 0 ? null : this.tree.node(p);
  }

  get childCount(): number { return this.tree.kids(this.id).length; }

  get children(): SyntaxNode[] {
    return this.tree.kids(this.id).map((k) => this.tree.node(k));
  }

  get namedChildren(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let k = this.tree.firstChildOf(this.id); k >= 0; k = this.tree.nextSiblingOf(k)) if (this.tree.namedAt(k)) out.push(this.tree.node(k));
    return out;
  }

  child(i: number): SyntaxNode | null {
    const k = this.tree.kids(this.id)[i];
    return k === undefined ? null : this.tree.node(k);
  }

  childForFieldName(field: string): SyntaxNode | null {
    for (let k = this.tree.firstChildOf(this.id); k >= 0; k = this.tree.nextSiblingOf(k)) if (this.tree.fieldOf(k) === field) return this.tree.node(k);
    return null;
  }

  childrenForFieldName(field: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let k = this.tree.firstChildOf(this.id); k >= 0; k = this.tree.nextSiblingOf(k)) if (this.tree.fieldOf(k) === field) out.push(this.tree.node(k));
    return out;
  }

  /** The field under which this node hangs in its parent (tree-sitter: parent.fieldNameForChild). */
  get fieldName(): string | null { return this.tree.fieldOf(this.id); }

  get previousSibling(): SyntaxNode | null {
    const k = this.tree.prevSiblingOf(this.id);
    return k < 0 ? null : this.tree.node(k);
  }

  get nextSibling(): SyntaxNode | null {
    const k = this.tree.nextSiblingOf(this.id);
    return k < 0 ? null : this.tree.node(k);
  }

  /** Descendants (not this node) of the given type(s), in source order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const names = typeof types === 'string' ? [types] : types;
    // Compare type indices, not strings: the file's type table is small.
    const want = new Set(names.map((t) => this.tree.wire.types.indexOf(t)).filter((i) => i >= 0));
    const out: SyntaxNode[] = [];
    if (want.size === 0) return out;
    const end = this.tree.descendantsEnd(this.id);
    for (let i = this.id + 1; i < end; i++) if (want.has(this.tree.typeIdOf(i))) out.push(this.tree.node(i));
    return out;
  }

  /**
   * The smallest node (named or not) that spans `offset`, as tree-sitter finds it: descend into the
   * first child with start <= offset < end; between children, stay at the parent.
   */
  descendantForIndex(offset: number): SyntaxNode {
    let n = this.id;
    for (;;) {
      const next = this.tree.childAt(n, offset);
      if (next < 0) return this.tree.node(n);
      n = next;
    }
  }

  equals(other: SyntaxNode): boolean { return other.tree === this.tree && other.id === this.id; }

  toString(): string { return `(${this.type} ${this.startIndex}-${this.endIndex})`; }
}

/** Decodes one response payload (after its length prefix) into a tree of `text`. */
export function decodeTree(text: string, payload: Buffer): SyntaxTree {
  const hlen = payload.readUInt32LE(0);
  const header = JSON.parse(payload.toString('utf8', 4, 4 + hlen)) as Omit<WireTree, 'nodes'>;
  const start = 4 + hlen;
  const count = (payload.length - start) / 4;
  // A view of the payload when it is aligned (the helper's responses are read into a buffer of their
  // own), else a copy: the payload's offset in its ArrayBuffer need not be a multiple of 4.
  const src = payload.subarray(start);
  let nodes: Int32Array;
  if (src.byteOffset % 4 === 0) nodes = new Int32Array(src.buffer, src.byteOffset, count);
  else {
    nodes = new Int32Array(count);
    for (let i = 0; i < count; i++) nodes[i] = src.readInt32LE(i * 4);
  }
  return new SyntaxTree(text, { ...header, nodes });
}
