// What go/types knows about one package, as the goast helper's -types mode answered it
// (core/gohelper/goast/typesfacts.go): rows keyed by file and by the byte offset where the compiler reports
// an expression (a selector at its dot, a call or conversion at its `(`, a composite literal at its `{`,
// `&x` at the `&`, a func literal at `func`, a name at its first byte). Questions are answered from the
// table without a process; only implementations ask the helper again (implementations.ts).

export type SelectorKind = 'field' | 'method-value' | 'method-expr' | 'qualified' | 'method-call';
export type CallKind = 'static' | 'interface' | 'func-value' | 'builtin' | 'conversion';
export type RangeKind = 'slice' | 'array' | 'array-pointer' | 'map' | 'string' | 'chan' | 'func' | 'int' | 'other';

const SELECTOR_KINDS: readonly SelectorKind[] = ['field', 'method-value', 'method-expr', 'qualified', 'method-call'];
const CALL_KINDS: readonly CallKind[] = ['static', 'interface', 'func-value', 'builtin', 'conversion'];
const RANGE_KINDS: readonly RangeKind[] = ['slice', 'array', 'array-pointer', 'map', 'string', 'chan', 'func', 'int', 'other'];

export interface FuncLitFact {
  /** Byte offsets of `func` and of the literal's end. */
  at: number;
  end: number;
  /** The variables of enclosing functions it uses (package-level variables are not captured). */
  free: readonly string[];
}

export interface CallFact {
  at: number;
  kind: CallKind;
  /**
   * static: the callee as go/types names it (`fmt.Errorf`, `(*bytes.Buffer).WriteString`, `func literal`);
   * interface: the method's name; builtin: its name; func-value: the called expression when it is a name
   * or selector, else empty; conversion: empty.
   */
  callee: string;
  /** interface: the interface type; func-value and static: the function's type; conversion: the target type. */
  type: string;
}

export interface ExprFact {
  at: number;
  start: number;
  end: number;
  type: string;
  constant: boolean;
  zeroSize: boolean;
  /** bool, uint8 (byte) or int8, or a type defined from one: boxing it allocates nothing. */
  singleByte: boolean;
  pointer: boolean;
  isInterface: boolean;
  implementsError: boolean;
  /** A name that refers to a variable (parameter, local or package-level). */
  variable: boolean;
  packageVar: boolean;
  nil: boolean;
}

export interface RangeFact {
  /** Byte offset of `for`. */
  at: number;
  /** The ranged expression's byte range. */
  start: number;
  end: number;
  type: string;
  kind: RangeKind;
  /** Is the number of iterations known before the loop (`len(x)`, or the integer ranged over)? */
  lenKnown: boolean;
}

/** The helper's answer to "check" (types.go, factTable). */
export interface WireTable {
  types: string[];
  names: string[];
  files: { path: string; lits: number[][]; sels: [number, number][]; calls: [number, number, number, number][]; exprs: [number, number, number, number, number][]; ranges: [number, number, number, number, number][] }[];
}

interface FileFacts {
  lits: Map<number, FuncLitFact>;
  sels: Map<number, SelectorKind>;
  calls: Map<number, CallFact>;
  exprs: Map<number, ExprFact>;
  ranges: RangeFact[];
  /** Byte offset of each line's start, for compiler positions (line, byte column). */
  lineStarts: number[];
}

export class TypedFacts {
  private readonly byFile = new Map<string, FileFacts>();

  /**
   * @param texts the text of every checked file, as checked (for compiler positions).
   * @param errors the package's type errors: with errors the facts still cover what type-checked.
   */
  constructor(readonly importPath: string, readonly errors: readonly string[], table: WireTable, texts: ReadonlyMap<string, Buffer>) {
    for (const f of table.files) {
      const lits = new Map<number, FuncLitFact>();
      for (const [at, end, ...free] of f.lits) lits.set(at, { at, end, free: free.map((i) => table.names[i]) });
      const sels = new Map<number, SelectorKind>(f.sels.map(([at, k]) => [at, SELECTOR_KINDS[k]]));
      const calls = new Map<number, CallFact>();
      for (const [at, k, name, type] of f.calls) calls.set(at, { at, kind: CALL_KINDS[k], callee: table.names[name], type: table.types[type] });
      const exprs = new Map<number, ExprFact>();
      for (const [at, start, end, type, fl] of f.exprs) exprs.set(at, exprFact(at, start, end, table.types[type], fl));
      const ranges = f.ranges.map(([at, start, end, type, k]): RangeFact => {
        const kind = RANGE_KINDS[k];
        return { at, start, end, type: table.types[type], kind, lenKnown: kind !== 'chan' && kind !== 'func' && kind !== 'other' };
      });
      this.byFile.set(f.path, { lits, sels, calls, exprs, ranges, lineStarts: lineStarts(texts.get(f.path)) });
    }
  }

  /** The checked files (absolute paths). */
  files(): string[] { return [...this.byFile.keys()]; }

  /** Did go/types check this file (so an absent row means "no such expression there")? */
  has(file: string): boolean { return this.byFile.has(file); }

  /** The byte offset of a compiler position (1-based line, 1-based byte column), if the file was checked. */
  offsetOf(file: string, line: number, col: number): number | undefined {
    const starts = this.byFile.get(file)?.lineStarts;
    if (!starts || line < 1 || line > starts.length) return undefined;
    return starts[line - 1] + col - 1;
  }

  funcLitAt(file: string, offset: number): FuncLitFact | undefined { return this.byFile.get(file)?.lits.get(offset); }
  selectorAt(file: string, offset: number): SelectorKind | undefined { return this.byFile.get(file)?.sels.get(offset); }
  callAt(file: string, offset: number): CallFact | undefined { return this.byFile.get(file)?.calls.get(offset); }
  exprAt(file: string, offset: number): ExprFact | undefined { return this.byFile.get(file)?.exprs.get(offset); }
  /** The range loop whose `for` is at offset. */
  rangeAt(file: string, offset: number): RangeFact | undefined { return this.byFile.get(file)?.ranges.find((r) => r.at === offset); }
  ranges(file: string): readonly RangeFact[] { return this.byFile.get(file)?.ranges ?? []; }

  /** Does the func literal at offset capture no variable (so it is a static closure: nothing allocated)? */
  capturesNothing(file: string, offset: number): boolean | undefined {
    const lit = this.funcLitAt(file, offset);
    return lit ? lit.free.length === 0 : undefined;
  }
}

function exprFact(at: number, start: number, end: number, type: string, fl: number): ExprFact {
  const bit = (i: number): boolean => (fl & (1 << i)) !== 0;
  return {
    at, start, end, type,
    constant: bit(0), zeroSize: bit(1), singleByte: bit(2), pointer: bit(3), isInterface: bit(4),
    implementsError: bit(5), variable: bit(6), packageVar: bit(7), nil: bit(8),
  };
}

function lineStarts(text: Buffer | undefined): number[] {
  const starts = [0];
  if (!text) return starts;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}
