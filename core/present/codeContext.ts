// What presentation asks the source: the calls around a finding (is it an argument of panic, of a logger,
// of fmt.Printf?), whether it is in a return, at package level, in a generated file, a receiver. Answered
// from the parsed sources the analysis already holds; without a source every answer is "no".
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import type { GoSource } from '../locate/goSource';
import type { Position, Range } from '../model';

export interface CallAround {
  /** The callee as written: `fmt.Printf`, `panic`, `l.log.Infof`, `New`. */
  callee: string;
  calleeRange: Range;
  range: Range;
  /** The finding is the call itself (the call allocates), not inside its arguments. */
  isCall: boolean;
}

export interface CodeContext {
  /** Calls whose argument lists hold the range, or that are the range, innermost first (at most 8). */
  callsAround(file: string, range: Range): CallAround[];
  /** The call whose `(` or callee is at a 1-based line and byte column (as the compiler prints it). */
  callAt(file: string, line: number, col: number | undefined): CallAround | undefined;
  inReturn(file: string, range: Range): boolean;
  /** Not inside any function declaration: a package-level initialiser. */
  atPackageLevel(file: string, range: Range): boolean;
  isGenerated(file: string): boolean;
  lineText(file: string, line: number): string | undefined;
  /** The range names a method's receiver. */
  isReceiver(file: string, range: Range): boolean;
  /** The declared type of the parameter the range names, as written (`*testing.T`). */
  parameterType(file: string, range: Range): string | undefined;
}

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;
const FUNCS = new Set(['function_declaration', 'method_declaration', 'func_literal']);

export const NO_CONTEXT: CodeContext = {
  callsAround: () => [], callAt: () => undefined, inReturn: () => false, atPackageLevel: () => false,
  isGenerated: () => false, lineText: () => undefined, isReceiver: () => false, parameterType: () => undefined,
};

/** A context over parsed sources (the analysis's SourceCache: `(p) => cache.peek(p) ?? cache.get(p)`). */
export function sourceContext(sourceOf: (file: string) => GoSource | undefined): CodeContext {
  const src = (file: string) => (file && file.endsWith('.go') ? sourceOf(file) : undefined);
  const offset = (s: GoSource, p: Position) => s.lines.lineStart(p.line) + p.character;
  const toCall = (s: GoSource, call: Node, isCall: boolean): CallAround | undefined => {
    const fn = call.childForFieldName('function');
    if (!fn) return undefined;
    return { callee: fn.text.replace(/\s+/g, ''), calleeRange: s.rangeOf(fn.startIndex, fn.endIndex), range: s.rangeOf(call.startIndex, call.endIndex), isCall };
  };
  return {
    callsAround(file, range) {
      const s = src(file);
      if (!s) return [];
      return s.memoize(`calls:${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}`, () => {
        const start = offset(s, range.start);
        const end = Math.max(start, offset(s, range.end));
        const out: CallAround[] = [];
        for (let n: Node | null = s.nodeAt(start); n && out.length < 8; n = n.parent) {
          if (FUNCS.has(n.type)) break; // a func literal's body is its own code, not the call's argument
          if (n.type !== 'call_expression' || n.endIndex < end) continue;
          const args = n.childForFieldName('arguments');
          const isCall = n.startIndex === start && n.endIndex === end;
          if (!isCall && !(args && args.startIndex <= start && end <= args.endIndex)) continue;
          const c = toCall(s, n, isCall);
          if (c) out.push(c);
        }
        return out;
      });
    },
    callAt(file, line, col) {
      const s = src(file);
      if (!s || col === undefined || line > s.lines.lineCount) return undefined;
      const off = s.lines.offsetAt(line, col);
      for (let n: Node | null = s.nodeAt(off), i = 0; n && i < 4; n = n.parent, i++) {
        if (n.type === 'call_expression') return toCall(s, n, true);
      }
      return undefined;
    },
    inReturn(file, range) {
      const s = src(file);
      if (!s) return false;
      for (let n: Node | null = s.nodeAt(offset(s, range.start)); n; n = n.parent) {
        if (n.type === 'return_statement') return true;
        if (FUNCS.has(n.type)) return false;
      }
      return false;
    },
    atPackageLevel(file, range) {
      const s = src(file);
      if (!s) return false;
      for (let n: Node | null = s.nodeAt(offset(s, range.start)); n; n = n.parent) {
        if (FUNCS.has(n.type)) return false;
        if (n.type === 'var_declaration' && n.parent?.type === 'source_file') return true;
      }
      return false;
    },
    isGenerated(file) {
      const s = src(file);
      return !!s && s.memoize('generated', () => GENERATED.test(s.text));
    },
    lineText(file, line) {
      const s = src(file);
      return s && line < s.lines.lineCount ? s.lines.lineText(line) : undefined;
    },
    isReceiver(file, range) {
      const s = src(file);
      if (!s) return false;
      for (let n: Node | null = s.nodeAt(offset(s, range.start)), i = 0; n && i < 4; n = n.parent, i++) {
        if (n.type === 'parameter_list') return n.parent?.type === 'method_declaration' && n.parent.childForFieldName('receiver')?.id === n.id;
      }
      return false;
    },
    parameterType(file, range) {
      const s = src(file);
      if (!s) return undefined;
      for (let n: Node | null = s.nodeAt(offset(s, range.start)), i = 0; n && i < 3; n = n.parent, i++) {
        if (n.type === 'parameter_declaration' || n.type === 'variadic_parameter_declaration') return n.childForFieldName('type')?.text;
      }
      return undefined;
    },
  };
}
