// The go command from the user's setup: the Go extension's go.goroot / go.alternateTools.go, and a
// go.mod `toolchain` line the go command downloads on first use (a real download from a local proxy).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { goCommandFromGoExtension } from '../../client/goCommandFromGoExtension';
import { analyzePackage } from '../../core/analysis/analyzePackage';
import { loadGoParser } from '../../core/locate/goParser';
import { SourceCache } from '../../core/locate/sourceCache';
import { LINUX, WIN32 } from '../../core/platform';
import { watchDownloads, type DownloadNotice } from '../../core/run/downloads';
import { PassThrough } from 'node:stream';
import { REPO, tempModule } from '../helpers/goEnv';
import { LspClient } from '../helpers/lspClient';
import { fakeToolchainProxy } from '../helpers/toolchain';

const SRC = 'package m\n\nfunc F() *int { x := 1; return &x }\n';
/** A module whose go.mod asks for a toolchain newer than the one installed. */
const withToolchainLine = (version: string) => {
  const dir = tempModule({ 'm.go': SRC }, '1.21\n\ntoolchain ' + version);
  return { dir, file: path.join(dir, 'm.go') };
};

describe('go command from the Go extension settings', () => {
  const x = { home: '/home/dev', workspaceFolder: '/home/dev/src/m', env: { GOSDK: '/opt/go' } };
  it('an absolute go.alternateTools.go wins over go.goroot', () => {
    assert.equal(goCommandFromGoExtension({ alternateTools: { go: '/opt/go1.22/bin/go' }, goroot: '/usr/local/go' }, x, LINUX), '/opt/go1.22/bin/go');
  });
  it('go.goroot gives its bin/go (bin\\go.exe on Windows)', () => {
    assert.equal(goCommandFromGoExtension({ goroot: '/usr/local/go1.23' }, x, LINUX), '/usr/local/go1.23/bin/go');
    assert.equal(goCommandFromGoExtension({ goroot: 'C:\\Program Files\\Go' }, x, WIN32), 'C:\\Program Files\\Go\\bin\\go.exe');
  });
  it('an alternate name is looked up in go.goroot, else on the PATH', () => {
    assert.equal(goCommandFromGoExtension({ alternateTools: { go: 'go1.23.4' }, goroot: '/opt/go' }, x, LINUX), '/opt/go/bin/go1.23.4');
    assert.equal(goCommandFromGoExtension({ alternateTools: { go: 'go1.23.4' } }, x, LINUX), 'go1.23.4');
  });
  it('expands ~, ${workspaceFolder} and ${env:X} as the Go extension does', () => {
    assert.equal(goCommandFromGoExtension({ goroot: '~/sdk/go1.23' }, x, LINUX), '/home/dev/sdk/go1.23/bin/go');
    assert.equal(goCommandFromGoExtension({ alternateTools: { go: '${workspaceFolder}/tools/go' } }, x, LINUX), '/home/dev/src/m/tools/go');
    assert.equal(goCommandFromGoExtension({ goroot: '${env:GOSDK}' }, x, LINUX), '/opt/go/bin/go');
  });
  it('names none when neither is set (goEscapeLens.goCommand\'s default stays)', () => {
    assert.equal(goCommandFromGoExtension({}, x, LINUX), undefined);
    assert.equal(goCommandFromGoExtension({ alternateTools: { gopls: '/x/gopls' }, goroot: '' }, x, LINUX), undefined);
    assert.equal(goCommandFromGoExtension({ alternateTools: 'nonsense', goroot: 42 }, x, LINUX), undefined);
  });
});

describe('toolchain downloads', () => {
  it('finds download lines in a stream whatever its chunks split, among megabytes of -m=2 output', async () => {
    const stream = new PassThrough();
    const notices: DownloadNotice[] = [];
    watchDownloads(stream, (n) => notices.push(n));
    const text = 'go: downloading github.com/gorilla/mux v1.8.1\r\n' + './m.go:3:17: flow: x ← &y:\n'.repeat(20000) +
      'go: downloading go1.23.4 (linux/amd64)\n./m.go:4:2: moved to heap: x\ngo: downloading example.com/last v0.1.0';
    const bytes = Buffer.from(text);
    // Chunks of odd sizes: lines (and the arrow's UTF-8 bytes) split between them.
    for (let i = 0, n = 7; i < bytes.length; i += n, n = (n * 31) % 65521 + 1) stream.write(bytes.subarray(i, i + n));
    stream.end();
    await new Promise((r) => stream.on('finish', r));
    assert.deepEqual(notices, [
      { kind: 'module', what: 'github.com/gorilla/mux v1.8.1' },
      { kind: 'toolchain', what: 'go1.23.4 (linux/amd64)' },
    ], 'a line is told once it has ended');
  });

  it('a go.mod toolchain line: the go command downloads it first, and the caller is told while it runs', async () => {
    const proxy = fakeToolchainProxy('go1.99.0');
    const { dir } = withToolchainLine(proxy.version);
    const notices: DownloadNotice[] = [];
    let doneAtNotice: boolean | undefined;
    let done = false;
    const running = analyzePackage({
      dir, env: proxy.env, sources: new SourceCache(await loadGoParser()),
      onDownload: (n) => { notices.push(n); doneAtNotice ??= done; },
    });
    const r = await running.finally(() => { done = true; });
    assert.deepEqual(r.errors, [], r.output);
    assert.deepEqual(notices.map((n) => n.kind + ' ' + n.what.split(' ')[0]), ['toolchain go1.99.0'], `go printed:\n${r.output.slice(0, 400)}`);
    assert.equal(doneAtNotice, false, 'told before the build ended');
    assert.ok(r.findings.some((f) => f.message === 'moved to heap: x'), 'then analysed as usual');
  });

  it('the language server says "downloading Go toolchain" in its status, then the findings', async () => {
    const proxy = fakeToolchainProxy('go1.99.1');
    const c = await LspClient.start(() => ({ env: proxy.env, quickFixes: false }));
    try {
      const { file } = withToolchainLine(proxy.version);
      const uri = c.open(file);
      const s = await c.settled(file);
      const downloading = c.statuses.filter((p) => p.downloading);
      assert.ok(downloading.length > 0, 'a status while downloading');
      assert.equal(downloading[0].state, 'analysing');
      assert.match(downloading[0].downloading!, /^Go toolchain go1\.99\.1 \(\w+\/\w+\)$/);
      assert.equal(s.state, 'done');
      assert.equal(s.downloading, undefined, 'cleared once the run ends');
      assert.ok(c.diagnostics.get(uri)!.some((d) => d.message.startsWith('moved to heap: x')));
    } finally {
      await c.stop();
    }
  });

  it('the CLI says so on stderr once, also when go list downloads it (./...), then prints the findings', () => {
    const proxy = fakeToolchainProxy('go1.99.3');
    const { dir } = withToolchainLine(proxy.version);
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--no-color', './...'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...proxy.env } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.match(/downloading Go toolchain go1\.99\.3/g)?.length, 1, r.stderr);
    assert.match(r.stdout, /moved to heap: x/);
  });

  it('the CLI says so on stderr, then prints the findings', () => {
    const proxy = fakeToolchainProxy('go1.99.2');
    const { dir } = withToolchainLine(proxy.version);
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--no-color', dir], { encoding: 'utf8', env: { ...process.env, ...proxy.env } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /the go command is downloading Go toolchain go1\.99\.2 \(\w+\/\w+\)/);
    assert.match(r.stdout, /moved to heap: x/);
  });
});
