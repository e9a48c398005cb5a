// The pure pipeline: compiler output → located, classified findings. Used by the CLI, the language
// server and the quick-fix verifier alike.
import type { AnalysisResult, BuildError, CompilerPos, Finding, FlowStep, RawExplanation, RawRecord, Range } from './model';
import { HEAP_KINDS } from './model';
import { parseOutput, type ParsedOutput } from './parse/parse';
import { classify, primaryExplanation, type SourceFacts } from './classify/classify';
import { cause } from './classify/causes';
import { callTarget, declaredTypeAt, inGoStatement, isConstant, isMethodValue } from './classify/sourceFacts';
import type { GoSource } from './locate/goSource';
import { PathResolver } from './locate/resolvePath';
import { readFromDisk, type ReadFile, type SourceCache } from './locate/sourceCache';
import { suppressionFor } from './suppress';
import type { Platform } from './platform';

export interface AnalyzeOptions {
  /** The directory the go command ran in: relative paths are resolved against it. */
  cwd: string;
  exitCode?: number;
  /** Keep non-escaping, inlining and other informational lines (default: heap escapes and leaks only). */
  all?: boolean;
  sources: SourceCache;
  /** Reads a file's current text: unsaved editor buffers first, then the disk. */
  readFile?: ReadFile;
  exists?: (absPath: string) => boolean;
  /** Locate and classify only findings in these files (the editor's open files); others are skipped. */
  onlyFiles?: ReadonlySet<string>;
  /** Path semantics of the system the compiler ran on (default: this one). */
  platform?: Platform;
}

export function analyzeOutput(output: string, options: AnalyzeOptions): AnalysisResult {
  const parsed = parseOutput(output, { exitCode: options.exitCode });
  return analyzeParsed(parsed, options);
}

export function analyzeParsed(parsed: ParsedOutput, options: AnalyzeOptions): AnalysisResult {
  const read = options.readFile ?? readFromDisk;
  const resolver = new PathResolver(options.cwd, options.exists, options.platform);
  // Each file is read once per analysis: the cache compares its text to decide whether to re-parse.
  const seen = new Map<string, GoSource | undefined>();
  const sourceOf = (p: string): GoSource | undefined => {
    if (!seen.has(p)) seen.set(p, p.endsWith('.go') ? options.sources.get(p, read) : undefined);
    return seen.get(p);
  };
  const errors = parsed.errors.map((e) => locateError(e, resolver, sourceOf));
  // A package that does not build has no escape analysis: its errors are the whole answer.
  if (errors.length > 0) return { findings: [], errors, skipped: 0, exitCode: options.exitCode ?? 0 };

  const findings: Finding[] = [];
  let skipped = 0;
  for (const rec of parsed.records) {
    if (!options.all && !HEAP_KINDS.has(rec.kind)) continue;
    const file = resolver.resolve(rec.pos.path);
    if (!file) { skipped++; continue; }
    if (options.onlyFiles && !options.onlyFiles.has(file)) continue;
    findings.push(toFinding(rec, file, sourceOf(file), resolver, sourceOf));
  }
  findings.sort(compareFindings);
  return { findings, errors, skipped, exitCode: options.exitCode ?? 0 };
}

function toFinding(
  rec: RawRecord, file: string, src: GoSource | undefined,
  resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined,
): Finding {
  const located = src ? src.locate(rec.pos, rec.subject) : { range: lineRange(rec.pos), exact: false };
  const facts = src && factsFor(src, resolver, sourceOf);
  const { cause: causeId, allocates } = classify(rec, facts);
  const block = primaryExplanation(rec);
  const offset = src?.offsetOf(rec.pos);
  const finding: Finding = {
    file,
    range: located.range,
    exact: located.exact,
    kind: rec.kind,
    message: rec.message,
    subject: rec.subject,
    cause: causeId,
    tier: cause(causeId).tier,
    allocates,
    flow: block ? flowSteps(block, resolver, sourceOf) : [],
    otherPaths: Math.max(0, rec.explanations.length - 1),
    pos: rec.pos,
  };
  const fn = (offset !== undefined ? src!.enclosingFunction(offset) : undefined) ?? block?.function;
  if (fn) finding.function = fn;
  if (rec.pkg) finding.pkg = rec.pkg;
  const suppressed = src && suppressionFor(src, rec.pos.line, offset);
  if (suppressed !== undefined) finding.suppressed = suppressed;
  return finding;
}

function factsFor(src: GoSource, resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined): SourceFacts {
  // Steps may point into other files of the package: ask the file they name.
  const at = (pos: CompilerPos): GoSource | undefined => {
    const f = resolver.resolve(pos.path);
    return f === src.path ? src : f ? sourceOf(f) : undefined;
  };
  return {
    isConstant: (pos, subject) => { const s = at(pos); return !!s && isConstant(s, subject); },
    inGoStatement: (pos) => { const s = at(pos); return !!s && inGoStatement(s, s.offsetOf(pos)); },
    callTarget: (pos) => { const s = at(pos); return s ? callTarget(s, s.offsetOf(pos)) : 'unknown'; },
    isMethodValue: (pos, subject) => { const s = at(pos); return !!s && isMethodValue(s, s.offsetOf(pos), subject); },
    declaredTypeAt: (pos, name) => { const s = at(pos); return s ? declaredTypeAt(s, s.offsetOf(pos), name) : undefined; },
  };
}

function flowSteps(block: RawExplanation, resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined): FlowStep[] {
  const out: FlowStep[] = [];
  for (const flow of block.flows) {
    const edge = `${flow.dst} ← ${flow.src}`;
    for (const s of flow.steps) {
      const file = resolver.resolve(s.at.path) ?? '';
      const step: FlowStep = { edge, where: s.where, why: s.why, file, line: s.at.line };
      if (s.at.col !== undefined) step.column = s.at.col;
      const src = file ? sourceOf(file) : undefined;
      step.range = src ? src.pointRange(s.at) : lineRange(s.at);
      out.push(step);
    }
  }
  return out;
}

function locateError(e: BuildError, resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined): BuildError {
  if (!e.pos) return e;
  const file = resolver.resolve(e.pos.path);
  if (!file) return e;
  const src = sourceOf(file);
  return { ...e, file, range: src ? src.locate(e.pos, '').range : lineRange(e.pos) };
}

function lineRange(pos: CompilerPos): Range {
  const line = Math.max(0, pos.line - 1);
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1
    : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
