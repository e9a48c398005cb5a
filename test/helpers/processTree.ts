// Process-tree checks for the hardening tests: a stand-in go command that starts children and hangs (or
// exits leaving them behind), and a count of every live process that carries a run's mark. The mark is an
// environment variable given to the CLI or server under test, so the count covers that process and
// everything below it (the go command, its children, their children), wherever they were reparented.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { tempDir } from './goEnv';

export interface FakeGo {
  /** The go command to pass as --go or goEscapeLens.goCommand. */
  command: string;
  /** Environment for the process under test: the mark, and where the fake go reports. */
  env: Record<string, string>;
  mark: string;
  /** Exists once a fake go process has started its children. */
  ready: string;
  /** Each invocation's arguments, one line each. */
  argsFile: string;
}

/**
 * `hang`: starts two children (one via a nested shell) and waits for them; `leave`: starts them and exits
 * 0; `hang-overlay`: runs the real go command, except for builds through -overlay (quick-fix verification,
 * unsaved buffers), which hang as `hang` does; `escape`: starts a child in a session of its own (out of
 * our reach, holding our output pipe) and exits 0.
 */
export function fakeGo(mode: 'hang' | 'leave' | 'hang-overlay' | 'escape' = 'hang'): FakeGo {
  const dir = tempDir('gel-fakego-');
  const command = path.join(dir, 'go');
  const ready = path.join(dir, 'ready');
  const argsFile = path.join(dir, 'args');
  fs.writeFileSync(command, [
    '#!/bin/sh',
    'echo "$@" >> "$GEL_ARGS"',
    ...(mode === 'hang-overlay' ? [`case "$*" in *-overlay=*) ;; *) exec ${JSON.stringify(realGo())} "$@" ;; esac`] : []),
    mode === 'escape' ? 'setsid sleep 1000 &' : 'sleep 1000 &',
    "sh -c 'sleep 1000; true' &",
    'touch "$GEL_READY"',
    mode === 'leave' || mode === 'escape' ? 'exit 0' : 'wait',
    '',
  ].join('\n'), { mode: 0o755 });
  const mark = `gel-${process.pid}-${Math.random().toString(36).slice(2)}`;
  return { command, mark, ready, argsFile, env: { GEL_TREE_MARK: mark, GEL_READY: ready, GEL_ARGS: argsFile } };
}

function realGo(): string {
  return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim() + '/bin/go';
}

/** Live processes (not zombies) whose environment carries `mark`. */
export function marked(mark: string): number[] {
  const needle = Buffer.from(`GEL_TREE_MARK=${mark}\0`);
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${name}/stat`, 'utf8'))) continue;
      if (fs.readFileSync(`/proc/${name}/environ`).includes(needle)) pids.push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  return pids;
}

/** Ends whatever a failed test left running (so a red test does not leave sleeps behind). */
export function killMarked(mark: string): void {
  // Repeated: a shell may fork one more child between a scan and its kill.
  for (let round = 0; round < 5; round++) {
    const pids = marked(mark);
    if (pids.length === 0) return;
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    spawnSync('sleep', ['0.05']);
  }
}

export async function waitUntil(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits up to `ms` for no process of the mark to remain, then returns how many still do. */
export async function leftAfter(mark: string, ms = 3000): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = marked(mark);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}
