// Turns the go command's stderr into records: summary lines with their -m=2 explanation blocks attached,
// duplicates merged, compile errors kept apart. Pure: no file system, no process.
import type { BuildError, RawExplanation, RawRecord } from '../model';
import { HEAP_KINDS } from '../model';
import { messageStart, positionAt } from './lines';
import { matchTemplate } from './templates';
import { EXPLANATION, isGoCommandLine, isProgressLine, LogInspector, type LogVerdict } from './inspectLog';
import { flatCopy, Interner } from './intern';
import { BlockLines, endBlock } from './blockLines';
import { FailureText } from './failureText';
import { Places } from './places';

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
/** The import path `go list` puts before a package error's position. */
const LIST_ERROR_PACKAGE = /^[\w.~/-]+: (?=[^\s:]+\.go:\d+:)/;

export class OutputParser {
  private readonly failed: boolean;
  private readonly heapOnly: boolean;
  private readonly records: RawRecord[] = [];
  private readonly errors: BuildError[] = [];
  private readonly packages: string[] = [];
  private readonly places = new Places();
  private readonly strings = new Interner();
  private readonly blockLines = new BlockLines(this.strings);
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
  /** With keepForFailure: what is kept of the output in case the build fails. */
  private readonly kept: FailureText | undefined;
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
    if (options.keepForFailure && !this.failed) this.kept = new FailureText();
  }

  /** With keepForFailure: the text a failed build's errors are read from (see FailureText). */
  keptText(): string {
    return this.kept ? this.kept.text(this.rest) : this.rest;
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
    this.places.joinByPosition();
    const out: ParsedOutput = { records: this.records, errors: this.errors, packages: this.packages, unknown: this.unknown };
    if (this.inspector) out.verdict = this.inspector.verdict();
    return out;
  }

  /** The current block gets no more lines. */
  private endBlock(): void {
    if (this.block) endBlock(this.block);
    this.block = undefined;
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
      this.kept?.keep(line, false);
      this.pkg = this.strings.get(line.slice(2));
      this.packages.push(this.pkg);
      this.endBlock();
      this.onPackage?.(this.pkg);
      return;
    }
    // `go list` names the package a load error belongs to before its position (`example.com/x: p.go:3:8:
    // …`), where `go build` prints the position alone: the same error either way.
    if (this.failed) line = line.replace(LIST_ERROR_PACKAGE, '');
    // An indented line may continue an error in a failed build's parse: kept, whatever else it is.
    if (line.charCodeAt(0) === 9) this.kept?.keep(line);
    // Continuation of a multi-line compile error (`\thave (...)`, `\twant (...)`).
    if (line.startsWith('\t') && this.lastError) {
      if (inspect) inspector!.line(line);
      this.lastError.message += '\n' + line.trim();
      return;
    }
    const at = messageStart(line, this.clean);
    if (at === -1) {
      if (this.kept && line.charCodeAt(0) !== 9 && !isProgressLine(line)) this.kept.keep(line);
      if (inspect) inspector!.line(line, undefined);
      // go-command errors without a position: `go: ...`, `package x is not in std`, `can't load package`.
      // go's progress lines (`go: downloading m v1.0.0`) come before the real error: never an error.
      if (this.failed && !isProgressLine(line)) this.addError({ message: flatCopy(line) });
      return;
    }
    this.lastError = undefined;

    if (line.charCodeAt(at) === 32) {
      // Explanation lines are escape analysis whatever their path; their position is not needed.
      this.kept?.drop(line);
      if (inspect) inspector!.positionedLine(true);
      // Inside an explanation: `  flow: ...`, `    from ...`, `  warning: ...`.
      if (this.block) this.blockLines.read(this.block, line, at, this.clean);
      return;
    }
    const pos = positionAt(line);
    pos.path = this.path(pos.path);
    const text = line.slice(at);

    const header = text.charCodeAt(text.length - 1) === 58 /* : */ ? this.blockLines.header(text) : undefined;
    if (header) {
      if (inspect) inspector!.positionedLine(true, pos.path);
      this.kept?.drop(line);
      this.endBlock();
      this.block = header;
      this.places.addBlock(this.places.at(pos), header);
      return;
    }
    this.endBlock();

    const tm = matchTemplate(text);
    if (inspect) inspector!.positionedLine(tm !== undefined || EXPLANATION.test(text), pos.path);
    if (!tm) {
      if (this.failed) { this.addError({ pos, message: flatCopy(text) }); return; }
      if (line.charCodeAt(0) !== 9) this.kept?.keep(line);
      this.unknown++;
    } else {
      this.kept?.drop(line);
    }
    const kind = tm?.kind ?? 'other';
    if (this.heapOnly && !HEAP_KINDS.has(kind) && kind !== 'inlining-call') return;
    const place = this.places.at(pos);
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
    this.places.addSummary(place, rec);
  }
}
