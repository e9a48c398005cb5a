// Turns the go command's stderr into records: summary lines with their -m=2 explanation blocks attached,
// duplicates merged, compile errors kept apart. Pure: no file system, no process.
import type { BuildError, CompilerPos, RawExplanation, RawRecord } from '../model';
import { HEAP_KINDS } from '../model';
import { hasLineTerminator, messageStart, parsePos, positionAt, posKey } from './lines';
import { matchTemplate } from './templates';
import { EXPLANATION, isGoCommandLine, isProgressLine, LogInspector, type LogVerdict } from './inspectLog';
import { flatCopy, Interner } from './intern';

export interface ParsedOutput {
  records: RawRecord[];
  errors: BuildError[];
  /** `# pkg` headers seen, in order. */
  packages: string[];
  /** Positioned lines that matched no template (kept as `other` records when the build succeeded). */
  unknown: number;
  /** With `inspect`: what inspectLog says of the same text (read in the same pass). */
  verdict?: LogVerdict;
}

export interface ParseOptions {
  /** The go command's exit code: when non-zero, lines that match no template are compile errors. */
  exitCode?: number;
  /**
   * Keep only heap escapes and leaks (and `inlining call` lines, which say where inlined code came from):
   * `can inline`, `does not escape` and notes are most lines of a big output and are not shown by default.
   */
  heapOnly?: boolean;
  /** Also inspect the text as inspectLog does (in the same pass, each line split once): `verdict`. */
  inspect?: boolean;
  /**
   * For a build parsed as it runs, before its exit code is known (`exitCode` 0): keep the lines that are
   * not escape analysis (`keptText`), so that if it fails they give the errors the whole output would,
   * while the megabytes of escape analysis are never kept as text.
   */
  keepForFailure?: boolean;
}

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
 * FROM.exec(t) as [where, why, at], without the regexp's backtracking (a -m=2 output is 40% `from`
 * lines): the greedy `(.*)` makes the last ` (` after which `[^()]*\) at .+` follows the split point.
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

export function parseOutput(output: string, options: ParseOptions = {}): ParsedOutput {
  const p = new OutputParser(options);
  p.write(output);
  return p.end();
}

/**
 * The parser as a stream: `write` chunks of the go command's output as they arrive (lines may be split
 * across chunks), `end` once. Memory grows with the records, not with the output: a line is dropped as
 * soon as it is read. Joining by position waits for `end`, since the compiler's output is not sorted.
 */
export class OutputParser {
  private readonly failed: boolean;
  private readonly heapOnly: boolean;
  private readonly records: RawRecord[] = [];
  private readonly errors: BuildError[] = [];
  private readonly packages: string[] = [];
  // What was read at each position: by path (interned), then by line and column in one small integer
  // (string keys, built and hashed for every summary and block header, cost more than the rest of it).
  private readonly places = new Map<string, Map<number, Place>>();
  // Positions whose numbers do not fit that integer: by posKey.
  private readonly placesByKey = new Map<string, Place>();
  // Places with summaries that found no block with their words: joined by position at the end.
  private readonly unexplained: Place[] = [];
  private readonly strings = new Interner();
  // Positions of `from … at` steps, one object for each (by path, then line and column in one small
  // integer): a 600k-line output names ~124k positions in ~241k steps, and each object outlives the read.
  private readonly stepPositions = new Map<string, Map<number, CompilerPos>>();
  private readonly inspector: LogInspector | undefined;
  private block: RawExplanation | undefined;
  private pkg: string | undefined;
  private unknown = 0;
  private lastError: BuildError | undefined;
  /** The text being read holds no line terminator but `\n`. */
  private clean = false;
  /** The path of the last positioned line (interned). */
  private lastPath = '';
  private rest = '';
  /** With keepForFailure: the lines kept, and the last escape line dropped since a line that sets or ends an error. */
  private readonly kept: string[] | undefined;
  private held: string | undefined;
  /** Called with each `# pkg` header as it is read (progress). */
  onPackage?: (pkg: string) => void;
  /**
   * Called once with each path a summary or block header names (as printed), when it is first read:
   * the file can be read and parsed while the rest of the output is.
   */
  onPath?: (path: string) => void;
  private readonly told = new Set<string>();

  constructor(options: ParseOptions = {}) {
    this.failed = (options.exitCode ?? 0) !== 0;
    this.heapOnly = options.heapOnly === true;
    if (options.inspect) this.inspector = new LogInspector();
    if (options.keepForFailure && !this.failed) this.kept = [];
  }

  /**
   * With keepForFailure: the text a failed build's errors are read from (parsed again with its exit code):
   * every line that is not escape analysis, and before an indented line (a multi-line error's `\thave …`)
   * the escape line that came before it, since that line ends the error the indented line would continue.
   */
  keptText(): string {
    const lines = this.kept ?? [];
    if (!this.rest) return lines.join('\n');
    // The last line, not ended by a `\n` yet, as it is (end() would read it so).
    const last = this.held !== undefined && this.rest.charCodeAt(0) === 9 ? [keptLine(this.held), this.rest] : [this.rest];
    return [...lines, ...last].join('\n');
  }

  /** With keepForFailure: `line` is escape analysis (a failed build's parse gets no error from it). */
  private drop(line: string): void {
    if (this.kept && line.charCodeAt(0) !== 9) this.held = line;
  }

  /**
   * With keepForFailure: `line` is kept. `ends` (default): in a failed build's parse it starts, continues
   * or ends an error, so the escape line held before it no longer matters; headers and go's progress
   * lines (`ends` false) leave the error as it was.
   */
  private keep(line: string, ends = true): void {
    const kept = this.kept;
    if (!kept) return;
    if (this.held !== undefined && line.charCodeAt(0) === 9) kept.push(keptLine(this.held));
    kept.push(keptLine(line));
    if (ends) this.held = undefined;
  }

  write(chunk: string): void {
    let text = this.rest + chunk;
    // Lines of a chunk without `\r`, U+2028 or U+2029 (nearly every chunk) need no check of their own.
    this.clean = text.indexOf('\r') === -1 && text.indexOf('\u2028') === -1 && text.indexOf('\u2029') === -1;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(text.slice(start, end));
      start = nl + 1;
    }
    // A copy: a slice of the chunk would keep the whole chunk alive until the next write.
    this.rest = start === text.length ? '' : flatCopy(text.slice(start));
    text = '';
  }

  end(): ParsedOutput {
    this.clean = false;
    if (this.rest) { this.line(this.rest.replace(/\r$/, '')); this.rest = ''; }
    this.endBlock();
    joinByPosition(this.unexplained);
    const out: ParsedOutput = { records: this.records, errors: this.errors, packages: this.packages, unknown: this.unknown };
    if (this.inspector) out.verdict = this.inspector.verdict();
    return out;
  }

  /**
   * The current block gets no more lines: its arrays are cut to their length (an array grown by push
   * keeps room for 16 more elements; a big output has hundreds of thousands of flows and steps).
   */
  private endBlock(): void {
    const b = this.block;
    if (!b) return;
    this.block = undefined;
    for (const f of b.flows) f.steps = f.steps.slice();
    b.flows = b.flows.slice();
  }

  private addError(e: BuildError): void {
    if (this.pkg !== undefined) e.pkg = this.pkg;
    this.lastError = e;
    this.errors.push(e);
  }

  private internDetail(d: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
    for (const k in d) { const v = d[k]; if (typeof v === 'string') d[k] = this.strings.get(v); }
    return d;
  }

  /** `line` of an explanation, whose message (after its position) starts at `at` with a space. */
  private explanationLine(block: RawExplanation, line: string, at: number): void {
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
      const step = fromLine(t, this.clean);
      if (step) {
        // Compiler-made code (range-over-func state) has no position: `at <unknown line number>`.
        const at = parsePos(step[2], this.clean) ?? { path: '<unknown>', line: 0 };
        // Steps mostly name the file of the line before: compared, not hashed.
        at.path = at.path === this.lastPath ? this.lastPath : this.strings.get(at.path);
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

  /** The interned path of a position, told to onPath the first time. */
  private path(p: string): string {
    if (p === this.lastPath) return this.lastPath;
    const path = this.strings.get(p);
    // Its own set: a flow step may have named the path (interned it) before any line of its file.
    if (this.onPath && !this.told.has(path)) { this.told.add(path); this.onPath(path); }
    this.lastPath = path;
    return path;
  }

  private line(line: string): void {
    const inspector = this.inspector;
    // The inspector sees every line as inspectLog does: blank lines, headers and go-command lines are its
    // own; a positioned line is told to it below with what the parser found it to be.
    let inspect = false;
    if (inspector) {
      inspect = true;
      const c = line.charCodeAt(0);
      // A line that starts with a visible ASCII character is not blank (no trim needed).
      if (line === '' || (!(c > 32 && c < 127) && line.trim() === '')) inspect = false;
      else if (line.startsWith('# ') || isGoCommandLine(line)) { inspector.line(line); inspect = false; }
    }
    if (line === '') return;
    if (line.startsWith('# ')) {
      this.keep(line, false);
      this.pkg = this.strings.get(line.slice(2));
      this.packages.push(this.pkg);
      this.endBlock();
      this.onPackage?.(this.pkg);
      return;
    }
    // An indented line may continue an error in a failed build's parse: kept, whatever else it is.
    if (this.kept && line.charCodeAt(0) === 9) this.keep(line);
    // Continuation of a multi-line compile error (`\thave (...)`, `\twant (...)`).
    if (line.startsWith('\t') && this.lastError) {
      if (inspect) inspector!.line(line);
      this.lastError.message += '\n' + line.trim();
      return;
    }
    const at = messageStart(line, this.clean);
    if (at === -1) {
      if (this.kept && line.charCodeAt(0) !== 9 && !isProgressLine(line)) this.keep(line);
      if (inspect) inspector!.line(line, undefined);
      // go-command errors without a position: `go: ...`, `package x is not in std`, `can't load package`.
      // go's progress lines (`go: downloading m v1.0.0`) come before the real error: never an error.
      if (this.failed && !isProgressLine(line)) this.addError({ message: flatCopy(line) });
      return;
    }
    this.lastError = undefined;

    if (line.charCodeAt(at) === 32) {
      // Explanation lines are escape analysis whatever their path; their position is not needed.
      this.drop(line);
      if (inspect) inspector!.positionedLine(true);
      // Inside an explanation: `  flow: ...`, `    from ...`, `  warning: ...`.
      const block = this.block;
      if (block) this.explanationLine(block, line, at);
      return;
    }
    const pos = positionAt(line);
    pos.path = this.path(pos.path);
    const text = line.slice(at);

    let m: RegExpExecArray | null;
    if (text.charCodeAt(text.length - 1) === 58 /* : */) {
      if (text.includes(' escapes to heap') && (m = ESCAPE_HEADER.exec(text))) {
        if (inspect) inspector!.positionedLine(true, pos.path);
        this.drop(line);
        this.endBlock();
        const subject = this.strings.get(m[1]);
        // Whole literals (in the order the properties had when added one by one): a property added
        // later goes to a separate property array.
        this.block = m[2] ? { kind: 'escape', subject, to: '{heap}', flows: [], function: this.strings.get(m[2]) }
          : { kind: 'escape', subject, to: '{heap}', flows: [] };
        addPending(this.place(pos), this.block);
        return;
      }
      if (text.startsWith('parameter ') && (m = LEAK_HEADER.exec(text))) {
        if (inspect) inspector!.positionedLine(true, pos.path);
        this.drop(line);
        this.endBlock();
        const subject = this.strings.get(m[1]);
        const to = this.strings.get(m[2]);
        this.block = m[3] ? { kind: 'leak', subject, to, derefs: Number(m[4]), flows: [], function: this.strings.get(m[3]) }
          : { kind: 'leak', subject, to, derefs: Number(m[4]), flows: [] };
        addPending(this.place(pos), this.block);
        return;
      }
    }
    this.endBlock();

    const tm = matchTemplate(text);
    if (inspect) inspector!.positionedLine(tm !== undefined || EXPLANATION.test(text), pos.path);
    if (!tm) {
      if (this.failed) { this.addError({ pos, message: flatCopy(text) }); return; }
      if (line.charCodeAt(0) !== 9) this.keep(line);
      this.unknown++;
    } else {
      this.drop(line);
    }
    const kind = tm?.kind ?? 'other';
    if (this.heapOnly && !HEAP_KINDS.has(kind) && kind !== 'inlining-call') return;
    const place = this.place(pos);
    // Interned: records are kept with it, and a piece of the chunk would keep the whole chunk alive.
    const message = this.strings.get(text);
    // The same line read twice (generic instantiations are printed twice) is one record.
    let rec = place.records?.find((r) => r.message === message);
    if (!rec) {
      const subject = tm ? this.strings.get(tm.subject) : '';
      rec = this.pkg !== undefined ? { kind, pos, message, subject, explanations: [], pkg: this.pkg } : { kind, pos, message, subject, explanations: [] };
      if (tm?.detail) rec.detail = this.internDetail(tm.detail);
      if (place.records) place.records.push(rec); else place.records = [rec];
      this.records.push(rec);
    }
    const mine = takePending(place, rec);
    for (const e of mine) addExplanation(rec, e);
    if (rec.explanations.length === 0 && JOINABLE.has(rec.kind)) {
      if (!place.unexplained) { place.unexplained = [rec]; this.unexplained.push(place); }
      else if (!place.unexplained.includes(rec)) place.unexplained.push(rec);
    }
  }

  /** What was read at `pos` (the same for positions with the same posKey). */
  private place(pos: CompilerPos): Place {
    const col = pos.col ?? 0;
    if (pos.line < 2 ** 20 && col < 2 ** 11) {
      let byNumber = this.places.get(pos.path);
      if (!byNumber) this.places.set(pos.path, byNumber = new Map());
      const n = pos.line * 2 ** 11 + col;
      let p = byNumber.get(n);
      if (!p) byNumber.set(n, p = {});
      return p;
    }
    const k = posKey(pos);
    let p = this.placesByKey.get(k);
    if (!p) this.placesByKey.set(k, p = {});
    return p;
  }
}

const JOINABLE = new Set(['escapes', 'moved-to-heap']);

/** What was read at one position. */
interface Place {
  /** Explanation blocks waiting for the summary line printed after them at this position. */
  pending?: RawExplanation[];
  records?: RawRecord[];
  /** Summaries that found no block with their words. */
  unexplained?: RawRecord[];
}

/**
 * The summary and its block do not always print the same words: Go 1.24+ heads the block of an append
 * `append(s, i) escapes to heap in Grow:` and prints the summary `append escapes to heap`; a summary may
 * print a constant folded (`make([]T, 0)`) where its block prints the source (`make([]T, n)`). Blocks
 * left over after matching by words are joined by position: an `append(` block to an `append` summary,
 * otherwise the one unexplained summary at that position takes the escape blocks there.
 */
/**
 * A line as it goes into keptText: a copy (not a piece of its chunk), with the `\r` that write() took
 * off before its `\n` put back when the line still ends with one (read again, the same line comes out).
 */
function keptLine(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line + '\r' : flatCopy(line);
}

function joinByPosition(unexplained: readonly Place[]): void {
  for (const place of unexplained) {
    const recs = place.unexplained!;
    const blocks = place.pending?.filter((b) => b.kind === 'escape');
    if (!blocks?.length) continue;
    const open = recs.filter((r) => r.explanations.length === 0);
    const appends = open.filter((r) => r.subject === 'append');
    for (const r of appends) for (const b of blocks) if (b.subject.startsWith('append(')) addExplanation(r, b);
    const rest = open.filter((r) => r.subject !== 'append' && r.kind === 'escapes');
    const restBlocks = blocks.filter((b) => !b.subject.startsWith('append(') || appends.length === 0);
    if (rest.length === 1) for (const b of restBlocks) addExplanation(rest[0], b);
    else if (rest.length > 1 && rest.length === restBlocks.length) rest.forEach((r, i) => addExplanation(r, restBlocks[i]));
  }
}

function addPending(place: Place, e: RawExplanation): void {
  if (place.pending) place.pending.push(e); else place.pending = [e];
}

/** Removes and returns the blocks at `place` that explain `rec`'s subject. */
function takePending(place: Place, rec: RawRecord): RawExplanation[] {
  const list = place.pending;
  if (!list) return [];
  const mine: RawExplanation[] = [];
  const rest: RawExplanation[] = [];
  for (const e of list) (explains(e, rec) ? mine : rest).push(e);
  place.pending = rest.length ? rest : undefined;
  return mine;
}

function explains(e: RawExplanation, rec: RawRecord): boolean {
  switch (rec.kind) {
    case 'moved-to-heap':
      // A moved parameter gets both `parameter x leaks ...` and `x escapes to heap:` blocks.
      return e.subject === rec.subject;
    case 'escapes':
      return e.kind === 'escape' && e.subject === rec.subject;
    case 'leaking-param':
    case 'leaking-param-content':
      return e.kind === 'leak' && e.subject === rec.subject;
    case 'leaking-param-result':
      // One summary per result the parameter flows to: `leaking param: s to result remain level=0`.
      return e.kind === 'leak' && e.subject === rec.subject && e.to === rec.detail?.result;
    default:
      return false;
  }
}

function addExplanation(rec: RawRecord, e: RawExplanation): void {
  // Duplicated output (generic instantiations printed twice) repeats whole blocks.
  // (A literal: an array grown by push keeps room for 16 more.)
  if (rec.explanations.length === 0) { rec.explanations = [e]; return; }
  // Whole-block comparison only for a block that could be equal (its strings are interned): a record with
  // many explanations (x/tools: thousands) made this quadratic in JSON.stringify.
  let sig: string | undefined;
  const same = (x: RawExplanation): boolean => x.kind === e.kind && x.subject === e.subject && x.to === e.to
    && x.flows.length === e.flows.length && JSON.stringify(x) === (sig ??= JSON.stringify(e));
  if (!rec.explanations.some(same)) rec.explanations.push(e);
}
