// Expands the CLI's targets into package directories: `dir` as is, `dir/...` through `go list`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GoNotFoundError } from '../core/run/runGo';
import { spawnTracked } from '../core/run/spawn';
import { UsageError } from './args';
import { HOST, type Platform } from '../core/platform';
import { watchDownloads, type DownloadNotice } from '../core/run/downloads';

/**
 * The go command could not list a `dir/...` target's packages (a go.mod asking for a newer Go, a go.work
 * that does not list the module, an unwritable GOCACHE): go's own words, and the exit status of a package
 * that does not build.
 */
export class ListError extends Error {}

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
      if (!isDirectory(root)) throw new UsageError(`not a directory: ${root}`);
      // The first go command in a module with a newer `toolchain` line downloads it: this one.
      // A pattern go cannot resolve to a directory (with -e, go says why in .Error, not on stderr).
      const r = await spawnTracked(goCommand, ['list', '-e', '-f', '{{.ImportPath}}\t{{.Dir}}{{if not .Dir}}\t{{with .Error}}{{.Err}}{{end}}{{end}}', './...'], {
        cwd: root, env, ...limits, what: 'go list', onStderr: onDownload && ((s) => watchDownloads(s, onDownload)),
      });
      if (r.notFound) throw new GoNotFoundError(goCommand);
      const listed = parseList(r.stdout);
      const unresolved = listed.filter((p) => !p.dir);
      if ((r.exitCode !== 0 && listed.length === 0) || unresolved.length > 0) {
        const why = [r.stderr.trim(), ...unresolved.map((p) => p.error || `${p.importPath}: no directory`)].filter(Boolean).join('\n');
        throw new ListError(`go list ./... in ${root} failed:\n${why}`);
      }
      for (const p of listed) {
        importPaths?.set(p.dir, p.importPath);
        dirs.push(p.dir);
      }
    } else {
      const dir = path.resolve(cwd, t);
      if (!isDirectory(dir)) throw new UsageError(`not a directory: ${dir}`);
      dirs.push(dir);
    }
  }
  return [...new Set(dirs)];
}

/** `go list` lines `IMPORTPATH\tDIR` (or `IMPORTPATH\t\tERROR`, whose error may go on over more lines). */
function parseList(out: string): { importPath: string; dir: string; error: string }[] {
  const listed: { importPath: string; dir: string; error: string }[] = [];
  for (const line of out.split('\n')) {
    const [importPath, dir, error] = line.split('\t');
    if (dir !== undefined) listed.push({ importPath: importPath.trim(), dir: dir.trim(), error: (error ?? '').trim() });
    else if (line.trim() && listed.length) listed[listed.length - 1].error += `\n${line.trim()}`;
  }
  return listed;
}

/** The directory of a `dir/...` target (also `dir\...` on Windows), or undefined for a plain directory. */
export function recursivePattern(t: string, plat: Platform = HOST): string | undefined {
  if (t === '...') return '.';
  if (t.endsWith('/...') || (plat.windows && t.endsWith('\\...'))) return t.slice(0, -4) || plat.path.sep;
  return undefined;
}

export function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}
