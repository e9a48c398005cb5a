// Expands the CLI's targets into package directories: `dir` as is, `dir/...` through `go list`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GoNotFoundError } from '../core/run/runGo';
import { spawnTracked } from '../core/run/spawn';
import { UsageError } from './args';
import { HOST, type Platform } from '../core/platform';
import { watchDownloads, type DownloadNotice } from '../core/run/downloads';

export interface ListLimits {
  /** The deadline of each go process, and the cancellation every process of the run shares. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function packageDirs(
  targets: string[], cwd: string, goCommand: string, limits: ListLimits, env?: Record<string, string>, onDownload?: (n: DownloadNotice) => void,
  /** Filled with each listed directory's import path, so a later analysis need not ask `go list` again. */
  importPaths?: Map<string, string>,
): Promise<string[]> {
  const dirs: string[] = [];
  for (const t of targets) {
    const recursive = recursivePattern(t);
    if (recursive !== undefined) {
      const root = path.resolve(cwd, recursive);
      if (!isDir(root)) throw new UsageError(`not a directory: ${root}`);
      // The first go command in a module with a newer `toolchain` line downloads it: this one.
      const r = await spawnTracked(goCommand, ['list', '-e', '-f', '{{.ImportPath}}\t{{.Dir}}', './...'], {
        cwd: root, env, ...limits, what: 'go list', onStderr: onDownload && ((s) => watchDownloads(s, onDownload)),
      });
      if (r.notFound) throw new GoNotFoundError(goCommand);
      if (r.exitCode !== 0 && !r.stdout) throw new UsageError(`go list ./... in ${root} failed:\n${r.stderr.trim()}`);
      for (const line of r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
        const tab = line.indexOf('\t');
        const dir = line.slice(tab + 1);
        importPaths?.set(dir, line.slice(0, tab));
        dirs.push(dir);
      }
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
