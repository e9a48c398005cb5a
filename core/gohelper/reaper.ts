// The reaper: the goast helper in its -reaper mode (goast/reaper.go), started once by the CLI and the
// language server. Every process group and temp dir of ours is registered with it as it starts and
// unregistered as it ends (core/run/processes.ts tells it); when this process dies without running its
// exit handlers (SIGKILL, the OOM killer), the reaper's stdin reaches its end and it ends those groups
// and removes those dirs, which a go build in a group of its own would otherwise outlive us by. On every
// other way out endAll ends everything itself and kills the reaper first. Not on Windows: there the
// helper could end a process but not its tree.
import { spawn } from 'node:child_process';
import { onEndAll, watchOwned } from '../run/processes';
import { ensureHelper, type Toolchain } from './goHelper';

let started: Promise<boolean> | undefined;

/**
 * Starts the reaper with the helper of this toolchain (built first if needed), once per process. True
 * once it runs; false where it cannot (Windows, no go command, no helper): then a SIGKILL leaves go
 * running until it is done, and the next run sweeps its temp dirs.
 */
export function startReaper(toolchain: Toolchain = {}): Promise<boolean> {
  if (process.platform === 'win32') return Promise.resolve(false);
  started ??= ensureHelper(toolchain).then((bin) => {
    // Its own process group: it outlives a kill of ours, and a terminal's Ctrl-C is not sent to it.
    const child = spawn(bin, ['-reaper'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => watchOwned(undefined));
    child.unref();
    const stdin = child.stdin!;
    // An idle pipe does not keep this process alive; a reaper that died takes no more lines.
    (stdin as unknown as { unref?(): void }).unref?.();
    stdin.on('error', () => watchOwned(undefined));
    const send = (line: string): void => { if (!stdin.destroyed) stdin.write(`${line}\n`); };
    watchOwned({
      tree: (pid, live) => send(`${live ? '+' : '-'}g ${pid}`),
      dir: (dir, live) => { if (!/[\r\n]/.test(dir)) send(`${live ? '+' : '-'}d ${dir}`); },
    });
    onEndAll(() => { watchOwned(undefined); child.kill('SIGKILL'); });
    return true;
  }, () => {
    // No helper with this go command (missing, or a broken setting): the next analysis tries again.
    started = undefined;
    return false;
  });
  return started;
}
