// Maps a path as the compiler printed it to a file on disk. Relative paths are relative to the directory
// the go command ran in, except when the go command replays cached output of a build started elsewhere
// (or built with -trimpath): then the printed path ends with the file's name in the package directory.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Paths that never name a user file: wrappers and the generated test main. */
export function isSynthetic(printed: string): boolean {
  return printed.startsWith('<') || path.basename(printed) === '_testmain.go';
}

export class PathResolver {
  private readonly memo = new Map<string, string | undefined>();

  constructor(private readonly cwd: string, private readonly exists: (p: string) => boolean = fs.existsSync) {}

  resolve(printed: string): string | undefined {
    if (this.memo.has(printed)) return this.memo.get(printed);
    const r = this.compute(printed);
    this.memo.set(printed, r);
    return r;
  }

  private compute(printed: string): string | undefined {
    if (isSynthetic(printed)) return undefined;
    const direct = path.resolve(this.cwd, printed);
    if (this.exists(direct)) return direct;
    const inPkg = path.join(this.cwd, path.basename(printed));
    if (this.exists(inPkg)) return inPkg;
    // A //line directive's name, or a file that is gone: keep the path so the user sees where it points.
    return direct;
  }
}
