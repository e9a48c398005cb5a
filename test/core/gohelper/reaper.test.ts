// The reaper (goast -reaper, started by core/gohelper/reaper.ts): the groups and dirs registered with it
// when its owner's end reaches its stdin, and none it was told have ended. The whole path (a SIGKILL'd
// server and CLI) is in test/system/sigkill.test.ts and test/cli/environment.test.ts.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureHelper } from '../../../core/gohelper/goHelper';
import { startReaper } from '../../../core/gohelper/reaper';
import { endAll, makeTempDir, trackTree } from '../../../core/run/processes';
import { tempDir } from '../../helpers/goEnv';
import { waitUntil } from '../../helpers/processTree';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

/** A process group of its own (a stand-in for go): a shell and its sleep. */
function group(): number {
  const p = spawn('sh', ['-c', 'sleep 1000 & wait'], { detached: true, stdio: 'ignore' });
  p.unref();
  return p.pid!;
}

function reaperChildren(): number[] {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid
        && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('-reaper');
    } catch { return false; }
  });
}

describe('the reaper', function () {
  if (process.platform !== 'linux') return;
  this.timeout(120_000);

  it('at its stdin\'s end, kills the groups and removes the dirs still registered; the unregistered ones are left', async () => {
    const bin = await ensureHelper({});
    const reaper = spawn(bin, ['-reaper'], { stdio: ['pipe', 'ignore', 'inherit'] });
    const [kept, killed] = [group(), group()];
    const [keptDir, gone] = [tempDir('gel-reaper-'), tempDir('gel-reaper-')];
    fs.writeFileSync(path.join(gone, 'f'), 'x');
    reaper.stdin.write(`+g ${kept}\n+g ${killed}\n-g ${kept}\n+d ${gone}\n+d ${keptDir}\n-d ${keptDir}\nnonsense\n+g 1\n`);
    reaper.stdin.end();
    await new Promise((resolve) => reaper.on('close', resolve));
    await waitUntil('the registered group killed', () => !alive(killed), 5000);
    assert.equal(alive(kept), true, 'a group unregistered before the end is not touched');
    assert.equal(fs.existsSync(gone), false);
    assert.equal(fs.existsSync(keptDir), true);
    process.kill(-kept, 'SIGKILL');
  });

  it('runs once per process, with its own group, and ends with the owner\'s endAll', async () => {
    assert.equal(await startReaper(), true);
    assert.equal(await startReaper(), true);
    assert.equal(reaperChildren().length, 1);
    const [pid] = reaperChildren();
    assert.equal(Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]), pid, 'a process group of its own');
    const g = group();
    const untrack = trackTree(g);
    makeTempDir();
    untrack();
    endAll();
    await waitUntil('the reaper ended', () => !alive(pid), 5000);
    process.kill(-g, 'SIGKILL');
  });
});
