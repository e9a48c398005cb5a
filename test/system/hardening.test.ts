// Hardening: no process outlives the CLI or the language server, whatever ends them; every wait is
// bounded; every bad input gets a documented answer. Process trees are counted through /proc: every
// process that carries the run's mark in its environment (the CLI or server itself, the stand-in go
// command, its children and grandchildren).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { analyzeOutput } from '../../core/analysis/analyze';
import { analyzePackage } from '../../core/analysis/analyzePackage';
import { loadGoParser } from '../../core/locate/goParser';
import { SourceCache } from '../../core/locate/sourceCache';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';
import { LspClient } from '../helpers/lspClient';
import { fakeGo, killMarked, leftAfter, marked, waitUntil, type FakeGo } from '../helpers/processTree';

const CLI = path.join(REPO, 'dist', 'cli.js');
const LIB = 'package m\n\ntype T struct{ N int }\n\nfunc New() *T { return &T{N: 1} }\n';
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

interface Finished { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

function startCli(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; done: Promise<Finished> } {
  const proc = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { err += d; });
  const done = new Promise<Finished>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { proc, done };
}

/** Runs the CLI to completion, but never longer than `ms` (a hang is a failure, not a stuck suite). */
function cli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; ms?: number } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO, input: opts.input, encoding: 'utf8', timeout: opts.ms ?? 60_000, killSignal: 'SIGKILL',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, timedOut: r.error !== undefined || r.signal === 'SIGKILL' };
}

function ourTempDirs(pid: number): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`go-escape-lens-${pid}-`));
}

describe('hardening: no process of the CLI outlives it', () => {
  let go: FakeGo | undefined;
  afterEach(() => { if (go) killMarked(go.mark); go = undefined; });

  for (const [sig, n] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
    it(`${sig} during a build: every process of its tree ends, exit ${128 + n}`, async () => {
      go = fakeGo();
      const dir = tempModule({ 'm.go': LIB });
      const run = startCli(['--go', go.command, dir], go.env);
      await waitUntil('the go command started its children', () => fs.existsSync(go!.ready));
      await waitUntil('the whole tree is up', () => marked(go!.mark).length >= 5);
      run.proc.kill(sig);
      const r = await run.done;
      assert.deepEqual(await leftAfter(go.mark), [], 'processes left after the CLI ended');
      assert.equal(r.code, 128 + n, r.err);
      assert.match(r.err, new RegExp(`stopped by ${sig}`));
    });
  }

  it('SIGINT while go list expands DIR/...: go list and its children end too', async () => {
    go = fakeGo();
    const dir = tempModule({ 'm.go': LIB });
    const run = startCli(['--go', go.command, `${dir}/...`], go.env);
    // The tree's go build (and go env) start beside go list, which they need not wait for: all must end.
    await waitUntil('go list started', () => fs.existsSync(go!.ready) && /^list /m.test(fs.readFileSync(go!.argsFile, 'utf8')));
    await waitUntil('the whole tree is up', () => marked(go!.mark).length >= 5);
    run.proc.kill('SIGINT');
    const r = await run.done;
    assert.deepEqual(await leftAfter(go.mark), []);
    assert.equal(r.code, 130);
  });

  it('--timeout bounds go list too: a hanging go list is exit 4, with nothing left running', async () => {
    go = fakeGo();
    const dir = tempModule({ 'm.go': LIB });
    const t0 = Date.now();
    const r = cli(['--go', go.command, '--timeout', '1', `${dir}/...`], { env: go.env, ms: 30_000 });
    assert.equal(r.timedOut, false, 'the CLI did not finish');
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /go list did not finish within 1 s/);
    assert.ok(Date.now() - t0 < 20_000);
    assert.deepEqual(await leftAfter(go.mark), []);
  });

  it('a go command that exits leaving children behind: they end when it does (normal exit)', async () => {
    go = fakeGo('leave');
    const dir = tempModule({ 'm.go': LIB });
    const r = cli(['--go', go.command, dir], { env: go.env });
    assert.ok(fs.existsSync(go.ready), 'the go command ran');
    assert.equal(r.timedOut, false);
    assert.deepEqual(await leftAfter(go.mark), []);
  });

  it('a child that left the go command\'s process group but holds its output: the wait still ends at --timeout', () => {
    go = fakeGo('escape');
    const dir = tempModule({ 'm.go': LIB });
    const r = cli(['--go', go.command, '--timeout', '2', dir], { env: go.env, ms: 30_000 });
    assert.equal(r.timedOut, false, 'the CLI waited for the escaped child');
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /did not finish within 2 s/);
  });

  for (const way of ['throw', 'reject'] as const) {
    it(`an uncaught ${way === 'throw' ? 'exception' : 'rejection'}: trees and temp dirs end, one line, no stack`, async () => {
      go = fakeGo();
      const proc = spawn(process.execPath, [path.join(REPO, 'out', 'test', 'helpers', 'exitWays.js'), go.command, way], {
        env: { ...process.env, ...go.env }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      proc.stdout!.on('data', (d) => { out += d; });
      proc.stderr!.on('data', (d) => { err += d; });
      const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
      const tmp = out.trim();
      assert.match(path.basename(tmp), new RegExp(`^go-escape-lens-${proc.pid}-`));
      assert.equal(code, 5, err);
      assert.equal(err.trim(), 'internal error: boom');
      assert.equal(fs.existsSync(tmp), false, 'temp dir removed');
      assert.deepEqual(await leftAfter(go.mark), []);
    });
  }
});

describe('hardening: no process or temp dir of the language server outlives it', () => {
  let go: FakeGo | undefined;
  afterEach(() => { if (go) killMarked(go.mark); go = undefined; });

  const ways: [string, (c: LspClient) => Promise<void> | void, number][] = [
    ['shutdown + exit', async (c) => { await c.conn.sendRequest('shutdown'); await c.conn.sendNotification('exit'); }, 0],
    ['its stdin closing (the editor died)', (c) => { c.proc.stdin!.end(); }, 1],
    ...(Object.entries(SIGNALS) as [NodeJS.Signals, number][]).map(([sig, n]): [string, (c: LspClient) => void, number] =>
      [sig, (c) => { c.proc.kill(sig); }, 128 + n]),
  ];
  for (const [way, end, expected] of ways) {
    it(`${way}, mid-analysis of an unsaved buffer: the go tree and the -overlay copy are gone`, async () => {
      go = fakeGo();
      const settings = { goCommand: go.command, run: 'onType', debounceMs: 50, quickFixes: false };
      const c = await LspClient.start(() => settings, {}, undefined, {}, { env: go.env });
      const dir = tempModule({ 'm.go': LIB });
      const file = path.join(dir, 'm.go');
      c.open(file);
      await waitUntil('the first run started', () => fs.existsSync(go!.ready));
      c.change(file, LIB + '\nfunc Unsaved() *int { x := 1; return &x }\n');
      // The edit cancels the first run; the second compiles the unsaved buffer through -overlay.
      const overlayArg = () => /-overlay=(\S+)/.exec(fs.existsSync(go!.argsFile) ? fs.readFileSync(go!.argsFile, 'utf8') : '')?.[1];
      await waitUntil('a run with -overlay', () => overlayArg() !== undefined);
      const overlayDir = path.dirname(overlayArg()!);
      assert.ok(fs.existsSync(overlayDir));
      await waitUntil('the whole tree is up', () => marked(go!.mark).length >= 5);
      const exited = new Promise<number | null>((resolve) => c.proc.on('exit', (code) => resolve(code)));
      await end(c);
      const code = await exited;
      c.conn.dispose();
      assert.deepEqual(await leftAfter(go.mark), [], 'processes left after the server ended');
      assert.equal(code, expected);
      assert.equal(fs.existsSync(overlayDir), false, 'the overlay copy of the user\'s source is removed');
      assert.match(path.basename(overlayDir), new RegExp(`^go-escape-lens-${c.proc.pid}-`), 'named after its owner');
      assert.deepEqual(ourTempDirs(c.proc.pid!), []);
    });
  }
});

describe('hardening: a server stopped while verifying quick fixes', () => {
  let go: FakeGo | undefined;
  afterEach(() => { if (go) killMarked(go.mark); go = undefined; });

  it('leaves neither the verification build nor its -overlay copy of the source', async () => {
    go = fakeGo('hang-overlay');
    const c = await LspClient.start(() => ({ goCommand: go!.command }), {}, undefined, {}, { env: go.env });
    const dir = tempDir();
    fs.cpSync(path.join(REPO, 'fixtures', 'fixes'), dir, { recursive: true });
    const file = path.join(dir, 'fmtbox', 'fmtbox.go');
    c.open(file);
    // The analysis runs the real compiler; the first verification build (through -overlay) hangs.
    const overlayArg = () => /-overlay=(\S+)/.exec(fs.existsSync(go!.argsFile) ? fs.readFileSync(go!.argsFile, 'utf8') : '')?.[1];
    await waitUntil('a verification build through -overlay', () => overlayArg() !== undefined && fs.existsSync(go!.ready), 60_000);
    const overlayDir = path.dirname(overlayArg()!);
    assert.ok(fs.readdirSync(overlayDir).some((f) => f.endsWith('fmtbox.go')), 'the overlay holds a copy of the user\'s source');
    await c.waitFor(() => (c.diagnostics.get(pathToFileURL(file).href)?.length ?? 0) > 0, 'findings published before verification');
    const exited = new Promise<number | null>((resolve) => c.proc.on('exit', (code) => resolve(code)));
    await c.conn.sendRequest('shutdown');
    await c.conn.sendNotification('exit');
    const code = await exited;
    c.conn.dispose();
    assert.deepEqual(await leftAfter(go.mark), [], 'processes left after the server ended');
    assert.equal(fs.existsSync(overlayDir), false, 'the overlay copy is removed');
    assert.equal(code, 0);
  });
});

describe('hardening: stale temp dirs', () => {
  it('on start, temp dirs of ours whose owner is gone are removed; a live owner\'s are kept', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = path.join(os.tmpdir(), `go-escape-lens-${dead}-stale01`);
    const live = path.join(os.tmpdir(), `go-escape-lens-${process.pid}-live01`);
    const other = path.join(os.tmpdir(), `go-escape-lens-notours-${dead}`);
    for (const d of [stale, live, other]) { fs.mkdirSync(d, { recursive: true }); fs.writeFileSync(path.join(d, 'overlay.json'), '{}'); }
    try {
      assert.equal(cli(['--version']).code, 0);
      assert.equal(fs.existsSync(stale), false, 'stale dir of a dead owner removed');
      assert.equal(fs.existsSync(live), true, 'a live owner keeps its dir');
      assert.equal(fs.existsSync(other), true, 'a name that is not ours is left alone');
    } finally {
      for (const d of [stale, live, other]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('hardening: every bad input answered', () => {
  let sources: SourceCache;
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  const PKG = path.join(REPO, 'fixtures/sample/returned');
  const goodLog = () => spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: PKG, encoding: 'utf8' }).stderr;

  it('--input of random bytes, an empty log or stdout instead of stderr: exit 2, one line', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    for (const [input, why] of [[bytes, /not compiler output/], ['', /the log is empty.*2>/], ['\n\n  \n', /the log is empty/],
      ['PASS\nok  \texample.com/m\t0.01s\n', /not compiler output/]] as const) {
      const r = cli(['--input', '-', '--cwd', PKG, '--fail', '--json'], { input });
      assert.equal(r.code, 2, `${JSON.stringify(String(input).slice(0, 40))}: ${r.err}`);
      assert.match(r.err, why);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.equal(r.out, '');
    }
  });

  it('--input of a failed build\'s log: exit 3 with its errors, even with --fail; JSON says ok: false', () => {
    const dir = tempModule({ 'a.go': 'package m\n\nfunc F() int {\n\treturn x\n}\n' });
    const log = spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8' }).stderr;
    assert.match(log, /undefined: x/);
    const human = cli(['--input', '-', '--cwd', dir, '--fail'], { input: log });
    assert.equal(human.code, 3, human.err);
    assert.match(human.err, /does not build\n\s+a\.go:4:9: undefined: x/);
    const json = cli(['--input', '-', '--cwd', dir, '--json'], { input: './a.go:3:2: undefined: x\n' });
    assert.equal(json.code, 3);
    const doc = JSON.parse(json.out);
    assert.equal(doc.packages[0].ok, false);
    assert.equal(doc.packages[0].errors[0].message, 'undefined: x');
    assert.deepEqual(doc.findings, []);
    // A go-command failure (no compiler line at all) is a failed build too.
    assert.equal(cli(['--input', '-', '--cwd', dir], { input: 'go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)\n' }).code, 3);
    // The real log still passes.
    assert.equal(cli(['--input', '-', '--cwd', PKG], { input: goodLog() }).code, 0);
  });

  it('--cwd naming a missing directory: exit 2', () => {
    for (const args of [['--cwd', '/no/such/dir', '--input', '-'], ['--cwd', '/no/such/dir', PKG]]) {
      const r = cli(args, { input: goodLog() });
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /--cwd: not a directory: \/no\/such\/dir/);
    }
  });

  it('--sarif to an unwritable path: a usage error, one line, exit 2, no stack trace', () => {
    const r = cli(['--sarif', '/no/such/dir/out.sarif', PKG]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), 'go-escape-lens: --sarif: cannot write /no/such/dir/out.sarif: ENOENT');
  });

  it('a log naming a FIFO or a device as a .go file is answered, not waited on forever', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'a.go');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    fs.symlinkSync('/dev/zero', path.join(dir, 'b.go'));
    const log = '# example.com/m\n./a.go:3:2: moved to heap: x\n./b.go:4:2: moved to heap: y\n';
    const r = cli(['--json', '--input', '-', '--cwd', dir], { input: log, ms: 30_000 });
    assert.equal(r.timedOut, false, 'the CLI hung on a FIFO');
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.findings.length, 2);
    assert.ok(doc.findings.every((f: { exact: boolean }) => !f.exact));
  });

  it('a stale log whose column is past the end of its line: clamped to that line, exact: false', () => {
    const dir = tempModule({ 'm.go': 'package m\n\nfunc F() *int {\n\tx := 1\n\treturn &x\n}\n\nfunc G() {}\n\nfunc H() {}\n' });
    const r = analyzeOutput('# example.com/m\n./m.go:4:40: moved to heap: x\n./m.go:99:3: moved to heap: y\n', { cwd: dir, sources });
    const [x, y] = r.findings;
    assert.deepEqual(x.range, { start: { line: 3, character: 1 }, end: { line: 3, character: 7 } });
    assert.equal(x.exact, false);
    assert.equal(y.range.start.line, y.range.end.line, 'a line past the end of the file: one line');
    assert.equal(y.exact, false);
  });

  it('the first error shown is the real one, not go\'s "go: downloading" progress line', async () => {
    const dir = tempModule({ 'p.go': 'package m\n\nimport _ "example.com/x"\n' });
    fs.appendFileSync(path.join(dir, 'go.mod'), '\nrequire example.com/x v1.0.0\n');
    const env = { GOPROXY: 'off', GOFLAGS: '-mod=mod' };
    const r = await analyzePackage({ dir, sources, env });
    assert.match(r.output, /^go: downloading example\.com\/x v1\.0\.0$/m, 'the go command printed its progress line');
    assert.match(r.errors[0].message, /module lookup disabled by GOPROXY=off/);
    assert.ok(r.errors.every((e) => !e.message.startsWith('go: downloading')));
    const human = cli([dir], { env });
    assert.equal(human.code, 3);
    assert.match(human.err, /does not build\n\s+\S*p\.go:3:8: module lookup disabled by GOPROXY=off/);
  });
});

describe('hardening: the language server\'s trust, vendored code and links', () => {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('initializationOptions.trusted: only a boolean counts; the log says which mode it runs in', async () => {
    for (const [init, state, log] of [
      [{ trusted: 'false' }, 'off', /untrusted: runs nothing \(initializationOptions\.trusted must be true or false, got "false"\)/],
      [{ trusted: false }, 'off', /untrusted: runs nothing \(initializationOptions\.trusted = false\)/],
      [{}, 'done', /trusted: runs the go command \(initializationOptions\.trusted not set/],
    ] as const) {
      c = await LspClient.start(() => ({}), init);
      const dir = tempModule({ 'm.go': LIB });
      const file = path.join(dir, 'm.go');
      c.open(file);
      const s = await c.waitFor(() => { const x = c!.status(file); return x && x.state !== 'analysing' && x; }, 'status');
      assert.equal(s.state, state, JSON.stringify(init));
      assert.equal(s.runs, state === 'off' ? 0 : 1);
      assert.ok(c.logs.some((l) => log.test(l)), c.logs.join('\n'));
      await c.stop();
      c = undefined;
    }
  });

  it('a code action request without context is answered; one without a range gets a one-line error', async () => {
    c = await LspClient.start();
    const dir = tempModule({ 'm.go': LIB });
    const file = path.join(dir, 'm.go');
    const uri = c.open(file);
    await c.settled(file);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const actions = await c.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range });
    assert.ok(Array.isArray(actions));
    await assert.rejects(c.conn.sendRequest('textDocument/codeAction', { textDocument: { uri } }),
      (e: Error) => e.message === 'textDocument/codeAction needs a textDocument and a range');
  });

  it('a module that lives under some "vendor" folder is analysed; a vendor/ dir in the module root is not', async () => {
    c = await LspClient.start();
    const root = tempDir();
    const app = path.join(root, 'vendor', 'app');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'go.mod'), 'module example.com/app\n\ngo 1.24\n');
    fs.writeFileSync(path.join(app, 'm.go'), LIB);
    fs.mkdirSync(path.join(app, 'vendor', 'example.com', 'v'), { recursive: true });
    fs.writeFileSync(path.join(app, 'vendor', 'example.com', 'v', 'v.go'), 'package v\n');
    const file = path.join(app, 'm.go');
    c.open(file);
    const s = await c.settled(file);
    assert.equal(s.state, 'done');
    assert.equal(c.diagnostics.get(pathToFileURL(file).href)?.length, 1);
    const vendored = path.join(app, 'vendor', 'example.com', 'v', 'v.go');
    c.open(vendored);
    const v = await c.waitFor(() => c!.status(vendored), 'status');
    assert.equal(v.state, 'excluded');
    assert.equal(v.runs, 0);
  });

  it('the cause link ("About <cause>") goes to the causes page the installed package really holds', async () => {
    // The layout of the installed .vsix: dist/ bundles, docs/causes.md beside them.
    const ext = tempDir('gel-ext-');
    fs.mkdirSync(path.join(ext, 'dist'));
    fs.copyFileSync(path.join(REPO, 'dist', 'server.js'), path.join(ext, 'dist', 'server.js'));
    // What the server reads at run time beside its bundle (the Go parser helper's source).
    fs.cpSync(path.join(REPO, 'dist', 'goast'), path.join(ext, 'dist', 'goast'), { recursive: true });
    fs.mkdirSync(path.join(ext, 'docs'));
    fs.copyFileSync(path.join(REPO, 'docs', 'causes.md'), path.join(ext, 'docs', 'causes.md'));
    c = await LspClient.start(() => ({}), {}, undefined, {}, { server: path.join(ext, 'dist', 'server.js') });
    const { file, uri } = await c.openInModule({ 'm.go': LIB });
    const d = c.diagnostics.get(uri)![0];
    const href = d.codeDescription!.href;
    const hover = await c.hover(file, d.range.start.line, d.range.start.character);
    // The hover's cause link: [`returned-value`](…#cause-returned-value).
    const link = /\[`[a-z-]+`\]\(([^)]+#cause-[a-z-]+)\)/.exec((hover!.contents as { value: string }).value)![1];
    for (const url of [href, link]) {
      const target = fileURLToPath(url.replace(/#.*$/, ''));
      assert.ok(fs.existsSync(target), `${target} exists`);
      assert.equal(path.dirname(target), path.join(ext, 'docs'));
      assert.match(url, /#cause-returned-value$/);
      assert.ok(fs.readFileSync(target, 'utf8').includes('<a id="cause-returned-value"></a>'));
    }
  });
});
