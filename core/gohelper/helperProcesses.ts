// What every long-lived helper process shares: one owner per toolchain (go command + environment) in this
// process, even when several bundles of this code are loaded into it (the test runner loads one per
// suite), each ended on every way out (process exit, and core/run/processes.ts's endAll); and pipes that
// keep this process alive only while a request is pending.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { onEndAll } from '../run/processes';
import type { Toolchain } from './goHelper';

export interface Closable { close(): void }

export interface PerToolchain<T extends Closable> {
  /** The owner of this toolchain, made on first use. */
  get(toolchain?: Toolchain): T;
  /** Closes and forgets every owner. */
  closeAll(): void;
}

/** One `T` per toolchain, registered globally under `name`. */
export function perToolchain<T extends Closable>(name: string, make: (t: Toolchain) => T): PerToolchain<T> {
  const key = Symbol.for(`go-escape-lens.${name}`);
  const g = globalThis as { [k: symbol]: Map<string, T> | undefined };
  let owners = g[key];
  if (!owners) {
    const made = new Map<string, T>();
    owners = g[key] = made;
    const closeAll = (): void => { for (const o of made.values()) o.close(); made.clear(); };
    process.once('exit', closeAll);
    onEndAll(closeAll);
  }
  const all = owners;
  return {
    get(toolchain = {}) {
      const goCommand = toolchain.goCommand || 'go';
      const id = JSON.stringify([goCommand, toolchain.env ?? {}]);
      let o = all.get(id);
      if (!o) all.set(id, o = make({ goCommand, env: toolchain.env }));
      return o;
    },
    closeAll() {
      for (const o of all.values()) o.close();
      all.clear();
    },
  };
}

/** Child pipes are sockets: unref'd, they do not keep this process alive. */
export function holdOpen(stream: object, on: boolean): void {
  const s = stream as { ref?(): void; unref?(): void };
  if (on) s.ref?.(); else s.unref?.();
}

/**
 * Starts a helper process that answers over its pipes. An idle helper must not keep the CLI alive, so its
 * pipes start unref'd (holdOpen them while a request is pending). `gone` is called once, when it fails to
 * start (`exit` undefined) or has exited, with the tail of what it wrote to stderr.
 */
export function startHelper(bin: string, args: readonly string[], gone: (how: { error?: Error; exit?: string }, stderr: string) => void): ChildProcessWithoutNullStreams {
  const child = spawn(bin, [...args], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-2000); });
  child.stdin.on('error', () => { /* reported through 'exit' */ });
  let reported = false;
  const report = (how: { error?: Error; exit?: string }): void => { if (!reported) { reported = true; gone(how, stderr.trim()); } };
  child.on('error', (error) => report({ error }));
  // 'close', not 'exit': by then all of stderr has been read.
  child.on('close', (code, signal) => report({ exit: String(signal ?? code) }));
  child.unref();
  for (const p of [child.stdin, child.stdout, child.stderr]) holdOpen(p, false);
  return child;
}

/** Ends a helper process: its input closed, then the process. */
export function stopHelper(child: ChildProcessWithoutNullStreams | undefined): void {
  if (child) { child.stdin.end(); child.kill(); }
}
