// The one runner of `go tool pprof`: the heap profile's per-line listing (heapProfile.ts) is its text
// output, read with the user's go command. (Benchmark measurement decodes its profiles itself: profileProto.ts.)
import { spawnTracked } from '../run/spawn';

export interface PprofOptions {
  env?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBuffer?: number;
}

/** What `go tool pprof ARGS FILE` prints; throws with pprof's last line of stderr when it fails. */
export async function runPprof(goCommand: string, args: readonly string[], file: string, options: PprofOptions = {}): Promise<string> {
  const r = await spawnTracked(goCommand, ['tool', 'pprof', ...args, file], {
    env: options.env, signal: options.signal, timeoutMs: options.timeoutMs ?? 120_000, maxBuffer: options.maxBuffer, what: 'go tool pprof',
  });
  if (r.exitCode !== 0) throw new Error(`go tool pprof could not read ${file}: ${r.stderr.trim().split('\n').pop()}`);
  return r.stdout;
}
