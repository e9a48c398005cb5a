// The goast helper in its -types mode (core/gohelper/goast/types.go): one long-lived process per toolchain,
// requests answered in order, one line of JSON each way. The process keeps the last packages it checked,
// so a second question about the same texts costs no second check. A request that times out or is
// cancelled ends the process (go/types cannot be interrupted); the next request starts a new one. Every
// process ends when this one does (core/run/processes.ts).
import * as fs from 'node:fs';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { ensureHelper, type Toolchain } from '../gohelper/goHelper';
import { holdOpen, perToolchain, startHelper, stopHelper } from '../gohelper/helperProcesses';
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
  /** The packages searched: the checked one, its imports and theirs (as far as export data names them). */
  packages: string[];
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
  private bin: string | undefined;
  private parts: string[] = [];

  constructor(readonly toolchain: Toolchain) {}

  /** Asks the helper; rejects with TimeoutError or CancelledError, after ending the helper process. */
  async ask(req: CheckRequest, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<CheckResponse> {
    if (opts.signal?.aborted) throw new CancelledError();
    // Built (or found) once per toolchain; again if the cached binary was removed meanwhile.
    if (this.bin && !this.child && !fs.existsSync(this.bin)) this.bin = undefined;
    this.bin ??= await ensureHelper(this.toolchain);
    const bin = this.bin;
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
        if (this.pending.length === 0 && this.child) holdOpen(this.child.stdout, false);
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
      holdOpen(child.stdout, true);
      child.stdin.write(line);
    });
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    stopHelper(child);
    this.fail(new Error('the Go type checker was stopped'));
  }

  private process(bin: string): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    if (!fs.existsSync(bin)) throw new Error(`the Go helper ${bin} is missing`);
    const child = startHelper(bin, ['-types'], (how, stderr) => {
      if (this.child === child) this.child = undefined;
      this.fail(how.error ?? new Error(`the Go type checker exited (${how.exit}): ${stderr}`));
    });
    this.child = child;
    this.parts = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => this.onData(s));
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

const checkers = perToolchain('typeCheckers', (t) => new TypeChecker(t));

/** The type checker of one toolchain, shared by everything in this process. */
export function typeChecker(toolchain: Toolchain = {}): TypeChecker {
  return checkers.get(toolchain);
}

/** Ends every type checker process (also done when this process exits). */
export function closeTypeCheckers(): void {
  checkers.closeAll();
}
