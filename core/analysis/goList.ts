// What the go command says about the packages being analysed, asked beside the compile: where they are
// (findings elsewhere are foreign generic code) and GOROOT (to look up standard-library types).
import { goEnvOnce } from '../run/goEnv';
import type { RunOptions } from '../run/runGo';
import { spawnTracked } from '../run/spawn';
import { watchDownloads } from '../run/downloads';

export interface ListedPackage { importPath: string; dir: string }

/** `go env GOROOT` of the go command: per module too, as a go.mod `toolchain` line (GOTOOLCHAIN=auto) selects another Go. */
export function gorootOf(opts: RunOptions): Promise<string | undefined> {
  return goEnvOnce(opts, 'GOROOT', true).answer.then((v) => v || undefined);
}

/** The directories of the packages `opts.packages` names (`go list`), or undefined when that fails. */
export async function listPackages(opts: RunOptions): Promise<ListedPackage[] | undefined> {
  const r = await spawnTracked(opts.goCommand || 'go', ['list', '-e', '-f', '{{.ImportPath}}\t{{.Dir}}', ...(opts.buildFlags ?? []).filter((f) => /^-?-tags(=|$)/.test(f)), ...opts.packages!], {
    cwd: opts.dir, env: opts.env, timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal, what: 'go list',
    onStderr: opts.onDownload && ((s) => watchDownloads(s, opts.onDownload!)),
  }).catch(() => undefined);
  if (!r || r.exitCode !== 0) return undefined;
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const tab = l.indexOf('\t');
    return { importPath: l.slice(0, tab), dir: l.slice(tab + 1) };
  });
}
