// Running the go command: overlays, tests, failures, cancellation and timeouts, and nothing written into
// the user's tree.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { CancelledError, GoNotFoundError, OutputTooLargeError, runGo, TimeoutError } from '../../../core/run/runGo';
import { spawnSync } from 'node:child_process';
import { tempDir, tempModule } from '../../helpers/goEnv';

const LIB = `package m

type T struct{ N int }

func New() *T { return &T{N: 1} }
`;

function listTree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** A stand-in go command whose child sleeps: tests that cancelling ends the whole process tree. */
function sleepyGo(): { command: string; pidFile: string } {
  const dir = tempDir();
  const pidFile = path.join(dir, 'grandchild.pid');
  const command = path.join(dir, 'go');
  fs.writeFileSync(command, `#!/bin/sh\nsleep 30 &\necho $! > ${pidFile}\nwait\n`, { mode: 0o755 });
  return { command, pidFile };
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('running the go command', () => {
  let sources: SourceCache;
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  it('analyses unsaved buffer contents through -overlay, reports the real path, cleans its temp files', async () => {
    const dir = tempModule({ 'm.go': LIB });
    const before = listTree(dir);
    // Temp dirs are named after their owner's pid: count this process's only (others run on this machine too).
    const ours = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`go-escape-lens-${process.pid}-`)).length;
    const tmpBefore = ours();
    const file = path.join(dir, 'm.go');
    const unsaved = LIB + '\nfunc Unsaved() *int { x := 1; return &x }\n';
    const r = await analyzePackage({ dir, sources, overlay: new Map([[file, unsaved]]) });
    assert.deepEqual(r.errors, []);
    const moved = r.findings.find((f) => f.message === 'moved to heap: x');
    assert.ok(moved, 'the unsaved function was analysed');
    assert.equal(moved.file, file);
    assert.equal(moved.range.start.line, 6);
    assert.deepEqual(listTree(dir), before, 'nothing written into the package');
    assert.equal(ours(), tmpBefore);
  });

  it('includes _test.go files with go list -export -test, and skips _testmain.go', async () => {
    const dir = tempModule({
      'm.go': LIB,
      'm_test.go': 'package m\n\nimport "testing"\n\nvar keep *T\n\nfunc TestNew(t *testing.T) { v := T{}; keep = &v }\n',
    });
    const r = await analyzePackage({ dir, sources, mode: 'test' });
    assert.deepEqual(r.errors, []);
    assert.ok(r.findings.some((f) => f.file.endsWith('m_test.go') && f.message === 'moved to heap: v'));
    assert.ok(r.findings.every((f) => !f.file.endsWith('_testmain.go')));
    assert.deepEqual(listTree(dir), ['go.mod', 'm.go', 'm_test.go']);
  });

  it('resolves paths of output the go command replays from a build started elsewhere, and of -trimpath', async () => {
    const root = tempModule({ 'p/m.go': LIB });
    const pkg = path.join(root, 'p');
    // First build from the module root: the cache records `p/m.go`; the replay in the package dir says so too.
    spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, './p'], { cwd: root });
    const replay = await analyzePackage({ dir: pkg, sources });
    assert.match(replay.output, /^p\/m\.go:5:/m, 'the go command replayed paths relative to the first build');
    const trimmed = await analyzePackage({ dir: pkg, sources, buildFlags: ['-trimpath'] });
    assert.match(trimmed.output, /^example\.com\/m\/p\/m\.go:5:/m);
    for (const r of [replay, trimmed]) {
      const f = r.findings.find((x) => x.message === '&T{...} escapes to heap')!;
      assert.equal(f.file, path.join(pkg, 'm.go'));
      assert.deepEqual(f.range, { start: { line: 4, character: 23 }, end: { line: 4, character: 31 } });
    }
  });

  it('gives the compile errors of a package that does not build, and no findings', async () => {
    const dir = tempModule({ 'm.go': LIB + '\nfunc Broken() int { return undefinedName }\n' });
    const r = await analyzePackage({ dir, sources });
    assert.deepEqual(r.findings, []);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].message, 'undefined: undefinedName');
    assert.equal(r.errors[0].file, path.join(dir, 'm.go'));
    assert.equal(r.errors[0].range?.start.line, 6);
  });

  it('reports a go-command failure that is not a compile error', async () => {
    const dir = tempModule({ 'm.go': LIB }, '1.999');
    const r = await analyzePackage({ dir, sources, env: { GOTOOLCHAIN: 'local' } });
    assert.deepEqual(r.findings, []);
    assert.match(r.errors.map((e) => e.message).join('\n'), /requires go >= 1\.999/);
  });

  it('says clearly when the go command is missing', async () => {
    const dir = tempModule({ 'm.go': LIB });
    await assert.rejects(runGo({ dir, goCommand: '/nonexistent/go' }), (e: unknown) => {
      assert.ok(e instanceof GoNotFoundError);
      assert.match(e.message, /goEscapeLens\.goCommand/);
      return true;
    });
  });

  it('refuses an output larger than the limit, with a clear error', async () => {
    const dir = tempDir();
    const command = path.join(dir, 'go');
    fs.writeFileSync(command, '#!/bin/sh\nhead -c 3000000 /dev/zero | tr "\\0" "x" >&2\n', { mode: 0o755 });
    await assert.rejects(runGo({ dir, goCommand: command, maxOutputBytes: 1_000_000 }), (e: unknown) => {
      assert.ok(e instanceof OutputTooLargeError);
      assert.match(e.message, /more than 1 MB/);
      return true;
    });
  });

  it('cancellation ends the whole process tree', async () => {
    const { command, pidFile } = sleepyGo();
    const abort = new AbortController();
    const run = runGo({ dir: os.tmpdir(), goCommand: command, signal: abort.signal });
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '');
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(alive(grandchild));
    abort.abort();
    await assert.rejects(run, CancelledError);
    await waitFor(() => !alive(grandchild));
  });

  it('a timeout ends the whole process tree and says so', async () => {
    const { command, pidFile } = sleepyGo();
    await assert.rejects(runGo({ dir: os.tmpdir(), goCommand: command, timeoutMs: 500 }), TimeoutError);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(grandchild));
  });
});
