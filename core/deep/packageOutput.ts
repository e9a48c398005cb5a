// One dependency package's own `-m=2` output, indexed for the walk: where each function is declared (its
// inliner line), and every summary record by position (a parameter's `leaking param` line is printed at
// the parameter's declaration). Produced by the go command run from the user's package with
// `-gcflags=<import path>=-m=2 <import path>`: the build cache replays it on every later request.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompilerPos, RawRecord, Range } from '../model';
import { posKey } from '../parse/lines';
import { parseOutput } from '../parse/parse';
import type { PkgInfo } from './packages';

export class PackageOutput {
  /** Function key as the package names it (`Fprintln`, `(*pp).printArg`) → position of its declaration. */
  readonly decls = new Map<string, CompilerPos>();
  /** posKey(printed position) → records printed there. */
  readonly byPos = new Map<string, RawRecord[]>();
  readonly records: RawRecord[];
  private readonly texts = new Map<string, string | undefined>();
  private readonly resolved = new Map<string, string>();

  constructor(readonly info: PkgInfo, output: string, readonly cwd: string, readonly packages?: ReadonlyMap<string, PkgInfo>) {
    // Parsed as a successful build: a dependency that fails to build would fail the user's build first.
    this.records = parseOutput(output).records;
    for (const r of this.records) {
      if ((r.kind === 'can-inline' || r.kind === 'cannot-inline') && !this.decls.has(r.subject)) {
        this.decls.set(r.subject, r.pos);
      }
      const k = posKey(r.pos);
      const list = this.byPos.get(k);
      if (list) list.push(r); else this.byPos.set(k, [r]);
    }
  }

  /** The package a record of a multi-package output belongs to (by its `# pkg` header). */
  pkgOf(r: RawRecord): PkgInfo {
    const p = r.pkg?.replace(/ \[.*\]$/, '');
    return (p && this.packages?.get(p)) || this.info;
  }

  /**
   * A printed path as a file on disk. Absolute paths are kept; `./print.go` of a standard package is in
   * its directory; other relative paths are relative to where the go command ran, or (replayed output of
   * a build started elsewhere) to the package directory.
   */
  resolve(printed: string, info: PkgInfo = this.info): string {
    const memo = `${info.importPath}\0${printed}`;
    const hit = this.resolved.get(memo);
    if (hit !== undefined) return hit;
    let r = '';
    if (!printed.startsWith('<')) {
      if (path.isAbsolute(printed)) r = printed;
      else {
        const base = path.basename(printed);
        const candidates = [
          printed.startsWith('./') && info.goFiles.includes(base) ? path.join(info.dir, base) : '',
          ...(info.standard ? [path.resolve(info.dir, printed), path.resolve(this.cwd, printed)]
            : [path.resolve(this.cwd, printed), path.resolve(info.dir, printed)]),
          path.join(info.dir, base),
        ].filter(Boolean);
        r = candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
      }
    }
    this.resolved.set(memo, r);
    return r;
  }

  /** The text of a file of this output (read-only sources: GOROOT, the module cache). */
  text(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let t: string | undefined;
      try { t = fs.readFileSync(file, 'utf8'); } catch { t = undefined; }
      this.texts.set(file, t);
    }
    return this.texts.get(file);
  }

  /** A zero-width LSP range at a compiler position (byte column → UTF-16). */
  pointRange(file: string, line: number, col?: number): Range {
    const text = this.text(file);
    let character = 0;
    if (text !== undefined && col !== undefined) {
      const lineText = lineAt(text, line);
      character = Buffer.from(lineText, 'utf8').subarray(0, col - 1).toString('utf8').length;
    }
    return { start: { line: line - 1, character }, end: { line: line - 1, character } };
  }
}

function lineAt(text: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const i = text.indexOf('\n', start);
    if (i < 0) return '';
    start = i + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}
