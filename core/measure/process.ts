// One child process for measuring: an argument array, its own process group (so cancelling ends what it
// started), a timeout, an AbortSignal. The errors are the go runner's, so adapters handle one set.
import { GoNotFoundError } from '../run/runGo';
import { spawnTracked } from '../run/spawn';

export interface ProcessOptions { cwd: string; env?: Record<string, string>; timeoutMs: number; signal?: AbortSignal }

/** Through the one process registry (core/run/processes.ts): ended on every way out of the program. */
export async function runProcess(command: string, args: string[], opts: ProcessOptions): Promise<{ output: string; exitCode: number }> {
  const r = await spawnTracked(command, args, { ...opts, all: true, maxBuffer: 64 * 1024 * 1024, what: command });
  if (r.notFound) throw new GoNotFoundError(command);
  return { output: r.all, exitCode: r.exitCode };
}
