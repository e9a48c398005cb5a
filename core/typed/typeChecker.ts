// The goast helper in its -types mode (core/gohelper/goast/types.go): one long-lived process per toolchain,
// requests answered in order, one line of JSON each way. The process keeps the last packages it checked,
// so a second question about the same texts costs no second check. A request that times out or is
// cancelled ends the process (go/types cannot be interrupted); the next request starts a new one. Every
// process ends when this one does (core/run/processes.ts).
import * as fs from 'node:fs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ensureHelper, type Toolchain } from '../gohelper/goHelper';
import { onEndAll } from '../run/processes';
import { CancelledError } from '../util/cancel';
import { TimeoutError } from '../run/spawn';
import type { WireTable } from './typedFacts';

export interface CheckRequest {
  op: 'check' | 'implements';
  /** Identifies the texts, build and toolchain: the helper keeps checked packages by it. */
  key: string;
  importPath: string;
  files: { path: string; text?: string }[];
  exports: Record<string, string>;
  importMap: Record<string, string>;
  goarch: string;
  iface?: { pkg: string; name: string } | { file: string; at: number };
}

export interface WireImpls {
  interface: string;
  types: { type: string; pointer: boolean }[];
  packages: number;
}

export interface CheckResponse {
  error?: string;
  errors?: string[];
  missing?: string[];
  facts?: WireTable;
  impls?: WireImpls;
}

interface Pending { resolve(r: CheckResponse): void; reject(e: Error): void }

export class TypeChecker {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending: Pending[] = [];
  private parts: string[] = [];
  private stderr = '';

  constructor(readonly toolchain: Toolchain) {}

  /** Asks the helper; rejects with TimeoutError or CancelledError, after ending the helper process. */
  async ask(req: CheckRequest, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<CheckResponse> {
    if (opts.signal?.aborted) throw new CancelledError();
    const bin = await ensureHelper(this.toolchain);
    if (opts.signal?.aborted) throw new CancelledError();
    const child = this.process(bin);
    const line = `${JSON.stringify(req)}\n`;
    return new Promise<CheckResponse>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (this.pending.length === 0 && this.child) ref(this.child.stdout, false);
        f();
      };
      const entry: Pending = {
        resolve: (r) => settle(() => resolve(r)),
        reject: (e) => settle(() => reject(e)),
      };
      const stop = (e: Error): void => {
        // The answer will never be wanted: this process is ended, and every request queued behind it fails.
        entry.reject(e);
        if (this.child === child) this.close();
      };
      const timer = setTimeout(() => stop(new TimeoutError(opts.timeoutMs, 'the Go type checker')), opts.timeoutMs);
      const onAbort = (): void => stop(new CancelledError());
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.push(entry);
      ref(child.stdout, true);
      child.stdin.write(line);
    });
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    if (child) { child.stdin.end(); child.kill(); }
    this.fail(new Error('the Go type checker was stopped'));
  }

  private process(bin: string): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    if (!fs.existsSync(bin)) throw new Error(`the Go helper ${bin} is missing`);
    const child = spawn(bin, ['-types'], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child = child;
    this.parts = [];
    this.stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => this.onData(s));
    child.stderr.on('data', (b: Buffer) => { this.stderr = (this.stderr + b.toString()).slice(-2000); });
    child.stdin.on('error', () => { /* reported through 'exit' */ });
    child.on('error', (e) => { if (this.child === child) this.child = undefined; this.fail(e); });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.fail(new Error(`the Go type checker exited (${signal ?? code}): ${this.stderr.trim()}`));
    });
    // An idle helper must not keep the CLI alive: only pending requests hold the event loop.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) ref(s, false);
    return child;
  }

  private onData(s: string): void {
    // Only the new chunk is searched for the end of a line: an answer for a big package is megabytes.
    let from = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', from)) {
      this.parts.push(s.slice(from, nl));
      const line = this.parts.join('');
      this.parts = [];
      from = nl + 1;
      const p = this.pending.shift();
      if (!p) continue;
      try { p.resolve(JSON.parse(line) as CheckResponse); } catch (e) { p.reject(e as Error); }
    }
    if (from < s.length) this.parts.push(s.slice(from));
  }

  private fail(e: Error): void {
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}

/** Child pipes are sockets: unref'd, they do not keep this process alive. */
function ref(stream: object, on: boolean): void {
  const s = stream as { ref?(): void; unref?(): void };
  if (on) s.ref?.(); else s.unref?.();
}

// One registry per process, even when several bundles of this code are loaded into it: one helper
// process per toolchain, ended on every way out.
const REGISTRY = Symbol.for('go-escape-lens.typeCheckers');
type Registry = Map<string, TypeChecker>;

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  if (!g[REGISTRY]) {
    const checkers: Registry = new Map();
    g[REGISTRY] = checkers;
    const closeAll = (): void => { for (const c of checkers.values()) c.close(); checkers.clear(); };
    process.once('exit', closeAll);
    onEndAll(closeAll);
  }
  return g[REGISTRY];
}

/** The type checker of one toolchain, shared by everything in this process. */
export function typeChecker(toolchain: Toolchain = {}): TypeChecker {
  const key = JSON.stringify([toolchain.goCommand || 'go', toolchain.env ?? {}]);
  const checkers = registry();
  let c = checkers.get(key);
  if (!c) checkers.set(key, c = new TypeChecker({ goCommand: toolchain.goCommand || 'go', env: toolchain.env }));
  return c;
}

/** Ends every type checker process (also done when this process exits). */
export function closeTypeCheckers(): void {
  const checkers = registry();
  for (const c of checkers.values()) c.close();
  checkers.clear();
}
