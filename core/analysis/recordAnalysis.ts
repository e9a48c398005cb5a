// One analysis of parsed compiler output: records are added one at a time (so a caller can slice the
// work), each resolved to its file, skipped when foreign or failed, and turned into a finding; finishing
// merges duplicates and sorts. Source files are read through the source cache as records name them.
import * as fs from 'node:fs';
import type { AnalysisResult, BuildError, Finding, RawRecord } from '../model';
import { HEAP_KINDS } from '../model';
import { posKey } from '../parse/lines';
import type { ParsedOutput } from '../parse/parse';
import type { SourceFacts } from '../classify/classify';
import type { GoSource } from '../locate/goSource';
import { PathResolver } from '../locate/resolvePath';
import { readFromDisk, type ReadFile, type SourceCache } from '../locate/sourceCache';
import { drain, sortSteps } from '../util/steps';
import { HOST, normalizePath, type Platform } from '../platform';
import { factsContext } from './classifierFacts';
import { typedSourceFacts } from '../classify/typedSourceFacts';
import type { TypedFacts } from '../typed/typedFacts';
import { compareFindings, dropGenericEchoes, mergeDuplicates } from './findingMerge';
import { locateError, StepParts, toFinding } from './toFinding';

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
  /** The package's typed facts (core/typed): the classifier asks them first, the syntax where they have no answer. */
  typed?: TypedFacts;
  /**
   * With several packages in one output: the directory of each package (by import path). The go command
   * prints each package's paths relative to that package's directory (`./a.go` under `# example.com/m/sub`).
   */
  packageDirOf?: ReadonlyMap<string, string>;
}

/** One analysis: records are added one at a time (so it can be sliced), then finished. */
export class Analysis {
  private readonly resolver: PathResolver;
  private readonly seen = new Map<string, GoSource | undefined>();
  private readonly sourceOf: (p: string) => GoSource | undefined;
  private readonly errors: BuildError[];
  /** Packages whose build failed: their lines are not analysed (a failed package has no escape analysis). */
  private readonly failed: ReadonlySet<string> | 'all' | undefined;
  private readonly findings: Finding[] = [];
  private skipped = 0;
  private foreign = 0;
  // `inlining call to F` at a position: allocations reported there come from F's inlined body.
  private readonly inlinedAt = new Map<string, string>();
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
    // One error, one report: `go list` prints a load error again under another package's header when
    // it builds several.
    this.errors = uniqueErrors(parsed.errors).map((e) => locateError(e, this.resolverFor(e.pkg), this.sourceOf));
    if (this.errors.length > 0) {
      // With several packages in one output, only those that failed lose their findings.
      const byPkg = parsed.packages.length > 1 && parsed.errors.every((e) => e.pkg !== undefined);
      this.failed = byPkg ? new Set(parsed.errors.map((e) => e.pkg!)) : 'all';
    }
    for (const rec of parsed.records) if (rec.kind === 'inlining-call') this.inlinedAt.set(posKey(rec.pos), rec.subject);
    // Paths of the system the compiler ran on, spelled as the resolver spells them (drive letters).
    this.plat = options.platform ?? HOST;
    this.dirs = options.packageDirs?.map((d) => normalizePath(this.plat.path.resolve(d), this.plat));
    this.exists = options.exists ?? fs.existsSync;
    this.facts = typedSourceFacts(options.typed, factsContext(this.resolver, this.sourceOf, options.goroot), (p) => this.resolver.resolve(p));
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
    const callee = this.inlinedAt.get(posKey(rec.pos));
    if (callee && HEAP_KINDS.has(rec.kind)) f.inlinedFrom = callee;
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

  /** finish() in steps (core/util/steps.ts); `sliced`: the sort too (else the native one, faster in one piece). */
  *finishSteps(sliced: boolean): Generator<void, AnalysisResult> {
    const exitCode = this.options.exitCode ?? 0;
    // A package that does not build has no escape analysis: its errors are the whole answer.
    if (this.failed === 'all') return { findings: [], errors: this.errors, skipped: 0, exitCode };
    const merged = yield* mergeDuplicates(yield* dropGenericEchoes(this.findings, this.sourceOf));
    if (sliced) yield* sortSteps(merged, compareFindings);
    else merged.sort(compareFindings);
    const result: AnalysisResult = { findings: merged, errors: this.errors, skipped: this.skipped + (this.findings.length - merged.length), exitCode };
    if (this.foreign) result.foreign = this.foreign;
    if (this.perPackage.size > 0) result.byPackage = Object.fromEntries(this.perPackage);
    return result;
  }
}

/** The errors without repeats (same position and message: a file belongs to one package), in their order. */
function uniqueErrors(errors: readonly BuildError[]): BuildError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (!e.pos) return true;
    const key = JSON.stringify([e.pos, e.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
