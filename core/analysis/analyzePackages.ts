// Many packages, one go command: `go build -gcflags=./...=-m=2 ./...` in the root lets the go command
// build the packages in parallel over one package graph (one process, not one per package), and the build
// cache replays every unchanged package. The output is split back into packages by its `# pkg` headers and
// by the directories of the files it names, so each package is reported (and its contracts checked) as if
// it had been analysed alone.
//
// The split happens while the go command runs: each package's section of the output is parsed, its files
// parsed by the helper and its findings located as soon as the next header ends it, so on a cold build our
// work hides behind the compile of the other packages. A section is analysed alone only when that gives
// what the analysis of the whole output gives (see `independent`); otherwise, and whenever the build
// fails, the whole output is analysed at the end as before.
import * as path from 'node:path';
import type { AnalysisResult, BuildError, Finding, RawRecord } from '../model';
import { analyzePackage, goFilesIn, gorootOf, type AnalyzePackageOptions, type PackageAnalysis } from './analyzePackage';
import { analyzeParsedAsync } from './analyze';
import { OutputParser, type ParsedOutput } from '../parse/parse';
import { posKey } from '../parse/lines';
import { PathResolver } from '../locate/resolvePath';
import { readFromDisk, type ReadFile } from '../locate/sourceCache';
import { contractFlags, packageContracts, packageFiles } from '../contracts/packageContracts';
import type { ContractReport } from '../model/contracts';
import { CancelledError, runGo, type RunOptions, type RunResult } from '../run/runGo';

export interface PackagePart extends AnalysisResult {
  dir: string;
  importPath?: string;
  contracts?: ContractReport;
}

export interface PackagesAnalysis {
  parts: PackagePart[];
  /** The one go command's run, for logs and timing. */
  run: Pick<PackageAnalysis, 'args' | 'compileMs' | 'analyzeMs' | 'output' | 'exitCode'>;
  /** True when each package's section was analysed as it arrived; false when the whole output was analysed at the end. */
  streamed: boolean;
}

export interface AnalyzePackagesOptions extends Omit<AnalyzePackageOptions, 'packages' | 'dir' | 'started'> {
  /** The directory the pattern is relative to (a module root, or any directory inside one). */
  root: string;
  /** The package pattern, relative to root: `./...`. */
  pattern: string;
  /** The package directories the pattern names (`go list`), for reading their directives first. */
  dirs: readonly string[];
  /** Their import paths, when that `go list` gave them: the analysis then lists nothing again. */
  importPaths?: ReadonlyMap<string, string>;
  /** The go command, if it was started before the packages were listed (startPackagesBuild). */
  started?: StartedBuild;
  /**
   * A -toolexec flag of ours for the build (core/run/noLink.ts: no linking); a promise of one delays
   * the build's start until it is known (the go command is asked for it beside `go list`).
   */
  toolexec?: string | Promise<string | undefined>;
  /** Told as each package's result is ready (a terminal's progress), in the order they are ready. */
  onPart?: (part: PackagePart, done: number, total: number) => void;
}

/** A go command started early (beside `go list`), whose output is kept until someone reads it. */
export interface StartedBuild {
  root: string;
  gcflags: readonly string[];
  run: Promise<RunResult>;
  /** Receives the output seen so far, then each chunk as it comes. */
  read(sink: (chunk: string) => void): void;
  /** Ends the go command (it was started with flags that turned out wrong, or is not needed). */
  cancel(): void;
}

export type BuildStart = Pick<AnalyzePackagesOptions, 'root' | 'pattern' | 'goCommand' | 'gcflags' | 'buildFlags' | 'env' | 'timeoutMs' | 'signal' | 'onDownload' | 'toolexec'>;

/**
 * Starts `go build -gcflags=PATTERN=-m=2 PATTERN` in root at once, before the packages are listed: the
 * go command loads the package graph itself, so waiting for `go list` would only add its time. Contract
 * flags are known after the listing: analyzePackages restarts the build in the rare case they are needed.
 */
export function startPackagesBuild(opts: BuildStart): StartedBuild {
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let chunks: string[] | undefined = [];
  let sink: ((chunk: string) => void) | undefined;
  const gcflags = [...(opts.gcflags ?? [])];
  const run = Promise.resolve(opts.toolexec).then((toolexec) => runGo({
    dir: opts.root, packages: [opts.pattern], goCommand: opts.goCommand, mode: 'build', gcflags,
    buildFlags: toolexec ? [...(opts.buildFlags ?? []), toolexec] : opts.buildFlags,
    env: opts.env, timeoutMs: opts.timeoutMs, signal: abort.signal, onDownload: opts.onDownload,
    onOutput: (s) => { if (sink) sink(s); else chunks!.push(s); },
  }));
  void run.finally(() => opts.signal?.removeEventListener('abort', onAbort)).catch(() => undefined);
  return {
    root: opts.root, gcflags, run,
    read(to) {
      for (const c of chunks ?? []) to(c);
      chunks = undefined;
      sink = to;
    },
    cancel() { abort.abort(); run.catch(() => undefined); },
  };
}

export async function analyzePackages(opts: AnalyzePackagesOptions): Promise<PackagesAnalysis> {
  const files = new Map(opts.dirs.map((d) => [path.resolve(d), packageFiles(d, false, opts.overlay)]));
  // The bounds-check debug output (gcassert:bce) is needed if any package asks for it; its cost is small.
  const extra = [...new Set([...files.values()].flatMap((f) => contractFlags(f)))];
  const gcflags = [...(opts.gcflags ?? []), ...extra];
  const known = opts.importPaths && opts.dirs.every((d) => opts.importPaths!.has(d))
    ? opts.dirs.map((d) => ({ importPath: opts.importPaths!.get(d)!, dir: d })) : undefined;
  let started = opts.started;
  if (started && (started.root !== opts.root || started.gcflags.join('\0') !== gcflags.join('\0'))) { started.cancel(); started = undefined; }
  // Streaming needs the packages' import paths up front and real files on disk (an overlay renames files
  // in the whole output only).
  if (known && !(opts.overlay && opts.overlay.size > 0) && !opts.onlyFiles) {
    started ??= startPackagesBuild({ ...opts, gcflags });
    const streamed = await analyzeAsItComes(opts, started, known, files);
    if (streamed) return streamed;
  }
  started?.read(() => undefined); // its whole output comes with the run's result
  const r = await analyzePackage({
    ...opts, dir: opts.root, packages: [opts.pattern], gcflags, listed: known, started: started?.run,
    buildFlags: await withToolexec(opts, started),
  });
  const result = partsOfWhole(opts, r, files);
  let done = 0;
  for (const part of result.parts) opts.onPart?.(part, ++done, result.parts.length);
  return result;
}

/** The build flags of a go command started here (not of one started before): with our -toolexec, if any. */
async function withToolexec(opts: AnalyzePackagesOptions, started: StartedBuild | undefined): Promise<string[] | undefined> {
  const toolexec = started ? undefined : await opts.toolexec;
  return toolexec ? [...(opts.buildFlags ?? []), toolexec] : opts.buildFlags;
}

/** The analysis of the whole output, split by package afterwards. */
function partsOfWhole(opts: AnalyzePackagesOptions, r: PackageAnalysis, files: Map<string, Map<string, string>>): PackagesAnalysis {
  const importPathOf = new Map((r.packages ?? []).map((p) => [path.resolve(p.dir), p.importPath]));
  const byDir = new Map<string, Finding[]>();
  for (const f of r.findings) {
    const d = path.dirname(f.file);
    let list = byDir.get(d);
    if (!list) byDir.set(d, list = []);
    list.push(f);
  }
  const sections = splitByPackage(r.output);
  // An error the go command printed under no package header concerns every package.
  const general = r.errors.filter((e) => e.pkg === undefined);
  const parts: PackagePart[] = [];
  for (const [dir, pkgFiles] of files) {
    const importPath = importPathOf.get(dir);
    const errors: BuildError[] = [...general, ...r.errors.filter((e) => e.pkg !== undefined && e.pkg === importPath)];
    const counts = importPath ? r.byPackage?.[importPath] : undefined;
    const part: PackagePart = {
      dir, findings: errors.length ? [] : byDir.get(dir) ?? [], errors,
      skipped: counts?.skipped ?? 0, exitCode: errors.length ? r.exitCode : 0,
    };
    if (counts?.foreign) part.foreign = counts.foreign;
    if (importPath) part.importPath = importPath;
    // Each package's section of the output; its paths are relative to where go ran (or to where a replayed
    // build first ran).
    const contracts = packageContracts(pkgFiles, part, (importPath && sections.get(importPath)) ?? '', dir, opts.root);
    if (contracts) part.contracts = contracts;
    parts.push(part);
  }
  return { parts, run: { args: r.args, compileMs: r.compileMs, analyzeMs: r.analyzeMs, output: r.output, exitCode: r.exitCode }, streamed: false };
}

/** The output's lines under each `# pkg` header (`# p [p.test]` counts as p). */
export function splitByPackage(output: string): Map<string, string> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('# ')) {
      const pkg = line.slice(2).replace(/ \[.*\]$/, '');
      current = out.get(pkg) ?? [];
      out.set(pkg, current);
    }
    current?.push(line);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('\n')]));
}

/**
 * Cuts the output as it streams into sections at its `# pkg` headers, as splitByPackage cuts the whole
 * (so a section's text, and so its contracts, are the same either way). It only looks for line starts
 * `\n# `: the text between is passed on as it came, not split into lines.
 */
export class SectionSplitter {
  /** Complete lines of the current section so far (from its header line, or the output's start, on). */
  private parts: string[] = [];
  /** The last line, not complete yet. */
  private rest = '';

  constructor(private readonly onSection: (pkg: string | undefined, text: string) => void) {}

  write(chunk: string): void {
    const text = this.rest + chunk;
    const end = text.lastIndexOf('\n') + 1;
    this.rest = text.slice(end);
    if (end === 0) return;
    // Headers start lines: at 0 (text starts with a line: rest began one) or after a \n.
    const next = (from: number): number => { const i = text.indexOf('\n# ', from); return i === -1 ? -1 : i + 1; };
    let start = 0;
    for (let h = text.startsWith('# ') ? 0 : next(0); h !== -1 && h < end; h = next(h)) {
      this.parts.push(text.slice(start, h));
      this.cut();
      start = h;
    }
    this.parts.push(text.slice(start, end));
  }

  end(): void {
    if (this.rest.startsWith('# ')) this.cut(); // a last line that is a header, with no \n after it
    this.parts.push(this.rest);
    this.rest = '';
    const text = this.parts.join('');
    this.parts = [];
    if (text !== '') this.emit(text);
  }

  /** Ends the current section before a header: its text without the \n that ends its last line. */
  private cut(): void {
    const text = this.parts.join('');
    this.parts = [];
    if (text !== '') this.emit(text.slice(0, -1));
  }

  private emit(text: string): void {
    if (!text.startsWith('# ')) { this.onSection(undefined, text); return; } // before the first header
    const eol = text.indexOf('\n');
    this.onSection((eol === -1 ? text.slice(2) : text.slice(2, eol)).replace(/ \[.*\]$/, ''), text);
  }
}

interface Section {
  index: number;
  pkg: string | undefined;
  text: string;
  /** Its records, parsed a little ahead of its analysis (with the files they name, for the helper). */
  parsed?: ParsedOutput;
  preload?: Promise<void>;
}

/**
 * Sections whose records can meet in the whole output's parser and analysis: they share a package
 * directory of the tree (a generic function of package a, instantiated and so reported in b's section), or
 * print the same path where it is the tree's file in one of them (code of package a inlined into b's init is
 * printed at a's path, and the parser merges records and joins explanations by the printed position, the
 * analysis notes inlined calls by it). They are parsed and analysed together, as the whole output is;
 * sections that share neither cannot meet, but for lines printed for several packages outside the tree
 * (GOROOT generics), which the parser keeps where it first sees them (`firstSeen`).
 */
interface Group {
  sections: Section[];
  /** The tree's package directories its records are in (and its sections' own). */
  dirs: Set<string>;
  /** Its result, once analysed; a group that grew after that is analysed again once the build is done. */
  result?: AnalysisResult;
  byDir?: Map<string, Finding[]>;
  /** The group it became part of. */
  mergedInto?: Group;
}

/**
 * Analyses each package's section as soon as the go command has printed it (or, for sections that name
 * each other's files, once the build is done); undefined when the build failed, and the caller then
 * analyses the whole output as before.
 */
async function analyzeAsItComes(
  opts: AnalyzePackagesOptions, started: StartedBuild, listed: { importPath: string; dir: string }[],
  files: Map<string, Map<string, string>>,
): Promise<PackagesAnalysis | undefined> {
  const t0 = performance.now();
  const dirOf = new Map(listed.map((p) => [p.importPath, path.resolve(p.dir)]));
  const treeDirs = new Set(dirOf.values());
  const packageDirOf = new Map(listed.map((p) => [p.importPath, p.dir]));
  const goroot = gorootOf({ ...opts, dir: opts.root } as RunOptions);
  opts.sources.useToolchain({ goCommand: opts.goCommand, env: opts.env });
  // The packages' files were read for their directives: the helper and the analysis take those texts
  // (other files, GOROOT's, from the disk) rather than listing and reading them all again.
  const read = readKnown(files);
  const queue: Section[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const stop = new AbortController();
  let count = 0;
  const splitter = new SectionSplitter((pkg, text) => {
    if (stop.signal.aborted) return; // a failed build: the whole output is analysed instead
    queue.push({ index: count++, pkg, text });
    ahead();
    wake?.();
  });
  // The helper parses the next sections' files while this one is located; only a little ahead, since
  // the source cache is bounded and would evict trees parsed too early.
  const ahead = (): void => {
    for (const s of queue.slice(0, 2)) {
      if (s.preload) continue;
      const own = s.pkg !== undefined ? dirOf.get(s.pkg) : undefined;
      ({ parsed: s.parsed, loaded: s.preload } = parseAndPreload(opts, s.text, own !== undefined ? [own] : [], files, read));
    }
  };
  started.read((chunk) => { if (!stop.signal.aborted) splitter.write(chunk); });
  const finished = started.run.then((r) => { splitter.end(); return r; }, (e: unknown) => { splitter.end(); throw e; })
    .finally(() => { ended = true; wake?.(); });

  // Each record's first section: the whole output's parser keeps a record where it first sees it and
  // merges later copies into it (the same GOROOT generic reported for several packages).
  const firstSeen = new Map<string, number>();
  const groupOf = new Map<string, Group>();
  const groups: Group[] = [];
  const pathSeen = new Map<string, { inTree: boolean; groups: Set<Group> }>();
  const find = (g: Group): Group => { while (g.mergedInto) g = g.mergedInto; return g; };
  const analyze = async (g: Group, parsed: ParsedOutput, first?: readonly boolean[]): Promise<void> => {
    if (first) parsed.records = parsed.records.filter((_, i) => first[i]);
    else {
      const mine = new Set(g.sections.map((s) => s.index));
      parsed.records = parsed.records.filter((r) => mine.has(firstSeen.get(recordKey(r))!));
    }
    g.result = await analyzeParsedAsync(parsed, {
      signal: opts.signal, cwd: opts.root, exitCode: 0, all: opts.all, sources: opts.sources, readFile: read,
      packageDirs: listed.map((p) => p.dir), packageDirOf, goroot: await goroot,
    });
  };
  const importPathOf = new Map(listed.map((p) => [path.resolve(p.dir), p.importPath]));
  const partOf = (g: Group, dir: string): PackagePart => {
    const r = g.result!;
    const importPath = importPathOf.get(dir);
    const counts = importPath ? r.byPackage?.[importPath] : undefined;
    if (!g.byDir) {
      g.byDir = new Map();
      for (const f of r.findings) {
        const d = path.dirname(f.file);
        let list = g.byDir.get(d);
        if (!list) g.byDir.set(d, list = []);
        list.push(f);
      }
    }
    const part: PackagePart = { dir, findings: g.byDir.get(dir) ?? [], errors: [], skipped: counts?.skipped ?? 0, exitCode: 0 };
    if (counts?.foreign) part.foreign = counts.foreign;
    if (importPath) part.importPath = importPath;
    return part;
  };

  const told = new Set<string>();
  const tell = (g: Group): void => {
    for (const d of g.dirs) if (!told.has(d)) { told.add(d); opts.onPart?.(partOf(g, d), told.size, files.size); }
  };
  const worker = (async () => {
    for (;;) {
      if (queue.length === 0) {
        if (ended) return;
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
        continue;
      }
      const s = queue[0];
      ahead();
      await s.preload;
      queue.shift();
      ahead();
      if (stop.signal.aborted) return;
      const parsed = s.parsed!;
      s.parsed = undefined;
      const dirs = new Set<string>();
      const own = s.pkg !== undefined ? dirOf.get(s.pkg) : undefined;
      if (own !== undefined) dirs.add(own);
      // Paths as the analysis resolves them: relative to the section's package directory.
      const base = s.pkg !== undefined ? packageDirOf.get(s.pkg) : undefined;
      const resolver = base !== undefined ? new PathResolver(base, undefined, undefined, opts.root) : new PathResolver(opts.root);
      const paths = new Map<string, boolean>();
      // Which of its records it prints first (a section analysed alone keeps those).
      const first = parsed.records.map((rec) => {
        const key = recordKey(rec);
        const seen = firstSeen.get(key);
        if (seen === undefined) firstSeen.set(key, s.index);
        return seen === undefined || seen === s.index;
      });
      for (const rec of parsed.records) {
        if (paths.get(rec.pos.path) === true) continue;
        const file = resolver.resolve(rec.pos.path);
        const d = file !== undefined ? path.dirname(file) : undefined;
        const inTree = d !== undefined && treeDirs.has(d);
        if (inTree) dirs.add(d);
        paths.set(rec.pos.path, inTree);
      }
      if (dirs.size === 0 && paths.size === 0) continue; // go's notes before the first header
      // The groups it meets: through a package directory, or through a printed path that is the tree's
      // file here or there (the parser merges and joins by the printed position, whatever it resolves to).
      const met = new Set<Group>();
      for (const d of dirs) { const g = groupOf.get(d); if (g) met.add(find(g)); }
      for (const [p, inTree] of paths) {
        const e = pathSeen.get(p);
        if (e && (e.inTree || inTree)) for (const g of e.groups) met.add(find(g));
      }
      const g: Group = { sections: [...[...met].flatMap((m) => m.sections), s].sort((x, y) => x.index - y.index), dirs: new Set(dirs) };
      for (const m of met) { m.mergedInto = g; for (const d of m.dirs) g.dirs.add(d); }
      for (const d of g.dirs) groupOf.set(d, g);
      for (const [p, inTree] of paths) {
        let e = pathSeen.get(p);
        if (!e) pathSeen.set(p, e = { inTree: false, groups: new Set() });
        e.inTree ||= inTree;
        e.groups.add(g);
      }
      groups.push(g);
      if (met.size === 0) {
        await analyze(g, parsed, first);
        tell(g);
      }
      // Otherwise it meets earlier sections: one group, analysed together once the build is done.
    }
  })();

  let run: RunResult;
  try {
    // A failed build (or a cancelled or timed-out one) stops the stream: its sections are not worth finishing.
    const [r] = await Promise.all([finished.then((r) => { if (r.exitCode !== 0) stop.abort(); return r; }, (e: unknown) => { stop.abort(); throw e; }), worker]);
    run = r;
  } catch (e) {
    stop.abort();
    await worker.catch(() => undefined);
    throw e;
  }
  if (run.exitCode !== 0) return undefined;
  for (const g of new Set(groups.map(find))) {
    if (g.result) continue;
    // Parsed as one, in the order the go command printed them.
    const own = g.sections.flatMap((s) => { const d = s.pkg !== undefined ? dirOf.get(s.pkg) : undefined; return d !== undefined ? [d] : []; });
    const { parsed, loaded } = parseAndPreload(opts, g.sections.map((s) => s.text).join('\n'), own, files, read);
    await loaded;
    await analyze(g, parsed);
    tell(g);
  }
  // Each package's lines of the output, as splitByPackage gathers them (a package printed twice: both).
  const texts = new Map<string, string>();
  const all = [...new Set(groups.map(find))].flatMap((g) => g.sections).sort((a, b) => a.index - b.index);
  for (const s of all) if (s.pkg !== undefined) texts.set(s.pkg, texts.has(s.pkg) ? `${texts.get(s.pkg)}\n${s.text}` : s.text);
  const out: PackagePart[] = [];
  for (const [dir, pkgFiles] of files) {
    const g = groupOf.has(dir) ? find(groupOf.get(dir)!) : undefined;
    let part: PackagePart;
    if (g) part = partOf(g, dir);
    else {
      // A package that printed nothing: no findings.
      part = { dir, findings: [], errors: [], skipped: 0, exitCode: 0 };
      const importPath = importPathOf.get(dir);
      if (importPath) part.importPath = importPath;
      opts.onPart?.(part, told.size + 1, files.size);
      told.add(dir);
    }
    // Its contracts hold or break on its own section of the output (none: no output).
    const contracts = packageContracts(pkgFiles, part, (part.importPath && texts.get(part.importPath)) ?? '', dir, opts.root);
    if (contracts) part.contracts = contracts;
    out.push(part);
  }
  return {
    parts: out,
    run: { args: run.args, compileMs: run.durationMs, analyzeMs: performance.now() - t0 - run.durationMs, output: run.output, exitCode: run.exitCode },
    streamed: true,
  };
}

function recordKey(r: RawRecord): string {
  return posKey(r.pos) + '\0' + r.message;
}

/**
 * A section (or several) parsed as the whole output's parser would parse it (the build's exit code is
 * checked after), and the helper started on the files its lines name and on its packages' files, in one
 * batch, while earlier sections are located. The parser tells each path it reads (as the analysis
 * resolves them, relative to the root): no second scan of the text for them.
 */
function parseAndPreload(
  opts: AnalyzePackagesOptions, text: string, packageDirs: readonly string[], files: ReadonlyMap<string, ReadonlyMap<string, string>>, read: ReadFile,
): { parsed: ParsedOutput; loaded: Promise<void> } {
  const resolver = new PathResolver(opts.root);
  const named = new Set<string>();
  const parser = new OutputParser({ exitCode: 0, heapOnly: !opts.all });
  parser.onPath = (printed) => {
    const file = printed.endsWith('.go') ? resolver.resolve(printed.trim()) : undefined;
    if (file) named.add(file);
  };
  parser.write(text);
  const parsed = parser.end();
  for (const d of packageDirs) for (const f of files.get(d)?.keys() ?? goFilesIn(d, false)) named.add(f);
  return { parsed, loaded: opts.sources.preload(named, read).catch(() => undefined) };
}

/** Each known file's text (the packages' non-test files, as read at the start), else the disk's. */
function readKnown(files: ReadonlyMap<string, ReadonlyMap<string, string>>): ReadFile {
  const known = new Map<string, string>();
  for (const m of files.values()) for (const [p, t] of m) known.set(p, t);
  return (p) => known.get(p) ?? readFromDisk(p);
}
