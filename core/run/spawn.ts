// Starts every external process of the program (go build, go list, go env, gofmt, go tool pprof) the
// same way: an argument array (never a shell), its own process group registered in processes.ts, one
// deadline and one AbortSignal that end the whole group. Nothing we start outlives its deadline, its
// cancellation or our own process.
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { execa, type Options } from 'execa';
import { timerMs, treeSpawnOptions } from '../platform';
import { goTempDir, killTree, onEndAll, removeGoTempDir, trackTree } from './processes';

import { CancelledError } from '../util/cancel';
export { CancelledError };
export class TimeoutError extends Error {
  constructor(readonly ms: number, what = 'the go command') { super(`${what} did not finish within ${Math.round(ms / 1000)} s`); }
}
/**
 * The go command (or the helper it builds) cannot run in this environment: the directory to run it in is
 * gone, or there is nowhere to build the helper. Not a missing go; the CLI's exit 4 as such.
 */
export class GoEnvironmentError extends Error {}

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
  /** With onOutput: the output goes there only, and is not kept (`stdout`, `stderr` and `all` are empty). */
  onlyOnOutput?: boolean;
  /** With `all`: stdout is kept apart, in `stdout` only (never in `all`, never given to onOutput). */
  stdoutApart?: boolean;
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
  /** The bytes of `all` (or, without it, stdout) as they came, not decoded: compared without a copy as text. */
  raw(): readonly Buffer[];
}

/** Runs `command args` to completion; throws CancelledError or TimeoutError (after ending its tree). */
export async function spawnTracked(command: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> {
  if (opts.signal?.aborted) throw new CancelledError();
  // go's temporary files in a dir of ours, removed below once the whole group has ended: a cancelled or
  // timed-out build leaves nothing (go removes its $WORK only when it ends by itself). A caller's own
  // GOTMPDIR is kept; where no temp dir can be made, go's own choice stands.
  const goTmp = opts.env?.GOTMPDIR === undefined ? tryGoTempDir() : undefined;
  const options: Options = {
    cwd: opts.cwd,
    env: goTmp === undefined ? opts.env : { ...opts.env, GOTMPDIR: goTmp },
    extendEnv: true,
    reject: false,
    // The output is collected below as raw chunks and decoded once: execa's own buffering decodes through
    // async generators, slow on a big compile output (and kept go waiting on a full pipe).
    buffer: false,
    // Own process group (POSIX): ending it ends the compile and link processes the go command started.
    ...treeSpawnOptions(),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  };
  let child;
  try {
    child = execa(command, [...args], options);
  } catch (e) {
    if (goTmp !== undefined) removeGoTempDir(goTmp);
    throw e;
  }
  opts.onStderr?.(child.stderr);
  const output = collectOutput(child.stdout, child.stderr, opts);
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
  // Past maxBuffer nothing more is kept: the group ends, and the caller is told the output was too large.
  output.onTooLarge = abandon;
  const timer = setTimeout(() => { timedOut = true; abandon(); }, timerMs(opts.timeoutMs));
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
    // The leader has exited and its group has been ended ('exit' above, or killTree): nothing writes here now.
    if (goTmp !== undefined) { if (!exited) killTree(child.pid); removeGoTempDir(goTmp); }
  }
  if (cancelled) throw new CancelledError();
  if (timedOut) throw new TimeoutError(opts.timeoutMs, opts.what);
  const r = result as typeof result & { code?: string };
  // The operating system says ENOENT for a missing working directory too: that is not a missing command.
  if (r.code === 'ENOENT' && opts.cwd !== undefined && !isDirectory(opts.cwd)) {
    throw new GoEnvironmentError(`cannot run ${command}: the directory ${opts.cwd} does not exist`);
  }
  await output.ended;
  output.detach();
  const out = { exitCode: r.exitCode ?? 1, notFound: r.code === 'ENOENT', tooLarge: output.tooLarge, raw: () => output.raw() } as SpawnResult;
  // Each text is decoded when first asked, then kept on the result itself: a caller of `all` never pays
  // for a second copy of megabytes in `stderr`, and nothing but the result holds what it decoded.
  for (const k of ['stdout', 'stderr', 'all'] as const) lazyProperty(out, k, () => output.text(k));
  return out;
}

function tryGoTempDir(): string | undefined {
  try { return goTempDir(); } catch { return undefined; }
}

/**
 * `obj[key]` computed when first read, then an ordinary property holding that value (nothing else keeps
 * it); an assignment before any read replaces it without computing it.
 */
export function lazyProperty<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  const settle = (value: T[K]): T[K] => {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(obj, key, { get: () => settle(compute()), set: settle, enumerable: true, configurable: true });
}

interface Collected {
  /** Both streams ended (or were destroyed). */
  ended: Promise<void>;
  tooLarge: boolean;
  onTooLarge?: () => void;
  /** The stream's (or, for `all`, both streams') whole text, decoded now. */
  text(k: 'stdout' | 'stderr' | 'all'): string;
  /** `all`'s chunks (stdout's without it). */
  raw(): readonly Buffer[];
  /** Removes the listeners from the streams (which may outlive the run): the chunks then belong to the result alone. */
  detach(): void;
}

/**
 * Keeps the raw chunks of stdout and stderr (and, with `all`, their interleaving in arrival order) and
 * decodes each text once at the end; `onOutput` sees the decoded text as it comes.
 */
function collectOutput(stdout: Readable | null, stderr: Readable | null, opts: SpawnOptions): Collected {
  const max = opts.maxBuffer ?? 256 * 1024 * 1024;
  const chunks: { out: Buffer[]; err: Buffer[]; all: Buffer[] } = { out: [], err: [], all: [] };
  const size = { out: 0, err: 0, all: 0 };
  const c: Collected = {
    ended: Promise.resolve(),
    tooLarge: false,
    detach: () => {},
    raw: () => (opts.all ? chunks.all : chunks.out),
    text: (k) => {
      const list = k === 'stdout' ? chunks.out : k === 'stderr' ? chunks.err : opts.all ? chunks.all : [];
      return list.length === 1 ? list[0].toString('utf8') : Buffer.concat(list).toString('utf8');
    },
  };
  const watched = opts.all ? (opts.stdoutApart ? [stderr] : [stdout, stderr]) : [stdout];
  const ends: Promise<void>[] = [];
  const listeners: [Readable, (data: Buffer | string) => void][] = [];
  c.detach = () => {
    for (const [stream, l] of listeners) stream.off('data', l);
    c.onTooLarge = undefined;
  };
  const decoders: StringDecoder[] = [];
  for (const [stream, key] of [[stdout, 'out'], [stderr, 'err']] as const) {
    if (!stream) continue;
    const see = opts.onOutput && watched.includes(stream) ? opts.onOutput : undefined;
    // A multi-byte character may be split between two chunks of a stream: its decoder holds its first bytes back.
    const decoder = new StringDecoder('utf8');
    if (see) decoders.push(decoder);
    const inAll = opts.all && watched.includes(stream);
    const onData = (data: Buffer | string): void => {
      if (c.tooLarge) return;
      const b = typeof data === 'string' ? Buffer.from(data) : data;
      size[key] += b.length;
      if (inAll) size.all += b.length;
      if (size[key] > max || size.all > max) {
        c.tooLarge = true;
        c.onTooLarge?.();
        return;
      }
      // A caller that keeps what it needs as it comes saves the bytes of the whole output.
      if (!(see && opts.onlyOnOutput)) {
        chunks[key].push(b);
        if (inAll) chunks.all.push(b);
      }
      if (see) { const s = decoder.write(b); if (s) see(s); }
    };
    stream.on('data', onData);
    listeners.push([stream, onData]);
    ends.push(new Promise<void>((resolve) => { stream.once('close', resolve); stream.once('end', resolve); stream.once('error', () => resolve()); }));
  }
  c.ended = Promise.all(ends).then(() => {
    if (c.tooLarge) return;
    for (const d of decoders) { const s = d.end(); if (s) opts.onOutput!(s); }
  });
  return c;
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}
