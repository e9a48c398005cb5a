// The one owner of every process tree and temp dir the program starts. Each is registered while it
// lives; endAll() ends them all synchronously, so it can run on every way out: process exit (LSP
// shutdown+exit, stdin closing, the parent editor gone), SIGTERM, SIGINT, SIGHUP and uncaught errors.
// Processes are started in their own process group (detached), so ending one ends what it started
// (compile, link, cgo): execa's own cleanup skips detached children, hence this registry.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killProcessTree } from '../platform';

const trees = new Set<number>();
const tempDirs = new Set<string>();
const enders = new Set<() => void>();

/** Temp dirs of ours are named `go-escape-lens-<owner pid>-XXXXXX`, so a later run can tell stale ones. */
export const TEMP_PREFIX = 'go-escape-lens-';
const OURS = /^go-escape-lens-(\d+)-/;

/**
 * Told of every process group and temp dir as it is registered and unregistered: the reaper
 * (core/gohelper/reaper.ts), which ends them when this process is killed without running endAll.
 */
export interface OwnedWatcher {
  tree(pid: number, live: boolean): void;
  dir(dir: string, live: boolean): void;
}
let watcher: OwnedWatcher | undefined;

/** Sets (or clears) the watcher, and tells it what is registered now. */
export function watchOwned(w: OwnedWatcher | undefined): void {
  watcher = w;
  for (const pid of trees) w?.tree(pid, true);
  for (const dir of tempDirs) w?.dir(dir, true);
}

/** Registers a started process group (its leader's pid); the returned function unregisters it. */
export function trackTree(pid: number | undefined): () => void {
  if (pid === undefined) return () => undefined;
  trees.add(pid);
  watcher?.tree(pid, true);
  return () => { if (trees.delete(pid)) watcher?.tree(pid, false); };
}

/**
 * Registers a synchronous function that ends something else we started and keep running (a long-lived
 * helper process that is not in a group of its own); endAll runs it. Returns the unregistering function.
 */
export function onEndAll(end: () => void): () => void {
  enders.add(end);
  return () => { enders.delete(end); };
}

/** Ends a process group now: the process and everything it started. */
export function killTree(pid: number | undefined): void {
  killProcessTree(pid);
}

/** A fresh temp dir in the OS temp dir (or `parent`), removed by removeTempDir or on any way out. */
export function makeTempDir(parent = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, `${TEMP_PREFIX}${process.pid}-`));
  tempDirs.add(dir);
  watcher?.dir(dir, true);
  return dir;
}

export function removeTempDir(dir: string): void {
  if (tempDirs.delete(dir)) watcher?.dir(dir, false);
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort: endAll retries none */ }
}

/** The parent of every running go command's GOTMPDIR (see goTempDir), while any runs. */
let goTempRoot: string | undefined;
const goTempDirs = new Set<string>();

/**
 * A fresh, empty dir for one go command's temporary files (its GOTMPDIR: go's `$WORK`), inside a temp dir
 * of ours. The go command removes `$WORK` only when it ends by itself: a build ended by a cancellation,
 * a deadline or our exit leaves it behind. The caller removes this dir (removeGoTempDir) once the
 * process group has ended, and the parent goes with the last one; whatever a killed run leaves is swept
 * by the next run with the rest of our temp dirs (sweepStaleTempDirs).
 */
export function goTempDir(): string {
  // A user's GOTMPDIR (a /tmp mounted noexec, where go could not run what it builds) is kept as the parent.
  if (goTempRoot === undefined || !fs.existsSync(goTempRoot)) goTempRoot = makeTempDir(userGoTmpDir() ?? os.tmpdir());
  const dir = fs.mkdtempSync(path.join(goTempRoot, 'go-'));
  goTempDirs.add(dir);
  return dir;
}

export function removeGoTempDir(dir: string): void {
  goTempDirs.delete(dir);
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort: the parent goes on exit */ }
  if (goTempDirs.size === 0 && goTempRoot !== undefined) {
    removeTempDir(goTempRoot);
    goTempRoot = undefined;
  }
}

function userGoTmpDir(): string | undefined {
  const d = process.env.GOTMPDIR;
  return d && path.isAbsolute(d) ? d : undefined;
}

/** How many process trees and temp dirs are registered now (for logs and tests). */
export function registered(): { trees: number; tempDirs: number } {
  return { trees: trees.size, tempDirs: tempDirs.size };
}

/** Ends every registered process tree and removes every registered temp dir. Synchronous, idempotent. */
export function endAll(): void {
  for (const pid of trees) killTree(pid);
  trees.clear();
  // Everything is ended here: the reaper (one of the enders) is stopped without its list.
  watcher = undefined;
  for (const end of [...enders]) {
    enders.delete(end);
    try { end(); } catch { /* already ended */ }
  }
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the pid exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp dirs of ours whose owner process is gone (a run killed with SIGKILL, a crash of the
 * machine). A dir whose pid is alive is kept, even if the pid was reused: never remove a live run's files.
 */
export function sweepStaleTempDirs(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try { names = fs.readdirSync(tmp); } catch { return removed; }
  for (const name of names) {
    const m = OURS.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const dir = path.join(tmp, name);
    try {
      if (!fs.lstatSync(dir).isDirectory()) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch { /* another run removed it first */ }
  }
  return removed;
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
let installed = false;

export interface ExitOptions {
  /** One line about an uncaught error, where the user sees it (never a stack trace). */
  report(message: string): void;
  /** Told which signal stops the process, after everything has ended. */
  onSignal?(name: string): void;
  /** Exit status after an uncaught error. */
  errorExitCode: number;
}

/**
 * Ends every process tree and temp dir on every way the process can end, then exits: `exit` (also
 * reached by LSP shutdown+exit and stdin closing), SIGTERM, SIGINT and SIGHUP (exit 128 + signal
 * number, as shells report), uncaught exceptions and unhandled rejections (`errorExitCode`). Also
 * removes stale temp dirs of earlier runs. Installed once per process.
 */
export function endAllOnEveryWayOut(opts: ExitOptions): void {
  if (installed) return;
  installed = true;
  sweepStaleTempDirs();
  const goTmp = userGoTmpDir();
  if (goTmp !== undefined && path.resolve(goTmp) !== path.resolve(os.tmpdir())) sweepStaleTempDirs(goTmp);
  process.on('exit', endAll);
  for (const [name, n] of Object.entries(SIGNALS)) {
    process.on(name as NodeJS.Signals, () => {
      endAll();
      try { opts.onSignal?.(name); } catch { /* the channel may be gone */ }
      process.exit(128 + n);
    });
  }
  const fatal = (e: unknown): void => {
    endAll();
    try { opts.report(`internal error: ${e instanceof Error ? e.message : String(e)}`); } catch { /* the channel may be gone */ }
    process.exit(opts.errorExitCode);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
