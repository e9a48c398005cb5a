// Starts every external process of the program (go build, go list, go env, gofmt, go tool pprof) the
// same way: an argument array (never a shell), its own process group registered in processes.ts, one
// deadline and one AbortSignal that end the whole group. Nothing we start outlives its deadline, its
// cancellation or our own process.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { execa, type Options } from 'execa';
import { treeSpawnOptions } from '../platform';
import { killTree, onEndAll, trackTree } from './processes';

export class CancelledError extends Error {
  constructor() { super('analysis cancelled'); }
}
export class TimeoutError extends Error {
  constructor(readonly ms: number, what = 'the go command') { super(`${what} did not finish within ${Math.round(ms / 1000)} s`); }
}

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Text written to stdin; stdin is closed (ignored) otherwise. */
  input?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBuffer?: number;
  /** Interleave stdout and stderr in `all`. */
  all?: boolean;
  /** Names the process in a timeout message (default: the go command). */
  what?: string;
  /** Sees stderr as it comes (toolchain download notices). */
  onStderr?: (stderr: Readable | null) => void;
  /**
   * Sees the output (`all` when interleaved, else stdout) as it comes, decoded: a caller can start on
   * the first packages of a long build while the go command compiles the rest. The result still holds it all.
   */
  onOutput?: (chunk: string) => void;
}

export interface SpawnResult {
  stdout: string;
  stderr: string;
  all: string;
  exitCode: number;
  /** The command was not found. */
  notFound: boolean;
  /** Output exceeded maxBuffer. */
  tooLarge: boolean;
}

/** Runs `command args` to completion; throws CancelledError or TimeoutError (after ending its tree). */
export async function spawnTracked(command: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  if (opts.signal?.aborted) throw new CancelledError();
  const options: Options = {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: true,
    reject: false,
    stripFinalNewline: false,
    all: opts.all ?? false,
    maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
    // Own process group (POSIX): ending it ends the compile and link processes the go command started.
    ...treeSpawnOptions(),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  };
  const child = execa(command, [...args], options);
  opts.onStderr?.(child.stderr);
  if (opts.onOutput) {
    const stream = opts.all ? child.all : child.stdout;
    // A multi-byte character may be split between two chunks: the decoder holds its first bytes back.
    const decoder = new StringDecoder('utf8');
    const onOutput = opts.onOutput;
    stream?.on('data', (b: Buffer | string) => { const s = typeof b === 'string' ? b : decoder.write(b); if (s) onOutput(s); });
    stream?.on('end', () => { const s = decoder.end(); if (s) onOutput(s); });
  }
  const untrack = trackTree(child.pid);
  let exited = false;
  // When the leader exits, whatever it left in its group ends too: such a child would otherwise keep our
  // output pipes open (so we would wait for it) and outlive us. The group id is not reused while a member
  // lives; once the group is gone its id may be, so nothing signals it after this.
  child.once('exit', () => {
    if (process.platform !== 'win32') killTree(child.pid);
    exited = true;
    untrack();
  });
  const end = (): void => { if (!exited) killTree(child.pid); };
  let timedOut = false;
  let cancelled = false;
  // A process that left our group (setsid) may still hold our pipes: stop waiting for them.
  const abandon = (): void => { end(); for (const stream of [child.stdout, child.stderr]) stream?.destroy(); };
  const timer = setTimeout(() => { timedOut = true; abandon(); }, opts.timeoutMs);
  // endAll (any way out, or the CLI done) abandons whatever is still running, so nothing keeps us alive.
  const unregister = onEndAll(abandon);
  const onAbort = (): void => { cancelled = true; end(); };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let result;
  try {
    result = await child;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    unregister();
    untrack();
  }
  if (cancelled) throw new CancelledError();
  if (timedOut) throw new TimeoutError(opts.timeoutMs, opts.what);
  const r = result as typeof result & { code?: string; isMaxBuffer?: boolean };
  return {
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    all: String(r.all ?? ''),
    exitCode: r.exitCode ?? 1,
    notFound: r.code === 'ENOENT',
    tooLarge: r.isMaxBuffer === true,
  };
}
