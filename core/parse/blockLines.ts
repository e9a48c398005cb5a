// The lines of a -m=2 explanation block: its header (`x escapes to heap:`, `parameter p leaks to …:`) and
// the indented lines under it (`flow: …`, `from … at …`, `warning: truncated …`), read into a block.
import type { CompilerPos, RawExplanation } from '../model';
import { hasLineTerminator, parsePos } from './lines';
import type { Interner } from './intern';

// `EXPR escapes to heap:` (Go ≤1.23) or `EXPR escapes to heap in F:` (1.24+).
const ESCAPE_HEADER = /^(.+) escapes to heap(?: in (.+))?:$/;
// `parameter P leaks to DST with derefs=N:` or `... leaks to DST for F with derefs=N:`.
// DST may itself contain ` for ` (`{storage for &T{...}}`): it is matched as a whole first.
const LEAK_HEADER = /^parameter (.+?) leaks to (\{storage for .*?\}|.+?)(?: for (.+))? with derefs=(-?\d+):$/;
// `flow: DST = SRC:` (≤1.23) or `flow: DST ← SRC:`.
const FLOW = /^flow: (.+?) (?:←|=) (.*):$/;
export const FROM = /^from (.*) \(([^()]*)\) at (.+)$/;
const TRUNCATED = /^warning: truncated explanation/;

/**
 * FROM.exec(t) as [where, why, at], without the regexp's backtracking (`from` lines are a large share of
 * a -m=2 output): the greedy `(.*)` makes the last ` (` after which `[^()]*\) at .+` follows the split point.
 * Text holding a line terminator (never printed by the compiler) is left to the regexp itself;
 * `clean`: the caller knows it holds none.
 */
export function fromLine(t: string, clean = false): [string, string, string] | undefined {
  if (!clean && hasLineTerminator(t)) {
    const m = FROM.exec(t);
    return m ? [m[1], m[2], m[3]] : undefined;
  }
  if (!t.startsWith('from ')) return undefined;
  for (let p = t.lastIndexOf(' ('); p >= 5; p = t.lastIndexOf(' (', p - 1)) {
    let q = p + 2;
    for (; q < t.length; q++) { const c = t.charCodeAt(q); if (c === 40 || c === 41) break; }
    if (q + 5 < t.length && t.startsWith(') at ', q)) return [t.slice(5, p), t.slice(p + 2, q), t.slice(q + 5)];
  }
  return undefined;
}

/** Reads the indented lines of blocks, with one object for each position their steps name. */
export class BlockLines {
  // Positions of `from … at` steps, one object for each (by path, then line and column in one small
  // integer): a big output names each position in many steps, and each object outlives the read.
  private readonly stepPositions = new Map<string, Map<number, CompilerPos>>();
  /** The path of the last step (interned). */
  private lastPath = '';

  constructor(private readonly strings: Interner) {}

  /** The block a header line's message (`…:`) opens, or undefined when it is no header. */
  header(text: string): RawExplanation | undefined {
    let m: RegExpExecArray | null;
    if (text.includes(' escapes to heap') && (m = ESCAPE_HEADER.exec(text))) {
      const subject = this.strings.get(m[1]);
      // Whole literals (in the order the properties had when added one by one): a property added
      // later goes to a separate property array.
      return m[2] ? { kind: 'escape', subject, to: '{heap}', flows: [], function: this.strings.get(m[2]) }
        : { kind: 'escape', subject, to: '{heap}', flows: [] };
    }
    if (text.startsWith('parameter ') && (m = LEAK_HEADER.exec(text))) {
      const subject = this.strings.get(m[1]);
      const to = this.strings.get(m[2]);
      return m[3] ? { kind: 'leak', subject, to, derefs: Number(m[4]), flows: [], function: this.strings.get(m[3]) }
        : { kind: 'leak', subject, to, derefs: Number(m[4]), flows: [] };
    }
    return undefined;
  }

  /**
   * `line` of an explanation, whose message (after its position) starts at `at` with a space; `clean`:
   * the text it was read from holds no line terminator but `\n`.
   */
  read(block: RawExplanation, line: string, at: number, clean: boolean): void {
    // The message without its indentation (text.trimStart()): spaces skipped here, other white space
    // (never printed by the compiler) left to trimStart.
    let i = at;
    while (line.charCodeAt(i) === 32) i++;
    const c = line.charCodeAt(i);
    const t = c > 32 && c < 127 ? line.slice(i) : line.slice(at).trimStart();
    let m: RegExpExecArray | null;
    // Each line is tried against the one pattern its first word allows.
    if (t.startsWith('flow: ')) {
      if ((m = FLOW.exec(t))) block.flows.push({ dst: this.strings.get(m[1]), src: this.strings.get(m[2]), steps: [] });
    } else if (t.startsWith('from ')) {
      const step = fromLine(t, clean);
      if (step) {
        // Compiler-made code (range-over-func state) has no position: `at <unknown line number>`.
        const at = parsePos(step[2], clean) ?? { path: '<unknown>', line: 0 };
        // Steps mostly name the file of the step before: compared, not hashed.
        at.path = this.lastPath = at.path === this.lastPath ? this.lastPath : this.strings.get(at.path);
        const flow = block.flows[block.flows.length - 1];
        if (flow) flow.steps.push({ where: this.strings.get(step[0]), why: this.strings.get(step[1]), at: this.stepPosition(at) });
      }
    } else if (TRUNCATED.test(t)) {
      block.truncated = true;
    }
  }

  /** The one object for `at`'s position (same path, line and column, or none), `at` the first time. */
  private stepPosition(at: CompilerPos): CompilerPos {
    const col = at.col === undefined ? 0 : at.col + 1;
    if (!(at.line >= 0 && at.line < 2 ** 20 && col >= 0 && col < 2 ** 11)) return at;
    let byNumber = this.stepPositions.get(at.path);
    if (!byNumber) this.stepPositions.set(at.path, byNumber = new Map());
    const n = at.line * 2 ** 11 + col;
    const known = byNumber.get(n);
    if (known !== undefined) return known;
    byNumber.set(n, at);
    return at;
  }
}

/**
 * The current block gets no more lines: its arrays are cut to their length (an array grown by push
 * keeps spare room, and a big output holds a great many flows and steps).
 */
export function endBlock(b: RawExplanation): void {
  for (const f of b.flows) f.steps = f.steps.slice();
  b.flows = b.flows.slice();
}
