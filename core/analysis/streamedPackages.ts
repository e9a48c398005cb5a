// Many packages analysed while their one go command runs: each package's section of the output is
// parsed, its files parsed by the helper and its findings located as soon as the next header ends it, so
// on a cold build our work hides behind the compile of the other packages. A section is analysed alone
// only when that gives what the analysis of the whole output gives (see Group); otherwise once the build
// is done, together with the sections it meets. A failed build stops the stream: the caller then
// analyses the whole output.
import * as path from 'node:path';
import type { AnalysisResult, Finding, RawRecord } from '../model';
import { analyzeParsedAsync } from './analyze';
import { gorootOf } from './goList';
import { SectionSplitter } from './packageSections';
import type { AnalyzePackagesOptions, PackagePart, PackagesAnalysis } from './packagesModel';
import type { StartedBuild } from './packagesBuild';
import { OutputParser, type ParsedOutput } from '../parse/parse';
import { posKey } from '../parse/lines';
import { PathResolver } from '../locate/resolvePath';
import { readFromDisk, type ReadFile } from '../locate/sourceCache';
import { packageContracts } from '../contracts/packageContracts';
import type { RunResult } from '../run/runGo';
import { goFilesIn } from '../util/goFiles';

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

export interface Listed { importPath: string; dir: string }

/**
 * Analyses each package's section as soon as the go command has printed it (or, for sections that name
 * each other's files, once the build is done); undefined when the build failed.
 */
export function analyzeAsItComes(opts: AnalyzePackagesOptions, started: StartedBuild, listed: Listed[],
  files: Map<string, Map<string, string>>): Promise<PackagesAnalysis | undefined> {
  return new StreamedPackages(opts, listed, files).run(started);
}

class StreamedPackages {
  private readonly t0 = performance.now();
  private readonly dirOf: Map<string, string>;
  private readonly treeDirs: Set<string>;
  private readonly packageDirOf: Map<string, string>;
  private readonly importPathOf: Map<string, string>;
  private readonly goroot: Promise<string | undefined>;
  /** The packages' files were read for their directives: the helper and the analysis take those texts. */
  private readonly read: ReadFile;
  private readonly queue: Section[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly stop = new AbortController();
  private count = 0;
  /** Each record's first section: the whole output's parser keeps a record where it first sees it. */
  private readonly firstSeen = new Map<string, number>();
  private readonly groupOf = new Map<string, Group>();
  private readonly groups: Group[] = [];
  private readonly pathSeen = new Map<string, { inTree: boolean; groups: Set<Group> }>();
  private readonly told = new Set<string>();

  constructor(private readonly opts: AnalyzePackagesOptions, private readonly listed: Listed[], private readonly files: Map<string, Map<string, string>>) {
    this.dirOf = new Map(listed.map((p) => [p.importPath, path.resolve(p.dir)]));
    this.treeDirs = new Set(this.dirOf.values());
    this.packageDirOf = new Map(listed.map((p) => [p.importPath, p.dir]));
    this.importPathOf = new Map(listed.map((p) => [path.resolve(p.dir), p.importPath]));
    this.goroot = gorootOf({ ...opts, dir: opts.root });
    opts.sources.useToolchain({ goCommand: opts.goCommand, env: opts.env });
    this.read = readKnown(files);
  }

  async run(started: StartedBuild): Promise<PackagesAnalysis | undefined> {
    const splitter = new SectionSplitter((pkg, text) => {
      if (this.stop.signal.aborted) return; // a failed build: the whole output is analysed instead
      this.queue.push({ index: this.count++, pkg, text });
      this.ahead();
      this.wake?.();
    });
    started.read((chunk) => { if (!this.stop.signal.aborted) splitter.write(chunk); });
    const finished = started.run.then((r) => { splitter.end(); return r; }, (e: unknown) => { splitter.end(); throw e; })
      .finally(() => { this.ended = true; this.wake?.(); });
    const worker = this.work();
    let run: RunResult;
    try {
      // A failed build (or a cancelled or timed-out one) stops the stream: its sections are not worth finishing.
      const stopOnFailure = finished.then((r) => { if (r.exitCode !== 0) this.stop.abort(); return r; }, (e: unknown) => { this.stop.abort(); throw e; });
      [run] = await Promise.all([stopOnFailure, worker]);
    } catch (e) {
      this.stop.abort();
      await worker.catch(() => undefined);
      throw e;
    }
    if (run.exitCode !== 0) return undefined;
    await this.analyzeJoined();
    return {
      parts: this.parts(),
      run: { args: run.args, compileMs: run.durationMs, analyzeMs: performance.now() - this.t0 - run.durationMs, output: run.output, exitCode: run.exitCode },
      streamed: true,
    };
  }

  /**
   * The helper parses the next sections' files while this one is located; only a little ahead, since the
   * source cache is bounded and would evict trees parsed too early.
   */
  private ahead(): void {
    for (const s of this.queue.slice(0, 2)) {
      if (s.preload) continue;
      const own = s.pkg !== undefined ? this.dirOf.get(s.pkg) : undefined;
      ({ parsed: s.parsed, loaded: s.preload } = parseAndPreload(this.opts, s.text, own !== undefined ? [own] : [], this.files, this.read));
    }
  }

  /** Takes the sections as they come: each alone if it meets no other, else later with those it meets. */
  private async work(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        if (this.ended) return;
        await new Promise<void>((r) => { this.wake = r; });
        this.wake = undefined;
        continue;
      }
      const s = this.queue[0];
      this.ahead();
      await s.preload;
      this.queue.shift();
      this.ahead();
      if (this.stop.signal.aborted) return;
      const parsed = s.parsed!;
      s.parsed = undefined;
      // Which of its records it prints first (a section analysed alone keeps those).
      const first = parsed.records.map((rec) => {
        const key = recordKey(rec);
        const seen = this.firstSeen.get(key);
        if (seen === undefined) this.firstSeen.set(key, s.index);
        return seen === undefined || seen === s.index;
      });
      const placed = this.place(s, parsed);
      if (placed?.alone) {
        await this.analyze(placed.group, parsed, first);
        this.tell(placed.group);
      }
    }
  }

  /**
   * The section's group: a new one, joined with the groups it meets through a package directory, or
   * through a printed path that is the tree's file here or there (the parser merges and joins by the
   * printed position, whatever it resolves to). Undefined for go's notes before the first header.
   */
  private place(s: Section, parsed: ParsedOutput): { group: Group; alone: boolean } | undefined {
    const dirs = new Set<string>();
    const own = s.pkg !== undefined ? this.dirOf.get(s.pkg) : undefined;
    if (own !== undefined) dirs.add(own);
    // Paths as the analysis resolves them: relative to the section's package directory.
    const base = s.pkg !== undefined ? this.packageDirOf.get(s.pkg) : undefined;
    const resolver = base !== undefined ? new PathResolver(base, undefined, undefined, this.opts.root) : new PathResolver(this.opts.root);
    const paths = new Map<string, boolean>();
    for (const rec of parsed.records) {
      if (paths.get(rec.pos.path) === true) continue;
      const file = resolver.resolve(rec.pos.path);
      const d = file !== undefined ? path.dirname(file) : undefined;
      const inTree = d !== undefined && this.treeDirs.has(d);
      if (inTree) dirs.add(d);
      paths.set(rec.pos.path, inTree);
    }
    if (dirs.size === 0 && paths.size === 0) return undefined;
    const met = new Set<Group>();
    for (const d of dirs) { const g = this.groupOf.get(d); if (g) met.add(find(g)); }
    for (const [p, inTree] of paths) {
      const e = this.pathSeen.get(p);
      if (e && (e.inTree || inTree)) for (const g of e.groups) met.add(find(g));
    }
    const g: Group = { sections: [...[...met].flatMap((m) => m.sections), s].sort((x, y) => x.index - y.index), dirs: new Set(dirs) };
    for (const m of met) { m.mergedInto = g; for (const d of m.dirs) g.dirs.add(d); }
    for (const d of g.dirs) this.groupOf.set(d, g);
    for (const [p, inTree] of paths) {
      let e = this.pathSeen.get(p);
      if (!e) this.pathSeen.set(p, e = { inTree: false, groups: new Set() });
      e.inTree ||= inTree;
      e.groups.add(g);
    }
    this.groups.push(g);
    return { group: g, alone: met.size === 0 };
  }

  /** The group's records (those it prints first) analysed. */
  private async analyze(g: Group, parsed: ParsedOutput, first?: readonly boolean[]): Promise<void> {
    if (first) parsed.records = parsed.records.filter((_, i) => first[i]);
    else {
      const mine = new Set(g.sections.map((s) => s.index));
      parsed.records = parsed.records.filter((r) => mine.has(this.firstSeen.get(recordKey(r))!));
    }
    g.result = await analyzeParsedAsync(parsed, {
      signal: this.opts.signal, cwd: this.opts.root, exitCode: 0, all: this.opts.all, sources: this.opts.sources, readFile: this.read,
      packageDirs: this.listed.map((p) => p.dir), packageDirOf: this.packageDirOf, goroot: await this.goroot,
    });
  }

  /** Groups that met other sections, once the build is done: parsed as one, in the order go printed them. */
  private async analyzeJoined(): Promise<void> {
    for (const g of new Set(this.groups.map(find))) {
      if (g.result) continue;
      const own = g.sections.flatMap((s) => { const d = s.pkg !== undefined ? this.dirOf.get(s.pkg) : undefined; return d !== undefined ? [d] : []; });
      const { parsed, loaded } = parseAndPreload(this.opts, g.sections.map((s) => s.text).join('\n'), own, this.files, this.read);
      await loaded;
      await this.analyze(g, parsed);
      this.tell(g);
    }
  }

  private partOf(g: Group, dir: string): PackagePart {
    const r = g.result!;
    const importPath = this.importPathOf.get(dir);
    const counts = importPath ? r.byPackage?.[importPath] : undefined;
    g.byDir ??= findingsByDir(r.findings);
    const part: PackagePart = { dir, findings: g.byDir.get(dir) ?? [], errors: [], skipped: counts?.skipped ?? 0, exitCode: 0 };
    if (counts?.foreign) part.foreign = counts.foreign;
    if (importPath) part.importPath = importPath;
    return part;
  }

  private tell(g: Group): void {
    for (const d of g.dirs) {
      if (this.told.has(d)) continue;
      this.told.add(d);
      this.opts.onPart?.(this.partOf(g, d), this.told.size, this.files.size);
    }
  }

  /** Every package's part, with its contracts checked on its own lines of the output (none: no output). */
  private parts(): PackagePart[] {
    // Each package's lines of the output, as splitByPackage gathers them (a package printed twice: both).
    const texts = new Map<string, string>();
    const all = [...new Set(this.groups.map(find))].flatMap((g) => g.sections).sort((a, b) => a.index - b.index);
    for (const s of all) if (s.pkg !== undefined) texts.set(s.pkg, texts.has(s.pkg) ? `${texts.get(s.pkg)}\n${s.text}` : s.text);
    const out: PackagePart[] = [];
    for (const [dir, pkgFiles] of this.files) {
      const g = this.groupOf.has(dir) ? find(this.groupOf.get(dir)!) : undefined;
      let part: PackagePart;
      if (g) part = this.partOf(g, dir);
      else {
        // A package that printed nothing: no findings.
        part = { dir, findings: [], errors: [], skipped: 0, exitCode: 0 };
        const importPath = this.importPathOf.get(dir);
        if (importPath) part.importPath = importPath;
        this.opts.onPart?.(part, this.told.size + 1, this.files.size);
        this.told.add(dir);
      }
      const contracts = packageContracts(pkgFiles, part, (part.importPath && texts.get(part.importPath)) ?? '', dir, this.opts.root);
      if (contracts) part.contracts = contracts;
      out.push(part);
    }
    return out;
  }
}

function find(g: Group): Group {
  while (g.mergedInto) g = g.mergedInto;
  return g;
}

/** The findings by their file's directory. */
export function findingsByDir(findings: readonly Finding[]): Map<string, Finding[]> {
  const byDir = new Map<string, Finding[]>();
  for (const f of findings) {
    const d = path.dirname(f.file);
    let list = byDir.get(d);
    if (!list) byDir.set(d, list = []);
    list.push(f);
  }
  return byDir;
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
  for (const d of packageDirs) for (const f of files.get(d)?.keys() ?? goFilesIn(d, { tests: false })) named.add(f);
  return { parsed, loaded: opts.sources.preload(named, read).catch(() => undefined) };
}

/** Each known file's text (the packages' non-test files, as read at the start), else the disk's. */
function readKnown(files: ReadonlyMap<string, ReadonlyMap<string, string>>): ReadFile {
  const known = new Map<string, string>();
  for (const m of files.values()) for (const [p, t] of m) known.set(p, t);
  return (p) => known.get(p) ?? readFromDisk(p);
}
