// What the go command knows about the packages a user's package depends on: import path, name, directory,
// module version, imports. One `go list -deps` per package directory and build flags, run from the user's
// package so versions, build tags and vendoring are the ones its build uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnTracked } from '../run/spawn';

export interface PkgInfo {
  importPath: string;
  name: string;
  dir: string;
  /** `path@version` for module-cache packages; `path` for the main module and local replacements. */
  module?: string;
  /** True for the main module (and workspace modules): their outputs change as the user edits. */
  main: boolean;
  standard: boolean;
  imports: string[];
  goFiles: string[];
}

export interface GoQuery {
  /** The user's package directory: every go command runs here. */
  dir: string;
  goCommand?: string;
  env?: Record<string, string>;
  buildFlags?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

const FORMAT = '{{.ImportPath}}\t{{.Name}}\t{{.Dir}}\t{{if .Module}}{{.Module.Path}}@{{.Module.Version}}\t{{.Module.Main}}{{else}}\t{{end}}'
  + '\t{{.Standard}}\t{{join .Imports " "}}\t{{join .GoFiles " "}}';

/** Build flags that change which files or packages are selected (tags, mod, vendoring); others do not matter to `go list`. */
function listFlags(buildFlags: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < buildFlags.length; i++) {
    const f = buildFlags[i];
    if (/^--?(tags|mod|modfile|race|msan|asan|cover|trimpath)(=|$)/.test(f)) {
      out.push(f);
      if (/^--?(tags|mod|modfile)$/.test(f) && i + 1 < buildFlags.length) out.push(buildFlags[++i]);
    }
  }
  return out;
}

export async function listDeps(q: GoQuery, target = '.'): Promise<Map<string, PkgInfo>> {
  // Through the one process registry (core/run/spawn.ts): its own group, a deadline, ended on every way out.
  const r = await spawnTracked(q.goCommand || 'go', ['list', '-e', '-deps', '-f', FORMAT, ...listFlags(q.buildFlags), target], {
    cwd: q.dir, env: q.env, timeoutMs: q.timeoutMs ?? 60_000, signal: q.signal, what: 'go list',
  });
  if (r.exitCode !== 0 && !r.stdout) throw new Error(`go list failed: ${r.stderr.trim().split('\n')[0]}`);
  const out = new Map<string, PkgInfo>();
  for (const line of String(r.stdout).split('\n')) {
    const f = line.split('\t');
    if (f.length < 8 || !f[0]) continue;
    const [importPath, name, dir, mod, main, standard, imports, files] = f;
    const info: PkgInfo = {
      importPath, name, dir, main: main === 'true', standard: standard === 'true',
      imports: imports ? imports.split(' ') : [], goFiles: files ? files.split(' ') : [],
    };
    if (mod) info.module = mod.replace(/@$/, '');
    out.set(importPath, info);
  }
  return out;
}

/** `go env GOVERSION`: the key under which standard-library outputs are cached. */
export async function goVersion(q: GoQuery): Promise<string> {
  const r = await spawnTracked(q.goCommand || 'go', ['env', 'GOVERSION', 'GOROOT'], { cwd: q.dir, env: q.env, timeoutMs: q.timeoutMs ?? 30_000 })
    .catch(() => undefined);
  return (r?.stdout ?? '').trim().replace(/\n/g, ' ');
}

/** Changes whenever a file of the package changes: the cache key of main-module packages, which have no version. */
export function filesStamp(info: PkgInfo): string {
  return info.goFiles.map((f) => {
    try { const s = fs.statSync(path.join(info.dir, f)); return `${f}:${s.size}:${s.mtimeMs}`; } catch { return `${f}:-`; }
  }).join(',');
}
