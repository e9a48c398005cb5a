// An existing GOCACHEPROG cache server for the scale-out test: the `gocached` server and the `go-cacher`
// client of github.com/bradfitz/go-tool-cache, installed through the Go module proxy into a temp dir (so
// a fresh machine needs nothing but Go and the proxy), the server bound to 127.0.0.1 only, its counters
// read from its debug listener's Prometheus page.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

/** The module has no release tags: pinned to a pseudo-version the proxy serves, so every run builds the same code. */
export const GO_TOOL_CACHE = 'github.com/bradfitz/go-tool-cache';
export const GO_TOOL_CACHE_VERSION = 'v0.0.0-20260722201841-0bb331e19f64';

export interface Finished { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

/**
 * Runs `command args` in its own process group (so a timeout ends the whole tree), with `env` added to
 * ours; resolves when it ends, or rejects after `ms` with its group killed.
 */
export function run(command: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; ms: number }): Promise<Finished> {
  const proc = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(proc);
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${opts.ms / 1000} s\n${err}`));
    }, opts.ms);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, err }); });
  });
}

export function killGroup(proc: ChildProcess): void {
  if (proc.pid === undefined) return;
  try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* already gone */ }
}

/** `go install`s gocached and go-cacher into `bin` (a fresh temp GOBIN); returns their paths. */
export async function installGoToolCache(bin: string, env: Record<string, string>): Promise<{ gocached: string; goCacher: string }> {
  const at = (cmd: string) => `${GO_TOOL_CACHE}/cmd/${cmd}@${GO_TOOL_CACHE_VERSION}`;
  const r = await run('go', ['install', at('gocached'), at('go-cacher')], { env: { ...env, GOBIN: bin }, ms: 540_000 });
  if (r.code !== 0) throw new Error(`go install of ${GO_TOOL_CACHE} failed:\n${r.err}`);
  const exe = process.platform === 'win32' ? '.exe' : '';
  return { gocached: path.join(bin, `gocached${exe}`), goCacher: path.join(bin, `go-cacher${exe}`) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface CacheServer {
  /** What go-cacher's --cache-server takes. */
  url: string;
  /** The server's counters (gocached_gets, gocached_get_hits, gocached_puts, …) as they are now. */
  counters(): Promise<Record<string, number>>;
  /** Ends the server's process group and waits for it. */
  stop(): Promise<void>;
  log(): string;
}

/**
 * Starts gocached on two free loopback ports (builds, and its debug page), storing into `dir`. gocached
 * takes no port 0 it would report, so ports are picked free and the start retried if one was taken meanwhile.
 */
export async function startGocached(gocached: string, dir: string, env: Record<string, string>): Promise<CacheServer> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const [port, debugPort] = [await freePort(), await freePort()];
    const logFile = path.join(dir, `gocached-${attempt}.log`);
    const fd = fs.openSync(logFile, 'w');
    const proc = spawn(gocached, [
      '--cache-dir', path.join(dir, 'store'),
      '--listen', `127.0.0.1:${port}`,
      '--debug-listen', `127.0.0.1:${debugPort}`,
    ], { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    let exited = false;
    const ended = new Promise<void>((resolve) => proc.on('exit', () => { exited = true; resolve(); }));
    const log = () => fs.readFileSync(logFile, 'utf8');
    const url = `http://127.0.0.1:${port}`;
    const debug = `http://127.0.0.1:${debugPort}`;
    const server: CacheServer = {
      url,
      log,
      async counters() {
        const text = await (await fetch(`${debug}/metrics`)).text();
        const out: Record<string, number> = {};
        for (const m of text.matchAll(/^(gocached_\w+) (\S+)$/gm)) out[m[1]] = Number(m[2]);
        return out;
      },
      async stop() {
        killGroup(proc);
        await ended;
      },
    };
    const deadline = Date.now() + 60_000;
    while (!exited && Date.now() < deadline) {
      // The build-facing port answers "/" with 404 once it serves; the debug page with its counters.
      const up = await Promise.all([fetch(`${url}/`), fetch(`${debug}/metrics`)]).then((rs) => rs[0].status === 404 && rs[1].ok, () => false);
      if (up) return server;
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.stop();
    last = log();
    if (!/address already in use/.test(last)) break;
  }
  throw new Error(`gocached did not start:\n${last}`);
}
