// go's temporary files ($WORK) in a dir of ours, per go command: a build that is cancelled or runs past its
// deadline (go then never removes $WORK itself) leaves nothing behind once spawnTracked returns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { goTempDir, removeGoTempDir } from '../../../core/run/processes';
import { CancelledError, spawnTracked, TimeoutError } from '../../../core/run/spawn';
import { tempDir, tempModule } from '../../helpers/goEnv';
import { waitUntil } from '../../helpers/processTree';

const HEAVY = 'package m\n\nimport _ "net/http"\n';

/** This process's temp dirs (named after their owner's pid: others run on this machine too). */
function ours(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`go-escape-lens-${process.pid}-`)).map((n) => path.join(os.tmpdir(), n));
}

/** go's `go-build…` work dirs below our temp dirs. */
function workDirs(): string[] {
  return ours().flatMap((d) => {
    try { return (fs.readdirSync(d, { recursive: true }) as string[]).filter((p) => /(^|\/)go-build\d+$/.test(p)); } catch { return []; }
  });
}

describe('run: go\'s GOTMPDIR inside our temp dir', () => {
  it('each go command gets its own GOTMPDIR inside our temp dir, removed when it ends', async () => {
    const before = ours();
    const r = await spawnTracked('go', ['env', 'GOTMPDIR'], { timeoutMs: 60_000 });
    const root = path.dirname(r.stdout.trim());
    assert.match(path.basename(root), new RegExp(`^go-escape-lens-${process.pid}-`));
    assert.equal(path.dirname(root), os.tmpdir());
    assert.equal(fs.existsSync(root), false, 'removed with the last go command');
    assert.deepEqual(ours(), before);
    // A caller's own GOTMPDIR is kept.
    const own = tempDir();
    assert.equal((await spawnTracked('go', ['env', 'GOTMPDIR'], { timeoutMs: 60_000, env: { GOTMPDIR: own } })).stdout.trim(), own);
  });

  it('go temp dirs share one parent of ours, removed with the last of them', () => {
    const a = goTempDir();
    const b = goTempDir();
    assert.equal(path.dirname(a), path.dirname(b));
    removeGoTempDir(a);
    assert.equal(fs.existsSync(path.dirname(b)), true);
    removeGoTempDir(b);
    assert.equal(fs.existsSync(path.dirname(b)), false);
  });

  for (const way of ['cancelled', 'past its deadline'] as const) {
    it(`a build ${way} mid-way leaves no $WORK: the temp root is empty afterwards`, async () => {
      const before = ours();
      const ac = new AbortController();
      // A fresh build cache: go compiles net/http and all below it first, so it is mid-build for seconds.
      const env = { GOCACHE: tempDir('gel-gocache-'), GOFLAGS: '' };
      const build = spawnTracked('go', ['build', '.'], {
        cwd: tempModule({ 'm.go': HEAVY }), env, signal: ac.signal, timeoutMs: way === 'cancelled' ? 300_000 : 5_000,
      });
      const settled = build.then(() => 'finished', (e: unknown) => e);
      await waitUntil('go\'s $WORK in our temp dir', () => workDirs().length > 0, 60_000);
      if (way === 'cancelled') ac.abort();
      const result = await settled;
      assert.ok(result instanceof (way === 'cancelled' ? CancelledError : TimeoutError), String(result));
      assert.deepEqual(workDirs(), []);
      assert.deepEqual(ours(), before);
    });
  }
});
