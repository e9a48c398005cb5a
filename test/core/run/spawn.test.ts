// The one way processes run: outputs apart and interleaved, stdin, exit codes, a missing command, output
// past the limit, a deadline and a cancellation that end the whole process group; results decoded lazily.
import * as assert from 'node:assert/strict';
import { CancelledError, lazyProperty, spawnTracked, TimeoutError } from '../../../core/run/spawn';
import { registered } from '../../../core/run/processes';

const NODE = process.execPath;
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('run/spawn spawnTracked', function () {
  this.timeout(60_000);

  it('gives stdout, stderr, both interleaved in order, and the exit code', async () => {
    const script = 'process.stdout.write("a\\n"); setTimeout(() => { process.stderr.write("b\\n"); setTimeout(() => { process.stdout.write("c\\n"); process.exit(3); }, 50); }, 50);';
    const r = await spawnTracked(NODE, ['-e', script], { timeoutMs: 30_000, all: true });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'a\nc\n');
    assert.equal(r.stderr, 'b\n');
    assert.equal(r.all, 'a\nb\nc\n');
    assert.equal(Buffer.concat(r.raw()).toString(), 'a\nb\nc\n');
    assert.equal(r.notFound, false);
  });

  it('writes input to stdin, and ignores stdin without it', async () => {
    const echo = 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => process.stdout.write(s.toUpperCase()));';
    assert.equal((await spawnTracked(NODE, ['-e', echo], { timeoutMs: 30_000, input: 'gofmt me' })).stdout, 'GOFMT ME');
    assert.equal((await spawnTracked(NODE, ['-e', echo], { timeoutMs: 30_000 })).stdout, '');
  });

  it('tells a missing command apart from a failing one', async () => {
    const r = await spawnTracked('gel-no-such-command', [], { timeoutMs: 10_000 });
    assert.equal(r.notFound, true);
    assert.notEqual(r.exitCode, 0);
  });

  it('ends a process that outlives its deadline, with what it started', async () => {
    // The child starts a grandchild in its group and prints its pid; both would sleep for a minute.
    const script = 'const c = require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" }); console.log(c.pid); setTimeout(() => {}, 60000);';
    let grandchild = 0;
    const started = performance.now();
    await assert.rejects(spawnTracked(NODE, ['-e', script], { timeoutMs: 1_500, what: 'the sleeper', onOutput: (s) => { grandchild ||= Number(s.trim()); } }),
      (e: unknown) => e instanceof TimeoutError && e.message === 'the sleeper did not finish within 2 s');
    assert.ok(performance.now() - started < 30_000);
    assert.ok(grandchild > 0, 'the grandchild was started');
    if (process.platform !== 'win32') {
      for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(grandchild), false, 'the grandchild ended with the group');
    }
    assert.equal(registered().trees, 0);
  });

  it('rejects with CancelledError on abort, before or during the run', async () => {
    const ac = new AbortController();
    const run = spawnTracked(NODE, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 30_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(run, CancelledError);
    await assert.rejects(spawnTracked(NODE, ['-e', ''], { timeoutMs: 30_000, signal: ac.signal }), CancelledError);
  });

  it('stops keeping output past maxBuffer and says so', async () => {
    const r = await spawnTracked(NODE, ['-e', 'process.stdout.write("x".repeat(1 << 20))'], { timeoutMs: 30_000, maxBuffer: 1024 });
    assert.equal(r.tooLarge, true);
    assert.ok(r.stdout.length <= 1 << 20);
  });
});

describe('run/spawn lazyProperty', () => {
  it('computes once on first read, and an assignment first never computes', () => {
    let computed = 0;
    const o = { text: '' };
    lazyProperty(o, 'text', () => { computed++; return 'decoded'; });
    assert.equal(computed, 0);
    assert.equal(o.text, 'decoded');
    assert.equal(o.text, 'decoded');
    assert.equal(computed, 1);
    const p = { text: '' };
    lazyProperty(p, 'text', () => assert.fail('not computed'));
    p.text = 'set';
    assert.equal(p.text, 'set');
    assert.deepEqual(Object.keys(p), ['text']);
  });
});
