// Go syntax trees from the user's own toolchain: go/parser in the goast helper (see goHelper.ts), so the
// locator never lags behind the Go the user writes (tree-sitter's Go grammar failed on Go 1.24 generic
// aliases and Go 1.26 new(expr)). One long-lived helper process per toolchain answers requests in
// order over stdin/stdout; a synchronous fallback runs the helper once per file for callers that
// cannot wait. Every helper process ends when this process does.
import * as fs from 'node:fs';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ensureHelper, ensureHelperSync, type Toolchain } from '../gohelper/goHelper';
import { decodeTree, type SyntaxTree } from './syntaxTree';
import { onEndAll } from '../run/processes';

export type { Toolchain } from '../gohelper/goHelper';

interface Pending { text: string; resolve(t: SyntaxTree): void; reject(e: Error): void }

export class GoParser {
  private bin: string | undefined;
  private building: Promise<string> | undefined;
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private stderr = '';

  constructor(readonly toolchain: Toolchain = {}) {}

  /** Builds the helper if this toolchain has none yet (throws GoNotFoundError when go is missing). */
  ready(): Promise<string> {
    if (this.bin) return Promise.resolve(this.bin);
    this.building ??= ensureHelper(this.toolchain).then(
      (bin) => (this.bin = bin),
      (e: unknown) => { this.building = undefined; throw e; },
    );
    return this.building;
  }

  /** The helper binary, if it is built already (nothing is built or waited for). */
  builtBinary(): string | undefined {
    return this.bin && fs.existsSync(this.bin) ? this.bin : undefined;
  }

  /** Parses one file in the long-lived helper. */
  async parse(text: string): Promise<SyntaxTree> {
    // Starting a helper process: the cached binary may have been removed meanwhile (a cleaned cache).
    if (!this.child && this.bin && !fs.existsSync(this.bin)) { this.bin = undefined; this.building = undefined; }
    const bin = await this.ready();
    return new Promise<SyntaxTree>((resolve, reject) => {
      const child = this.process(bin);
      this.pending.push({ text, resolve, reject });
      ref(child.stdout, true);
      const body = Buffer.from(text, 'utf8');
      child.stdin.write(`${body.length}\n`);
      child.stdin.write(body);
    });
  }

  /** Parses several files; requests are pipelined, answers come back in order. */
  parseAll(texts: readonly string[]): Promise<SyntaxTree[]> {
    return Promise.all(texts.map((t) => this.parse(t)));
  }

  /** For callers that cannot wait: one helper run for this file (builds the helper first if needed). */
  parseSync(text: string): SyntaxTree {
    return decodeTree(text, this.runSync(['-once'], text).subarray(4));
  }

  /**
   * For callers that cannot wait, several files in one helper run: the requests framed as the
   * long-lived helper reads them, its answers read back in order (a standard-library package's files the
   * classifier needs at once cost one process, not one each).
   */
  parseAllSync(texts: readonly string[]): SyntaxTree[] {
    if (texts.length === 1) return [this.parseSync(texts[0])];
    const out = this.runSync([], Buffer.concat(texts.flatMap((t) => { const b = Buffer.from(t, 'utf8'); return [Buffer.from(`${b.length}\n`), b]; })));
    const trees: SyntaxTree[] = [];
    let off = 0;
    for (const text of texts) {
      if (off + 4 > out.length) throw new Error('the Go parser helper answered fewer files than asked');
      const n = out.readUInt32LE(off);
      trees.push(decodeTree(text, out.subarray(off + 4, off + 4 + n)));
      off += 4 + n;
    }
    return trees;
  }

  /** One synchronous run of the helper (built first if needed): its whole answer. */
  private runSync(args: string[], input: string | Buffer): Buffer {
    if (this.bin && !fs.existsSync(this.bin)) this.bin = undefined;
    this.bin ??= ensureHelperSync(this.toolchain);
    const r = spawnSync(this.bin, args, { input, maxBuffer: 1 << 30, windowsHide: true });
    if (r.error) throw new Error(`the Go parser helper failed: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`the Go parser helper failed: ${String(r.stderr).trim()}`);
    return r.stdout as Buffer;
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    if (child) { child.stdin.end(); child.kill(); }
    this.fail(new Error('the Go parser helper was stopped'));
  }

  private process(bin: string): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child = child;
    this.chunks = [];
    this.buffered = 0;
    this.response = undefined;
    this.stderr = '';
    child.stdout.on('data', (b: Buffer) => this.onData(b));
    child.stderr.on('data', (b: Buffer) => { this.stderr = (this.stderr + b.toString()).slice(-2000); });
    child.stdin.on('error', () => { /* reported through 'exit' */ });
    child.on('error', (e) => {
      if (this.child === child) this.child = undefined;
      // The binary may have been removed from the cache: build it again on the next request.
      this.bin = undefined;
      this.building = undefined;
      this.fail(e);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      this.fail(new Error(`the Go parser helper exited (${signal ?? code}): ${this.stderr.trim()}`));
    });
    // An idle helper must not keep the CLI alive: only pending requests hold the event loop.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) ref(s, false);
    return child;
  }

  /** The response being received: its buffer, allocated once its 4-byte length prefix is known, and how much of it is filled. */
  private response: { buf: Buffer; filled: number } | undefined;

  private onData(b: Buffer): void {
    // Bytes before a length prefix is complete wait in `chunks` (4 bytes at most, in practice).
    let off = 0;
    while (off < b.length) {
      if (!this.response) {
        const need = 4 - this.buffered;
        const take = Math.min(need, b.length - off);
        this.chunks.push(b.subarray(off, off + take));
        this.buffered += take;
        off += take;
        if (this.buffered < 4) return;
        const head = Buffer.concat(this.chunks, 4);
        this.chunks = [];
        this.buffered = 0;
        // One buffer of the announced size, filled as chunks arrive: a tree of a large file is tens of
        // MB in hundreds of chunks, and a list of chunks joined at the end would need it twice over.
        this.response = { buf: Buffer.allocUnsafeSlow(head.readUInt32LE(0)), filled: 0 };
      }
      const r = this.response;
      const take = Math.min(r.buf.length - r.filled, b.length - off);
      b.copy(r.buf, r.filled, off, off + take);
      r.filled += take;
      off += take;
      if (r.filled < r.buf.length) return;
      this.response = undefined;
      const p = this.pending.shift();
      if (this.pending.length === 0 && this.child) ref(this.child.stdout, false);
      if (!p) continue;
      try { p.resolve(decodeTree(p.text, r.buf)); } catch (e) { p.reject(e as Error); }
    }
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

// One registry per process, even when several bundles of this code are loaded into it (the test runner
// loads one per suite): one helper process per toolchain and one exit hook.
const REGISTRY = Symbol.for('go-escape-lens.goParsers');
type Registry = Map<string, GoParser>;

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  if (!g[REGISTRY]) {
    const parsers: Registry = new Map();
    g[REGISTRY] = parsers;
    const closeAll = (): void => { for (const p of parsers.values()) p.close(); parsers.clear(); };
    process.once('exit', closeAll);
    // Also ended with everything else the program started (signals, uncaught errors: core/run/processes.ts).
    onEndAll(closeAll);
  }
  return g[REGISTRY];
}

/** The parser of one toolchain (go command + environment), shared by everything in this process. */
export function goParser(toolchain: Toolchain = {}): GoParser {
  const key = JSON.stringify([toolchain.goCommand || 'go', toolchain.env ?? {}]);
  const parsers = registry();
  let p = parsers.get(key);
  if (!p) {
    p = new GoParser({ goCommand: toolchain.goCommand || 'go', env: toolchain.env });
    parsers.set(key, p);
  }
  return p;
}

/** The parser of a toolchain with its helper built (tests and the CLI: fail early and clearly). */
export async function loadGoParser(toolchain: Toolchain = {}): Promise<GoParser> {
  const p = goParser(toolchain);
  await p.ready();
  return p;
}
