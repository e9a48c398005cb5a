// Builds the goast helper (goast/main.go, shipped as source) with the user's own go command, once per
// helper source and Go version, into the user's cache directory (or, where that cannot be written, a
// temp dir of this run, with a one-line note). The build never runs in the user's
// tree (a temp copy of the source), ignores GOFLAGS/go.work from the user's environment, targets the
// machine it runs on, and writes the binary under a temp name before renaming it into place, so
// concurrent builds (two editors, the CLI) never leave a half-written helper behind.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, type StdioOptions } from 'node:child_process';
import { makeTempDir, removeTempDir } from '../run/processes';
import { GoEnvironmentError, spawnTracked } from '../run/spawn';
import { GoNotFoundError } from '../run/runGo';
import { makeDirs, userCacheDir } from '../platform';

export interface Toolchain {
  goCommand?: string;
  env?: Readonly<Record<string, string>>;
}

/**
 * The helper's files in its source directory: its Go files (not tests) and go.mod. scripts/build.mjs
 * copies the same set next to the bundle and package.json ships that directory, so a new file needs no list.
 */
export function helperSourceFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f === 'go.mod' || (f.endsWith('.go') && !f.endsWith('_test.go'))).sort();
}

/** The helper's Go source: next to the bundle (dist/goast) or, running from the repo, in core/gohelper/goast. */
export function helperSourceDir(): string {
  // Next to the bundle (dist/goast), or in the source tree above wherever the running file was bundled.
  const candidates = [path.join(__dirname, 'goast')];
  for (let d = __dirname; ; d = path.dirname(d)) {
    candidates.push(path.join(d, 'core', 'gohelper', 'goast'));
    if (path.dirname(d) === d) break;
  }
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'main.go')));
  if (!dir) throw new Error(`the Go parser helper's source (goast/main.go) is missing next to ${__dirname}`);
  return dir;
}

/** The OS user cache dir (as Go's os.UserCacheDir) + go-escape-lens. */
export function cacheDir(): string {
  return path.join(userCacheDir(), 'go-escape-lens');
}

function toolchainEnv(t: Toolchain, host?: { goos: string; goarch: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...t.env,
    // A non-empty GOFLAGS overrides one from the go env file (an empty one would not): -mod=mod is
    // harmless for a module without dependencies, where -mod=vendor or -race from the user would break it.
    GOFLAGS: '-mod=mod',
    GOWORK: 'off',
    GO111MODULE: 'on',
    CGO_ENABLED: '0',
    // The helper runs here, whatever GOOS/GOARCH the user analyses for.
    ...(host ? { GOOS: host.goos, GOARCH: host.goarch } : {}),
  };
}

interface Plan { bin: string; env: NodeJS.ProcessEnv; source: Map<string, Buffer> }

function plan(t: Toolchain, goEnvOut: string): Plan {
  const [version, goos, goarch] = goEnvOut.trim().split(/\r?\n/);
  if (!version || !goos || !goarch) throw new Error(`unexpected output of go env: ${goEnvOut.trim()}`);
  const dir = helperSourceDir();
  const source = new Map(helperSourceFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
  const hash = crypto.createHash('sha256');
  for (const [f, b] of source) hash.update(f).update('\0').update(b).update('\0');
  hash.update(version).update(goos).update(goarch);
  const key = hash.digest('hex').slice(0, 16);
  const exe = goos === 'windows' ? '.exe' : '';
  const safeVersion = version.replace(/[^\w.-]/g, '_');
  return { bin: path.join(cacheDir(), `goast-${safeVersion}-${key}${exe}`), env: toolchainEnv(t, { goos, goarch }), source };
}

function goEnvArgs(): string[] { return ['env', 'GOVERSION', 'GOHOSTOS', 'GOHOSTARCH']; }

/** A directory that exists, for a go command whose answer does not depend on where it runs. */
function anyDir(): string {
  for (const d of [os.tmpdir(), os.homedir()]) {
    try { if (fs.statSync(d).isDirectory()) return d; } catch { /* the next one */ }
  }
  return process.cwd();
}

/** Told once when the helper cannot be kept in the user cache dir (the CLI prints it; one line). */
const noteListeners = new Set<(note: string) => void>();
export function onHelperNote(listener: (note: string) => void): () => void {
  noteListeners.add(listener);
  return () => { noteListeners.delete(listener); };
}

/** This process's stand-in for an unwritable cache dir: a temp dir of ours, removed on every way out. */
let fallbackDir: string | undefined;

/**
 * Where the helper `p.bin` names is kept: the user cache dir, or, when that cannot be made or written (a
 * read-only HOME in a CI container, XDG_CACHE_HOME somewhere odd), a temp dir of this process, with a
 * note saying why (the system's own error). Throws only when neither can be written.
 */
function helperPath(p: Plan): string {
  const dir = path.dirname(p.bin);
  try {
    makeDirs(dir);
    fs.accessSync(dir, fs.constants.W_OK);
    return p.bin;
  } catch (e) {
    if (fallbackDir === undefined) {
      try {
        fallbackDir = makeTempDir();
      } catch (t) {
        throw new GoEnvironmentError(`the Go parser helper has nowhere to be built: ${dir}: ${(e as Error).message}; temp dir: ${(t as Error).message}`);
      }
      for (const l of noteListeners) l(`the cache dir ${dir} cannot be written (${(e as Error).message}): the Go parser helper is built in a temp dir for this run`);
    }
    return path.join(fallbackDir, path.basename(p.bin));
  }
}

/** Temp source copy and temp output name; `finish` renames the binary into place and cleans up. */
interface Staged { dir: string; out: string; finish(ok: boolean): void }

function stage(p: Plan, bin: string): Staged {
  // In the one registry of temp dirs (core/run/processes.ts): removed on every way out, swept when stale.
  const dir = makeTempDir();
  for (const [f, b] of p.source) fs.writeFileSync(path.join(dir, f), b);
  const out = `${bin}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  return {
    dir, out,
    finish(ok) {
      try {
        // Another process may have put the same helper in place meanwhile (Windows refuses to replace
        // a running executable): either way the binary at bin is the one wanted.
        if (ok) try { fs.renameSync(out, bin); } catch (e) { if (!fs.existsSync(bin)) throw e; }
      } finally {
        fs.rmSync(out, { force: true });
        removeTempDir(dir);
      }
    },
  };
}

function buildArgs(out: string): string[] { return ['build', '-trimpath', '-o', out, '.']; }

function goFailure(command: string, e: unknown, what: string): Error {
  const err = e as NodeJS.ErrnoException & { stderr?: string | Buffer };
  if (err instanceof GoEnvironmentError || err instanceof GoNotFoundError) return err;
  if (err.code === 'ENOENT') return new GoNotFoundError(command);
  const detail = String(err.stderr ?? '').trim() || err.message;
  return new GoEnvironmentError(`could not ${what} the Go parser helper with "${command}": ${detail}`);
}

/** Through the one process registry (core/run/spawn.ts): its own group, a deadline, ended on every way out. */
async function run(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeout: number }): Promise<string> {
  const r = await spawnTracked(command, args, { cwd: opts.cwd, env: opts.env as Record<string, string>, timeoutMs: opts.timeout, what: command });
  if (r.notFound) throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
  if (r.exitCode !== 0) throw Object.assign(new Error(`${command} exited with status ${r.exitCode}`), { stderr: r.stderr });
  return r.stdout;
}

/** The plan for this toolchain from its `go env` answer (any failure told as the helper's). */
function planned(command: string, t: Toolchain, goEnvOut: () => string): Plan {
  try { return plan(t, goEnvOut()); } catch (e) { throw goFailure(command, e, 'prepare'); }
}

/** The helper's path, and its staged source when it is still to be built. */
function prepareBuild(p: Plan): { bin: string; s?: Staged } {
  if (fs.existsSync(p.bin)) return { bin: p.bin };
  const bin = helperPath(p);
  return fs.existsSync(bin) ? { bin } : { bin, s: stage(p, bin) };
}

/** Puts a build in place (or cleans up after its `failure`) and answers its path. */
function settle(s: Staged, bin: string, command: string, failure: unknown): string {
  s.finish(failure === undefined);
  if (failure !== undefined) throw goFailure(command, failure, 'build');
  return bin;
}

const inFlight = new Map<string, Promise<string>>();

/**
 * The path of the helper built by this toolchain, building it first if needed. Callers at the same time
 * (the parser, the type checker, the reaper) share one build.
 */
export function ensureHelper(t: Toolchain): Promise<string> {
  const key = JSON.stringify([t.goCommand || 'go', t.env ?? {}]);
  let p = inFlight.get(key);
  if (!p) {
    p = buildHelper(t).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

async function buildHelper(t: Toolchain): Promise<string> {
  const command = t.goCommand || 'go';
  const goEnv = await run(command, goEnvArgs(), { cwd: anyDir(), env: toolchainEnv(t), timeout: 60_000 }).catch((e: unknown) => { throw goFailure(command, e, 'prepare'); });
  const p = planned(command, t, () => goEnv);
  const { bin, s } = prepareBuild(p);
  if (!s) return bin;
  const failure = await run(command, buildArgs(s.out), { cwd: s.dir, env: p.env, timeout: 300_000 }).then(() => undefined, (e: unknown) => e ?? new Error('failed'));
  return settle(s, bin, command, failure);
}

/** ensureHelper without waiting on the event loop (for the synchronous fallback). */
export function ensureHelperSync(t: Toolchain): string {
  const command = t.goCommand || 'go';
  const quiet = { stdio: ['ignore', 'pipe', 'pipe'] as StdioOptions, windowsHide: true };
  const p = planned(command, t, () => execFileSync(command, goEnvArgs(), { ...quiet, cwd: anyDir(), env: toolchainEnv(t), encoding: 'utf8', timeout: 60_000 }));
  const { bin, s } = prepareBuild(p);
  if (!s) return bin;
  let failure: unknown;
  // Not through spawnTracked (asynchronous): go's $WORK goes in the staged dir, removed with it.
  try { execFileSync(command, buildArgs(s.out), { ...quiet, cwd: s.dir, env: { ...p.env, GOTMPDIR: s.dir }, timeout: 300_000 }); } catch (e) { failure = e ?? new Error('failed'); }
  return settle(s, bin, command, failure);
}
