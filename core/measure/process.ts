// One child process for measuring: an argument array, its own process group (so cancelling ends what it
// started), a timeout, an AbortSignal. The errors are the go runner's, so adapters handle one set.
import { execa } from 'execa';
import { CancelledError, GoNotFoundError, TimeoutError } from '../run/runGo';
import { killProcessTree, treeSpawnOptions } from '../platform';

export interface ProcessOptions { cwd: string; env?: Record<string, string>; timeoutMs: number; signal?: AbortSignal }

export async function runProcess(command: string, args: string[], opts: ProcessOptions): Promise<{ output: string; exitCode: number }> {
  if (opts.signal?.aborted) throw new CancelledError();
  const child = execa(command, args, {
    cwd: opts.cwd, env: opts.env, extendEnv: true, stdin: 'ignore', all: true, reject: false,
    maxBuffer: 64 * 1024 * 1024, ...treeSpawnOptions(), cleanup: true,
  });
  let timedOut = false;
  let cancelled = false;
  const kill = (): void => killProcessTree(child.pid);
  const timer = setTimeout(() => { timedOut = true; kill(); }, opts.timeoutMs);
  const onAbort = (): void => { cancelled = true; kill(); };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let r;
  try {
    r = await child;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (cancelled) throw new CancelledError();
  if (timedOut) throw new TimeoutError(opts.timeoutMs);
  if ((r as { code?: string }).code === 'ENOENT') throw new GoNotFoundError(command);
  return { output: String(r.all ?? ''), exitCode: r.exitCode ?? 1 };
}
