// The pure pipeline: compiler output → located, classified findings. Used by the CLI, the language
// server and the quick-fix verifier alike.
import type { AnalysisResult, BuildError, CompilerPos, Finding, FlowStep, RawExplanation, RawFlow, RawRecord, Range } from '../model';
import { posKey } from '../parse/lines';
import { HEAP_KINDS } from '../model';
import { parseOutput, type ParsedOutput } from '../parse/parse';
import { classify, primaryExplanation, type SourceFacts } from '../classify/classify';
import { cause } from '../classify/causes';
import { callTarget, capturesNothing, declaredTypeAt, inGoStatement, isConstant, isMethodValue, isLocalVariable, mayDeclare, packageVars, isZeroSizeType, importPathOf, returnsVariable } from '../classify/sourceFacts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GoSource, type Located } from '../locate/goSource';
import { PathResolver } from '../locate/resolvePath';
import { readFromDisk, type ReadFile, type SourceCache } from '../locate/sourceCache';
import { suppressionFor } from '../policy/suppress';
import { fullCollection } from './fullCollection';
import { CancelledError } from '../run/runGo';
import { drain, runInSlices, sortSteps, STEP } from '../util/steps';
import { HOST, normalizePath, type Platform } from '../platform';

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
  /**
   * The directories of the analysed packages. Findings in files elsewhere — generic code of GOROOT or of
   * another module instantiated here (`slices/slices.go`, `internal/sync/hashtriemap.go`) — are counted
   * in `foreign` and skipped: they are not the user's code and nothing there can be edited.
   */
  packageDirs?: readonly string[];
  /** Path semantics of the system the compiler ran on (default: this one). */
  platform?: Platform;
  /** GOROOT of the go command, to look up standard-library types (is `context.backgroundCtx` zero-size?). */
  goroot?: string;
  /**
   * With several packages in one output: the directory of each package (by import path). The go command
   * prints each package's paths relative to that package's directory (`./a.go` under `# example.com/m/sub`).
   */
  packageDirOf?: ReadonlyMap<string, string>;
}

export function analyzeOutput(output: string, options: AnalyzeOptions): AnalysisResult {
  const parsed = parseOutput(output, { exitCode: options.exitCode, heapOnly: !options.all });
  return analyzeParsed(parsed, options);
}

export function analyzeParsed(parsed: ParsedOutput, options: AnalyzeOptions): AnalysisResult {
  const a = new Analysis(parsed, options);
  for (const rec of parsed.records) a.add(rec);
  return a.finish();
}

/**
 * analyzeParsed for a caller done with `parsed` (a saved log read once): each record is let go as soon
 * as it is analysed and `parsed.records` is left empty, so the memory of the records is reused for the
 * findings instead of adding to it. For a big log, V8 is also asked for a full collection after the
 * first half of the records and at the end: the records are old-generation objects by then, and without it
 * the dropped ones stayed in memory beside the findings and the report being written (a 600k-line log:
 * 340–390 MB peak → about 280 MB, for 0.3–0.5 s more CPU: fewer collections keep more, e.g. only the
 * last one ~360 MB; V8's own --heap-growing-percent=10 gets ~270 MB for more CPU than these).
 */
export function analyzeParsedOnce(parsed: ParsedOutput, options: AnalyzeOptions, collectFrom = COLLECT_FROM): AnalysisResult {
  const a = new Analysis(parsed, options);
  const records = parsed.records;
  const n = records.length;
  const collect = n >= collectFrom ? fullCollection() : undefined;
  const every = Math.ceil(n / COLLECTIONS);
  for (let i = 0; i < n; i++) {
    a.add(records[i]);
    (records as (RawRecord | undefined)[])[i] = undefined;
    if (collect && i % every === every - 1 && i < n - 1) collect();
  }
  records.length = 0;
  const result = a.finish();
  collect?.();
  return result;
}

/** Records from which a log is big enough for collections to pay (~220k lines, ~30 MB of records). */
const COLLECT_FROM = 40_000;
/**
 * Parts of the analysis with a collection after each but the last (and one at the end): more keep less
 * garbage at a time, and each costs ~80–200 ms on a 600k-line log. Two: with the records' step
 * positions and the steps' points shared and the tree's links derived, a 600k-line log peaks at
 * ~275 MB, as four parts did before those (four now: ~265 MB for two more collections).
 */
const COLLECTIONS = 2;

export interface AsyncAnalyzeOptions extends AnalyzeOptions {
  /** Cancels between slices of work: the promise rejects with CancelledError. */
  signal?: AbortSignal;
  /** Longest stretch of work before yielding to the event loop (default 5 ms), so a server stays responsive. */
  sliceMs?: number;
  /**
   * The caller is done with `parsed`: each record is let go as soon as it is analysed (as
   * analyzeParsedOnce does), so a language server's peak holds the findings or the records, not both.
   */
  release?: boolean;
}

/**
 * The same analysis in slices: it yields to the event loop every `sliceMs`, so a language server answers
 * hovers while a 600k-line output is being analysed, and a newer request's cancellation takes effect
 * within one slice.
 */
export async function analyzeParsedAsync(parsed: ParsedOutput, options: AsyncAnalyzeOptions): Promise<AnalysisResult> {
  const slice = options.sliceMs ?? 5;
  const a = new Analysis(parsed, options);
  let since = performance.now();
  const records = parsed.records;
  for (let i = 0; i < records.length; i++) {
    a.add(records[i]);
    if (options.release) (records as (RawRecord | undefined)[])[i] = undefined;
    if (performance.now() - since > slice) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw new CancelledError();
      since = performance.now();
    }
  }
  if (options.release) records.length = 0;
  // Merging duplicates and the final sort take 100–400 ms on 60,000 findings: in slices too.
  return runInSlices(a.finishSteps(true), slice, options.signal);
}

/** One analysis: records are added one at a time (so it can be sliced), then finished. */
class Analysis {
  private readonly resolver: PathResolver;
  private readonly seen = new Map<string, GoSource | undefined>();
  private readonly sourceOf: (p: string) => GoSource | undefined;
  private readonly errors: BuildError[];
  /** Packages whose build failed: their lines are not analysed (a failed package has no escape analysis). */
  private readonly failed: ReadonlySet<string> | 'all' | undefined;
  private readonly findings: Finding[] = [];
  private skipped = 0;
  private foreign = 0;
  // `inlining call to F` at a position: allocations reported there come from F's inlined body. The
  // compiler prints the call written there first, then the calls inlined into it at the same position.
  private readonly inlinedAt = new Map<string, string[]>();
  private readonly dirs: string[] | undefined;
  private readonly plat: Platform;
  private readonly exists: (p: string) => boolean;
  private readonly facts: SourceFacts;
  private readonly parts: StepParts;

  constructor(parsed: ParsedOutput, private readonly options: AnalyzeOptions) {
    const read = options.readFile ?? readFromDisk;
    this.resolver = new PathResolver(options.cwd, options.exists, options.platform);
    // Each file is read once per analysis: the cache compares its text to decide whether to re-parse.
    this.sourceOf = (p: string): GoSource | undefined => {
      if (!this.seen.has(p)) this.seen.set(p, p.endsWith('.go') ? options.sources.get(p, read) : undefined);
      return this.seen.get(p);
    };
    this.errors = parsed.errors.map((e) => locateError(e, this.resolverFor(e.pkg), this.sourceOf));
    if (this.errors.length > 0) {
      // With several packages in one output, only those that failed lose their findings.
      const byPkg = parsed.packages.length > 1 && parsed.errors.every((e) => e.pkg !== undefined);
      this.failed = byPkg ? new Set(parsed.errors.map((e) => e.pkg!)) : 'all';
    }
    for (const rec of parsed.records) {
      if (rec.kind !== 'inlining-call') continue;
      const k = posKey(rec.pos);
      const list = this.inlinedAt.get(k);
      if (list) list.push(rec.subject); else this.inlinedAt.set(k, [rec.subject]);
    }
    // Paths of the system the compiler ran on, spelled as the resolver spells them (drive letters).
    this.plat = options.platform ?? HOST;
    this.dirs = options.packageDirs?.map((d) => normalizePath(this.plat.path.resolve(d), this.plat));
    this.exists = options.exists ?? fs.existsSync;
    this.facts = factsContext(this.resolver, this.sourceOf, options.goroot);
    this.parts = new StepParts(this.sourceOf);
  }

  add(rec: RawRecord): void {
    const options = this.options;
    if (this.failed === 'all' || (this.failed && rec.pkg !== undefined && this.failed.has(rec.pkg))) return;
    if (!options.all && !HEAP_KINDS.has(rec.kind)) return;
    const resolver = this.resolverFor(rec.pkg);
    const file = resolver.resolve(rec.pos.path);
    if (!file) { this.skipped++; this.count(rec, 'skipped'); return; }
    if (this.dirs && !this.dirs.includes(this.plat.path.dirname(file))) { this.foreign++; this.count(rec, 'foreign'); return; }
    // cgo's generated `_cgo_gotypes.go` lives in the go command's work directory, not in the package.
    if (this.plat.path.basename(file).startsWith('_cgo_') && !this.exists(file)) { this.foreign++; this.count(rec, 'foreign'); return; }
    if (options.onlyFiles && !options.onlyFiles.has(file)) return;
    const facts = resolver === this.resolver ? this.facts : this.factsFor(resolver);
    const f = toFinding(rec, file, this.sourceOf(file), resolver, this.parts, facts);
    const callees = this.inlinedAt.get(posKey(rec.pos));
    if (callees && HEAP_KINDS.has(rec.kind)) f.inlinedFrom = writtenCall(callees, this.sourceOf(file), rec.pos);
    this.findings.push(f);
  }

  private readonly perPackage = new Map<string, { skipped: number; foreign: number }>();
  private readonly resolvers = new Map<string, PathResolver>();
  private readonly factsByResolver = new Map<PathResolver, SourceFacts>();

  /** Paths under a `# pkg` header are relative to that package's directory when the output has several. */
  private resolverFor(pkg: string | undefined): PathResolver {
    const dir = pkg !== undefined ? this.options.packageDirOf?.get(pkg.replace(/ \[.*\]$/, '')) : undefined;
    if (dir === undefined) return this.resolver;
    let r = this.resolvers.get(dir);
    if (!r) this.resolvers.set(dir, r = new PathResolver(dir, this.options.exists, this.options.platform, this.options.cwd));
    return r;
  }

  private factsFor(resolver: PathResolver): SourceFacts {
    let f = this.factsByResolver.get(resolver);
    if (!f) this.factsByResolver.set(resolver, f = factsContext(resolver, this.sourceOf, this.options.goroot));
    return f;
  }

  private count(rec: RawRecord, what: 'skipped' | 'foreign'): void {
    if (rec.pkg === undefined) return;
    let c = this.perPackage.get(rec.pkg);
    if (!c) { c = { skipped: 0, foreign: 0 }; this.perPackage.set(rec.pkg, c); }
    c[what]++;
  }

  finish(): AnalysisResult {
    return drain(this.finishSteps(false));
  }

  /** finish() in steps (core/steps.ts); `sliced`: the sort too (else the native one, faster in one piece). */
  *finishSteps(sliced: boolean): Generator<void, AnalysisResult> {
    const exitCode = this.options.exitCode ?? 0;
    // A package that does not build has no escape analysis: its errors are the whole answer.
    if (this.failed === 'all') return { findings: [], errors: this.errors, skipped: 0, exitCode };
    const merged = yield* mergeDuplicates(yield* dropGenericEchoes(this.findings, this.sourceOf), this.sourceOf);
    if (sliced) yield* sortSteps(merged, compareFindings);
    else merged.sort(compareFindings);
    const result: AnalysisResult = { findings: merged, errors: this.errors, skipped: this.skipped + (this.findings.length - merged.length), exitCode };
    if (this.foreign) result.foreign = this.foreign;
    if (this.perPackage.size > 0) result.byPackage = Object.fromEntries(this.perPackage);
    return result;
  }
}

/**
 * Of the calls inlined at one position, the one the user wrote there: the first whose name the source
 * line says (`sb.WriteString(…)` for strings.(*Builder).WriteString, not abi.NoEscape inlined into it),
 * else the first printed (the outermost).
 */
function writtenCall(callees: readonly string[], src: GoSource | undefined, pos: CompilerPos): string {
  if (!src || pos.line > src.lines.lineCount) return callees[0];
  const line = src.lines.lineText(pos.line - 1);
  const written = callees.find((c) => {
    const name = /([\p{L}_][\p{L}\p{N}_]*)(?:\[[^\]]*\])?$/u.exec(c)?.[1];
    return !!name && new RegExp(`\\b${name}\\s*[([]`, 'u').test(line);
  });
  return written ?? callees[0];
}

/**
 * A generic function of the package reports each allocation twice: at the allocation and again at the
 * function's name (its shape instantiation). One allocation, one finding: the echo at the name goes when
 * the same message is reported elsewhere inside the function.
 */
function* dropGenericEchoes(findings: Finding[], sourceOf: (p: string) => GoSource | undefined): Generator<void, Finding[]> {
  // Candidates first (a position in a declaration's head, before its name): almost never any.
  const echoes: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    if (isEchoCandidate(findings[i], sourceOf)) echoes.push(findings[i]);
  }
  if (echoes.length === 0) return findings;
  const key = (f: Finding): string => `${f.file}\0${f.function ?? ''}\0${f.message}`;
  const wanted = new Set(echoes.map(key));
  const elsewhere = new Set<string>();
  const drop = new Set(echoes);
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    if (!drop.has(f) && wanted.has(key(f))) elsewhere.add(key(f));
  }
  const kept: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    if (!drop.has(f) || !elsewhere.has(key(f))) kept.push(f);
  }
  return kept;
}

/** Is `f` reported in its declaration's head, before the function's name (a generic echo, if reported elsewhere too)? */
function isEchoCandidate(f: Finding, sourceOf: (p: string) => GoSource | undefined): boolean {
  if (!f.function || f.subject === f.function) return false;
  const src = sourceOf(f.file);
  if (!src) return false;
  const off = src.offsetOf(f.pos);
  const row = src.enclosingDeclarationLine(off);
  if (f.pos.line - 1 !== row) return false;
  // `func (s *Stack[T]) Push(v T)` reports `append escapes to heap` at its `(`.
  const name = f.function.replace(/^.*\./, '');
  const nameAt = src.text.indexOf(` ${name}`, src.lines.lineStart(row)) + 1;
  return nameAt > 0 && off <= nameAt;
}

// The order in which a cause wins when two findings name one allocation: the rule order of
// docs/causes.md (the classifier's), the first rule first.
const STRENGTH = ['too-large', 'non-constant-size', 'boxed-constant', 'goroutine', 'escaping-closure', 'method-value',
  'closure-capture', 'append', 'interface-conversion', 'returned-address', 'returned-value', 'address-stored', 'channel-send',
  'map-storage', 'stored-in-heap', 'reflection', 'unsafe-pointer', 'dynamic-call', 'call-argument'];

/**
 * Two findings with one range and one message are one allocation: keep the strongest cause, count the
 * other path. Copies of a generic function (`make([]go.shape.int, n)`, `make([]go.shape.string, n)`)
 * are one finding too: their messages differ only in the shapes, and the finding says in how many
 * instantiations and with which type arguments.
 */
function* mergeDuplicates(findings: Finding[], sourceOf: (p: string) => GoSource | undefined): Generator<void, Finding[]> {
  // By file, then by range and message (a key without the path, which a big output repeats in every one).
  const byFile = new Map<string, Map<string, number>>();
  const out: Finding[] = [];
  const shapes = new Map<Finding, Set<string>>();
  const rank = (x: Finding): number => { const i = STRENGTH.indexOf(x.cause); return (x.flow.length ? 0 : 100) + (i === -1 ? 50 : i); };
  for (let i = 0; i < findings.length; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const f = findings[i];
    const { start, end } = f.range;
    let byKey = byFile.get(f.file);
    if (!byKey) byFile.set(f.file, byKey = new Map());
    const generic = f.message.includes('go.shape.');
    const k = `${start.line}:${start.character}-${end.line}:${end.character}\0${generic ? f.message.replace(SHAPE, '\u0001') : f.message}`;
    const at = byKey.get(k);
    if (at === undefined) {
      byKey.set(k, out.length);
      out.push(f);
      if (generic) shapes.set(f, new Set([typeArgs(f.message)]));
      continue;
    }
    const prev = out[at];
    const [keep, other] = rank(f) < rank(prev) ? [f, prev] : [prev, f];
    keep.otherPaths += 1 + other.otherPaths;
    if (generic) {
      const seen = shapes.get(prev) ?? new Set<string>();
      seen.add(typeArgs(f.message));
      shapes.delete(prev);
      shapes.set(keep, seen);
    }
    out[at] = keep;
  }
  for (const [f, seen] of shapes) {
    // One copy: the shape's own type reads as the user would write it (`make([]int, 3)`).
    if (seen.size < 2) { f.message = f.message.replace(SHAPE, (m) => m.slice('go.shape.'.length)); continue; }
    const args = [...seen].sort();
    f.instantiations = { count: args.length, typeArgs: args };
    f.otherPaths = Math.max(0, f.otherPaths - (args.length - 1));
    f.message = `${writtenText(f, sourceOf) ?? f.subject} escapes to heap (in ${args.length} instantiations)`;
  }
  for (const f of out) if (f.message.includes('<node ')) f.message = f.message.replace(NODE, (m) => writtenText(f, sourceOf) ?? 'a type assertion');
  return out;
}

const SHAPE = /go\.shape\.(?:\*|\[\]|struct \{[^}]*\}|[\p{L}\p{N}_.])+/gu;
const NODE = /<node [A-Z0-9]+>/g;

/** The type arguments a generic copy's message prints (`go.shape.int, go.shape.string` → `int, string`). */
function typeArgs(message: string): string {
  return [...new Set(message.match(SHAPE) ?? [])].map((s) => s.slice('go.shape.'.length)).join(', ');
}

/** What the user wrote at an exact range, on one line (for messages the compiler worded with its own names). */
function writtenText(f: Finding, sourceOf: (p: string) => GoSource | undefined): string | undefined {
  const src = f.exact ? sourceOf(f.file) : undefined;
  if (!src || f.range.start.line !== f.range.end.line) return undefined;
  return src.lines.lineText(f.range.start.line).slice(f.range.start.character, f.range.end.character) || undefined;
}

function toFinding(
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

/** The answers the classifier may ask for, over the files of this analysis (memoised per analysis). */
function factsContext(resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined, goroot?: string): SourceFacts {
  // Steps may point into other files of the package: ask the file they name.
  const at = (pos: CompilerPos): GoSource | undefined => {
    const f = resolver.resolve(pos.path);
    return f ? sourceOf(f) : undefined;
  };
  const dirFiles = new Map<string, GoSource[]>();
  const filesOf = (dir: string): GoSource[] => {
    let list = dirFiles.get(dir);
    if (!list) {
      let names: string[] = [];
      try { names = fs.readdirSync(dir).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go')); } catch { /* gone */ }
      list = names.map((n) => sourceOf(path.join(dir, n))).filter((s): s is GoSource => !!s);
      dirFiles.set(dir, list);
    }
    return list;
  };
  /**
   * A package-level variable `name` of the package in dir. Only the files whose text may declare it are
   * parsed (in one helper run): a standard-library package that inlined code points into is otherwise
   * parsed whole, synchronously, for one name (x/tools: go/types' 73 files, ~0.2 s, because the compiler
   * qualifies go/types' own functions as `types.F`, and "types" is in all of them).
   */
  const packageVarAnswers = new Map<string, boolean>();
  const isPackageVar = (dir: string, name: string): boolean => {
    const key = `${dir}\0${name}`;
    let yes = packageVarAnswers.get(key);
    if (yes === undefined) {
      const files = filesOf(dir).filter((s) => s.mentions(name) && mayDeclare(s.text, name));
      GoSource.loadAllSync(files); // usually preloaded already
      yes = files.some((s) => packageVars(s).has(name));
      packageVarAnswers.set(key, yes);
    }
    return yes;
  };
  return {
    isConstant: (pos, subject) => { const s = at(pos); return !!s && isConstant(s, subject); },
    inGoStatement: (pos) => { const s = at(pos); return !!s && inGoStatement(s, s.offsetOf(pos)); },
    callTarget: (pos) => { const s = at(pos); return s ? callTarget(s, s.offsetOf(pos)) : 'unknown'; },
    isMethodValue: (pos, subject) => { const s = at(pos); return !!s && isMethodValue(s, s.offsetOf(pos), subject, filesOf(path.dirname(s.path))); },
    isLocal: (pos, name) => { const s = at(pos); return !!s && isLocalVariable(s, s.offsetOf(pos), name); },
    returnsVariable: (pos, name) => { const s = at(pos); return !!s && returnsVariable(s, s.offsetOf(pos), name); },
    capturesNothing: (pos) => { const s = at(pos); return s ? capturesNothing(s, s.offsetOf(pos)) : undefined; },
    declaredTypeAt: (pos, name) => { const s = at(pos); return s ? declaredTypeAt(s, s.offsetOf(pos), name) : undefined; },
    isVariable: (pos, name) => {
      const s = at(pos);
      if (!s) return false;
      return isLocalVariable(s, s.offsetOf(pos), name) || isPackageVar(path.dirname(s.path), name);
    },
    lineContains: (pos, text) => {
      const s = at(pos);
      return !!s && pos.line <= s.lines.lineCount && s.lines.lineText(pos.line - 1).includes(text);
    },
    isZeroSizeLiteral: (pos, subject) => {
      const s = at(pos);
      if (!s) return false;
      const t = subject.replace(/\{\}$/, '');
      if (/^struct ?\{ ?\}$/.test(t)) return true;
      const m = /^(?:([\p{L}_][\p{L}\p{N}_]*)\.)?([\p{L}_][\p{L}\p{N}_]*)$/u.exec(t);
      if (!m) return false;
      let files = filesOf(path.dirname(s.path));
      if (m[1]) {
        const ip = importPathOf(s, m[1]) ?? m[1];
        // Standard-library types only: another module's source may not be at hand.
        if (!goroot || ip.split('/')[0].includes('.')) return false;
        files = filesOf(path.join(goroot, 'src', ip));
      }
      return isZeroSizeType(files, m[2]);
    },
  };
}

/**
 * What the flow steps of one analysis share: a 600k-line output repeats each edge and each position in
 * many steps, and one string and one range object each (never changed once made) keep the findings small.
 */
class StepParts {
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

function locateError(e: BuildError, resolver: PathResolver, sourceOf: (p: string) => GoSource | undefined): BuildError {
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

function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1
    : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
    // Then the end: one message at one start with two ends (an inlined call twice on a line) would
    // otherwise keep go's output order, which differs from one compile to the next.
    || a.range.end.line - b.range.end.line || a.range.end.character - b.range.end.character;
}
