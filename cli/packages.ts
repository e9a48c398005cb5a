// Expands the CLI's targets into package directories: `dir` as is, `dir/...` through `go list`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { GoNotFoundError } from '../core/run/runGo';
import { UsageError } from './args';
import { HOST, type Platform } from '../core/platform';
import { watchDownloads, type DownloadNotice } from '../core/run/downloads';

export async function packageDirs(
  targets: string[], cwd: string, goCommand: string, env?: Record<string, string>, onDownload?: (n: DownloadNotice) => void,
): Promise<string[]> {
  const dirs: string[] = [];
  for (const t of targets) {
    const recursive = recursivePattern(t);
    if (recursive !== undefined) {
      const root = path.resolve(cwd, recursive);
      if (!isDir(root)) throw new UsageError(`not a directory: ${root}`);
      const child = execa(goCommand, ['list', '-e', '-f', '{{.Dir}}', './...'], { cwd: root, env, reject: false, stdin: 'ignore' });
      // The first go command in a module with a newer `toolchain` line downloads it: this one.
      if (onDownload) watchDownloads(child.stderr, onDownload);
      const r = await child;
      if ((r as { code?: string }).code === 'ENOENT') throw new GoNotFoundError(goCommand);
      if (r.exitCode !== 0 && !r.stdout) throw new UsageError(`go list ./... in ${root} failed:\n${r.stderr.trim()}`);
      dirs.push(...r.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
    } else {
      const dir = path.resolve(cwd, t);
      if (!isDir(dir)) throw new UsageError(`not a directory: ${dir}`);
      dirs.push(dir);
    }
  }
  return [...new Set(dirs)];
}

/** The directory of a `dir/...` target (also `dir\...` on Windows), or undefined for a plain directory. */
export function recursivePattern(t: string, plat: Platform = HOST): string | undefined {
  if (t === '...') return '.';
  if (t.endsWith('/...') || (plat.windows && t.endsWith('\\...'))) return t.slice(0, -4) || plat.path.sep;
  return undefined;
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}
