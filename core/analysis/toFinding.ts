// One compiler record → one finding: located in its source, classified, its flow steps resolved. The
// steps of one analysis share their strings and ranges (StepParts): big outputs repeat each many times.
import type { BuildError, CompilerPos, Finding, FlowStep, RawExplanation, RawFlow, RawRecord, Range } from '../model';
import { classify, primaryExplanation, type SourceFacts } from '../classify/classify';
import { cause } from '../classify/causes';
import type { GoSource, Located } from '../locate/goSource';
import type { PathResolver } from '../locate/resolvePath';
import { suppressionFor } from '../policy/suppress';

export function toFinding(
  rec: RawRecord, file: string, src: GoSource | undefined,
  resolver: PathResolver, parts: StepParts, facts: SourceFacts,
): Finding {
  const located = src ? locateIn(src, rec.pos, rec.subject) : { range: lineRange(rec.pos), exact: false };
  const c = classify(rec, src && facts);
  const block = primaryExplanation(rec);
  const offset = src?.offsetOf(rec.pos);
  const finding: Finding = {
    file,
    range: located.range,
    exact: located.exact,
    kind: rec.kind,
    message: rec.message,
    subject: rec.subject,
    cause: c.cause,
    tier: cause(c.cause).tier,
    allocates: c.allocates,
    flow: block ? flowSteps(block, resolver, parts) : [],
    otherPaths: Math.max(0, rec.explanations.length - 1),
    pos: rec.pos,
  };
  if (c.allocatesIf) finding.allocatesIf = c.allocatesIf;
  if (c.via) finding.via = c.via;
  const fn = (offset !== undefined ? src!.enclosingFunction(offset) : undefined) ?? block?.function;
  if (fn) finding.function = fn;
  if (rec.pkg) finding.pkg = rec.pkg;
  const suppressed = src && suppressionFor(src, rec.pos.line, offset);
  if (suppressed !== undefined) finding.suppressed = suppressed;
  return finding;
}

/**
 * What the flow steps of one analysis share: a big output repeats each edge and each position in many
 * steps, and one string and one range object each (never changed once made) keep the findings small.
 */
export class StepParts {
  private readonly edges = new Map<string, Map<string, string>>();
  private readonly ranges = new Map<string, Map<number, Range>>();

  constructor(private readonly sourceOf: (p: string) => GoSource | undefined) {}

  edge(flow: RawFlow): string {
    let bySrc = this.edges.get(flow.dst);
    if (!bySrc) this.edges.set(flow.dst, bySrc = new Map());
    let e = bySrc.get(flow.src);
    if (e === undefined) bySrc.set(flow.src, e = `${flow.dst} ← ${flow.src}`);
    return e;
  }

  range(file: string, at: CompilerPos): Range {
    const src = file ? this.sourceOf(file) : undefined;
    if (!src) return lineRange(at);
    const col = at.col === undefined ? 0 : at.col + 1;
    // One small integer per position (line and column as printed) for the positions a compiler prints:
    // a key past 2^31 would be a heap number, slower to hash.
    if (!(at.line >= 0 && at.line < 2 ** 20 && col >= 0 && col < 2 ** 11)) return src.pointRange(at);
    const key = at.line * 2 ** 11 + col;
    let inFile = this.ranges.get(file);
    if (!inFile) this.ranges.set(file, inFile = new Map());
    let r = inFile.get(key);
    if (!r) inFile.set(key, r = src.pointRange(at));
    return r;
  }
}

function flowSteps(block: RawExplanation, resolver: PathResolver, parts: StepParts): FlowStep[] {
  // Sized up front: an array grown by push keeps room for 16 more steps, in every finding.
  let n = 0;
  for (const flow of block.flows) n += flow.steps.length;
  const out: FlowStep[] = new Array(n);
  let i = 0;
  for (const flow of block.flows) {
    const edge = parts.edge(flow);
    for (const s of flow.steps) {
      const file = resolver.resolve(s.at.path) ?? '';
      const range = parts.range(file, s.at);
      // Whole literals, in the order the properties had when added one by one (the JSON's order): a
      // property added later goes to a separate property array.
      out[i++] = s.at.col !== undefined ? { edge, where: s.where, why: s.why, file, line: s.at.line, column: s.at.col, range }
        : { edge, where: s.where, why: s.why, file, line: s.at.line, range };
    }
  }
  return out;
}

export function locateError(e: BuildError, resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined): BuildError {
  if (!e.pos) return e;
  const file = resolver.resolve(e.pos.path);
  if (!file) return e;
  const src = sourceOf(file);
  return { ...e, file, range: src ? locateIn(src, e.pos, '').range : lineRange(e.pos) };
}

/** A position past the end of its line or file (a log older than the sources) gets that line, not exact. */
function locateIn(src: GoSource, pos: CompilerPos, subject: string): Located {
  if (src.lines.holds(pos.line, pos.col)) return src.locate(pos, subject);
  return { range: src.lineRange(Math.max(1, Math.min(pos.line, src.lines.lineCount))), exact: false };
}

function lineRange(pos: CompilerPos): Range {
  const line = Math.max(0, pos.line - 1);
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}
