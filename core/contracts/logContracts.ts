// Contracts of a saved compiler log (`--input`): the packages the log covers, each checked on its own
// section of the log as a live run checks it on its own output (packageContracts). The log is seen once,
// as it is read: only the lines of packages that have directives are kept, so a big log's text is not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisResult } from '../model';
import { PathResolver } from '../locate/resolvePath';
import { spawnTracked } from '../run/spawn';
import { modulePath, packageDirsIn } from '../run/module';
import { mentionsDirective } from './directives';
import { needsBoundsCheckOutput } from './check';
import { BCE_FLAG, packageContracts, packageFiles } from './packageContracts';
import type { ContractReport, DirectiveProblem } from '../model/contracts';

interface Section {
  /** The `# pkg` header's import path (none: a log without headers, or lines before the first). */
  pkg?: string;
  /** A test variant (`# p [p.test]`): the package's _test.go files were compiled too. */
  test: boolean;
  /** Directories of the files named first on a line (positioned lines). */
  dirs: Set<string>;
  /** Any bounds-check line (`-d=ssa/check_bce/debug=1` output) in the section. */
  bce: boolean;
  /** The section's lines that name a file of a directory with directives, as printed. */
  lines: Map<string, string[]>;
}

const POSITIONED = /^(.+?\.go):\d+:\d+: /;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const BOUNDS = /: Found Is(?:Slice)?InBounds$/;

export class LogContracts {
  private readonly resolver: PathResolver;
  private readonly sections: Section[] = [];
  private current: Section | undefined;
  private rest = '';
  private readonly dirOfPrinted = new Map<string, string | undefined>();
  private readonly withDirectives = new Map<string, boolean>();
  /** The path the last positioned line printed, and its directory. */
  private last: { printed: string; dir: string | undefined } | undefined;

  /** `cwd`: where the go command ran (the paths of the log are relative to it), as for the analysis. */
  constructor(readonly cwd: string, resolver?: PathResolver) {
    this.resolver = resolver ?? new PathResolver(cwd);
  }

  /** The log's text, in pieces as read (a piece may end inside a line). */
  write(text: string): void {
    const all = this.rest + text;
    const end = all.lastIndexOf('\n');
    if (end === -1) { this.rest = all; return; }
    this.rest = all.slice(end + 1);
    for (let from = 0; from <= end;) {
      const eol = all.indexOf('\n', from);
      this.line(all, from, eol);
      from = eol + 1;
    }
  }

  end(): void {
    if (this.rest) this.line(this.rest, 0, this.rest.length);
    this.rest = '';
  }

  /**
   * The line from..eol of `text`. Every line of a big log passes here: only a line of a package with
   * directives is cut out of the text (the others cost a search for `.go:` and a lookup of their path).
   */
  private line(text: string, from: number, eol: number): void {
    const end = eol > from && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol; // \r\n
    if (text.startsWith('# ', from)) {
      const header = text.slice(from + 2, end);
      this.current = { pkg: header.replace(/ \[.*\]$/, ''), test: / \[.*\.test\]$/.test(header), dirs: new Set(), bce: false, lines: new Map() };
      this.sections.push(this.current);
      this.last = undefined; // under another header the same printed path may name another file
      return;
    }
    // A positioned line, `FILE.go:LINE:COL: ` (the compiler's, as gcassert reads them). Most lines name
    // the file the line before named: its path is not cut out and looked up again.
    const last = this.last;
    let go: number;
    let dir: string | undefined;
    if (last && text.startsWith(last.printed, from) && text.charCodeAt(from + last.printed.length) === 58) {
      go = from + last.printed.length - 3;
      dir = last.dir;
    } else {
      go = text.indexOf('.go:', from);
      if (go === -1 || go >= end) return;
      const printed = text.slice(from, go + 3);
      const resolver = this.resolverFor(this.current?.pkg);
      const key = resolver === this.resolver ? printed : `${this.current!.pkg}\0${printed}`;
      dir = this.dirOfPrinted.get(key);
      if (dir === undefined && !this.dirOfPrinted.has(key)) {
        const file = resolver.resolve(printed);
        this.dirOfPrinted.set(key, dir = file === undefined ? undefined : path.dirname(file));
      }
      this.last = { printed, dir };
    }
    if (dir === undefined || !isDigit(text.charCodeAt(go + 4))) return;
    if (!this.current) this.sections.push(this.current = { test: false, dirs: new Set(), bce: false, lines: new Map() });
    const s = this.current;
    s.dirs.add(dir);
    if (!s.bce && text.endsWith('InBounds', end) && BOUNDS.test(text.slice(go, end))) s.bce = true;
    if (!this.hasDirectives(dir)) return;
    const line = text.slice(from, end);
    if (!POSITIONED.test(line)) return;
    let l = s.lines.get(dir);
    if (!l) s.lines.set(dir, l = []);
    l.push(line);
  }

  private readonly resolvers = new Map<string, PathResolver>();

  /**
   * A section's paths as the analysis resolves them (analyzeLog): relative to where go ran, or for a cache
   * replay to where the package was first compiled, its directory found from the header's import path.
   */
  private resolverFor(pkg: string | undefined): PathResolver {
    if (pkg === undefined) return this.resolver;
    let r = this.resolvers.get(pkg);
    if (!r) {
      const dir = packageDirsIn(this.cwd, [pkg]).get(pkg);
      r = dir === undefined ? this.resolver : new PathResolver(dir, undefined, undefined, this.cwd);
      this.resolvers.set(pkg, r);
    }
    return r;
  }

  /** Any directive in the directory's Go files (tests included: a test variant may need them). */
  private hasDirectives(dir: string): boolean {
    let has = this.withDirectives.get(dir);
    if (has === undefined) {
      has = [...packageFiles(dir, true).values()].some(mentionsDirective);
      this.withDirectives.set(dir, has);
    }
    return has;
  }

  /** The directories with directives the log names, in the order first named. */
  candidates(): string[] {
    return [...new Set(this.sections.flatMap((s) => [...s.dirs]))].filter((d) => this.withDirectives.get(d));
  }

  /**
   * Each covered package's contracts, checked on its section's lines and its findings in `result` (the
   * analysis of the whole log). `outside`: directories that hold no package of the user (GOROOT, the
   * module cache), whose files a log names for inlined and generic code.
   */
  check(result: AnalysisResult, outside: readonly string[]): ContractReport[] {
    // A failed build's log checks nothing, as a live run of a package that does not build.
    if (result.errors.length > 0) return [];
    const within = (d: string, root: string): boolean => d === root || d.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    const mine = (d: string): boolean => this.withDirectives.get(d) === true && !outside.some((o) => o && within(d, o));
    const packages = new Map<string, { test: boolean; bce: boolean; lines: string[] }>();
    for (const s of this.sections) {
      let dirs = [...s.dirs].filter(mine);
      // A section is its header's package: a dependency of the same tree (a `replace` to a local
      // directory) that the section names for inlined code is not it.
      if (s.pkg !== undefined) {
        // `# p_test [p.test]`: the external test package, in p's directory.
        const own = [...s.dirs].filter((d) => { const ip = importPathOf(d); return ip === s.pkg || `${ip}_test` === s.pkg; });
        if (own.length > 0) dirs = dirs.filter((d) => own.includes(d));
      }
      for (const d of dirs) {
        let p = packages.get(d);
        const lines = s.lines.get(d) ?? [];
        if (!p) { packages.set(d, { test: s.test, bce: s.bce, lines: [...lines] }); continue; }
        // The same package in another section (`# p` and `# p [p.test]`): its lines once.
        const seen = new Set(p.lines);
        p.lines.push(...lines.filter((l) => !seen.has(l)));
        p.test ||= s.test;
        p.bce ||= s.bce;
      }
    }
    const out: ContractReport[] = [];
    for (const [dir, p] of packages) {
      const files = packageFiles(dir, p.test);
      const findings = result.findings.filter((f) => f.file && path.dirname(f.file) === dir);
      const report = packageContracts(files, { ...result, findings }, p.lines.join('\n'), dir, this.cwd);
      if (!report) continue;
      if (!p.bce && needsBoundsCheckOutput(files.values())) withoutBoundsChecks(report);
      out.push(report);
    }
    return out;
  }
}

/**
 * A log without any bounds-check line: built without the flag gcassert:bce needs (a live run adds it), so
 * its directives are not reported as held but as unchecked, with the flag to add.
 */
function withoutBoundsChecks(report: ContractReport): void {
  const unchecked = report.directives.filter((d) => d.rule === 'gcassert-bce');
  report.directives = report.directives.filter((d) => d.rule !== 'gcassert-bce');
  report.violations = report.violations.filter((v) => v.rule !== 'gcassert-bce');
  for (const d of unchecked) {
    const problem: DirectiveProblem = {
      rule: 'contract-directive', file: d.file, range: d.range, appliesTo: d.lines.first,
      message: `//gcassert:bce not checked: the log has no bounds-check output for this package (built without ${BCE_FLAG}); `
        + `save it with go build -gcflags='-m=2 ${BCE_FLAG}' to check it`,
    };
    report.problems.push(problem);
  }
  report.problems.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

const modules = new Map<string, { root: string; path: string } | undefined>();

/** The import path of the package in `dir`, from its module's go.mod (undefined outside a module). */
export function importPathOf(dir: string): string | undefined {
  const m = moduleOf(dir);
  if (!m) return undefined;
  const rel = path.relative(m.root, dir).split(path.sep).join('/');
  return rel ? `${m.path}/${rel}` : m.path;
}

function moduleOf(dir: string): { root: string; path: string } | undefined {
  if (modules.has(dir)) return modules.get(dir);
  let found: { root: string; path: string } | undefined;
  if (fs.existsSync(path.join(dir, 'go.mod'))) {
    const mod = modulePath(dir);
    found = mod ? { root: dir, path: mod } : undefined;
  } else {
    const parent = path.dirname(dir);
    found = parent === dir ? undefined : moduleOf(parent);
  }
  modules.set(dir, found);
  return found;
}

/** GOROOT and GOMODCACHE of the go command (one `go env`), asked only when the log names directives. */
export async function goDirsOutside(cwd: string, goCommand = 'go', timeoutMs = 30_000): Promise<string[]> {
  const r = await spawnTracked(goCommand, ['env', 'GOROOT', 'GOMODCACHE'], { cwd, timeoutMs }).catch(() => undefined);
  if (!r || r.exitCode !== 0) return [];
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((d) => path.resolve(d));
}

/** Every covered package's contracts (see LogContracts.check). */
export async function logContracts(lc: LogContracts, result: AnalysisResult, options: { goCommand?: string; timeoutMs?: number } = {}): Promise<ContractReport[]> {
  if (result.errors.length > 0 || lc.candidates().length === 0) return [];
  return lc.check(result, await goDirsOutside(lc.cwd, options.goCommand, options.timeoutMs));
}
