// Maps a path as the compiler printed it to a file on disk. Relative paths are relative to the directory
// the go command ran in, except when the go command replays cached output of a build started elsewhere
// (or built with -trimpath): then the printed path ends with the file's name in the package directory.
// Path semantics come from the platform (win32 on Windows, also when tests inject it on Linux).
import * as fs from 'node:fs';
import { HOST, normalizePath, type Platform } from '../platform';

/** Paths that never name a user file: wrappers and the generated test main. */
export function isSynthetic(printed: string, plat: Platform = HOST): boolean {
  return printed.startsWith('<') || plat.path.basename(printed) === '_testmain.go';
}

export class PathResolver {
  private readonly memo = new Map<string, string | undefined>();

  constructor(
    private readonly cwd: string,
    private readonly exists: (p: string) => boolean = fs.existsSync,
    private readonly plat: Platform = HOST,
    /**
     * The directory the go command ran in, when cwd is one package's directory of a several-package
     * build: the go command prints a path with a directory (`./a/a.go`, `../sync/oncefunc.go`) relative to
     * where it ran, so such a path is looked up there first.
     */
    private readonly goDir?: string,
  ) {}

  /** The directory of a resolved path, in the platform's path semantics. */
  dirname(file: string): string {
    return this.plat.path.dirname(file);
  }

  resolve(printed: string): string | undefined {
    if (this.memo.has(printed)) return this.memo.get(printed);
    const r = this.compute(printed);
    this.memo.set(printed, r);
    return r;
  }

  private compute(printed: string): string | undefined {
    if (isSynthetic(printed, this.plat)) return undefined;
    const p = this.plat.path;
    if (this.goDir !== undefined && !p.isAbsolute(printed) && /[\\/]/.test(printed.replace(/^\.[\\/]/, ''))) {
      const fromGo = normalizePath(p.resolve(this.goDir, printed), this.plat);
      if (this.exists(fromGo)) return fromGo;
    }
    // One spelling per file (drive letter case, separators), as the editor's URIs give it.
    const direct = normalizePath(p.resolve(this.cwd, printed), this.plat);
    if (this.exists(direct)) return direct;
    const inPkg = normalizePath(p.join(this.cwd, p.basename(printed)), this.plat);
    if (this.exists(inPkg)) return inPkg;
    // A //line directive's name, or a file that is gone: keep the path so the user sees where it points.
    return direct;
  }
}
