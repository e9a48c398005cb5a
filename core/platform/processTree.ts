// How to end a process and everything it started, per platform. The go command starts compile, asm and
// link processes: killing only its pid would leave them running. Pure "how": a caller that keeps track of
// processes (the process registry, runGo's cancellation) decides when.
import { spawnSync } from 'node:child_process';
import { HOST, type Platform } from './platform';

export type TreeKill =
  /** Windows has no process groups a parent can signal: taskkill walks the tree (/T) and forces it (/F). */
  | { kind: 'command'; command: string; args: string[] }
  /** POSIX: the child was started as a group leader (`detached`), so a negative pid signals the whole group. */
  | { kind: 'signal-group'; pid: number; signal: NodeJS.Signals };

export function treeKillPlan(pid: number, plat: Platform = HOST): TreeKill {
  return plat.windows
    ? { kind: 'command', command: 'taskkill', args: ['/pid', String(pid), '/T', '/F'] }
    : { kind: 'signal-group', pid: -pid, signal: 'SIGKILL' };
}

/** Spawn options that make `killProcessTree` reach every descendant: a new process group on POSIX. */
export function treeSpawnOptions(plat: Platform = HOST): { detached: boolean; windowsHide: boolean } {
  // On Windows `detached` would open a new console instead; taskkill /T finds the tree without it.
  return { detached: !plat.windows, windowsHide: true };
}

export interface KillDeps {
  run(command: string, args: string[]): void;
  signal(pid: number, signal: NodeJS.Signals): void;
}

const REAL: KillDeps = {
  // Synchronous, so it also works in exit handlers (a process registry ending everything on the way out),
  // where an asynchronous taskkill would never run. A missing taskkill or a gone tree is not an error.
  run: (command, args) => { spawnSync(command, args, { stdio: 'ignore', windowsHide: true, timeout: 10_000 }); },
  signal: (pid, signal) => process.kill(pid, signal),
};

/** Ends `pid` and its descendants now (synchronously); a process that is already gone is not an error. */
export function killProcessTree(pid: number | undefined, plat: Platform = HOST, deps: KillDeps = REAL): void {
  if (pid === undefined) return;
  const plan = treeKillPlan(pid, plat);
  try {
    if (plan.kind === 'command') deps.run(plan.command, plan.args);
    else deps.signal(plan.pid, plan.signal);
  } catch {
    // ESRCH: already gone.
  }
}
