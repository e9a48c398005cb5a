// Builds for the compiler's diagnostics skip linking (core/run/noLink.ts, goast -nolink): the same output
// and findings as a build that links, commands and test binaries never linked, the build cache shared with
// plain builds, no real build ever handed an empty executable, and never with a -toolexec of the user's.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage, type PackageAnalysis } from '../../../core/analysis/analyzePackage';
import { analyzePackages } from '../../../core/analysis/analyzePackages';
import { SourceCache } from '../../../core/locate/sourceCache';
import { noLinkFlag, supported } from '../../../core/run/noLink';
import { goEnvOnce } from '../../../core/run/goEnv';
import { tempDir, tempModule } from '../../helpers/goEnv';

const CMD = 'package main\n\nimport "fmt"\n\ntype T struct{ n int }\n\nfunc main() {\n\tt := &T{n: 1}\n\tfmt.Println(t)\n}\n';
const LIB = 'package lib\n\nvar keep []*int\n\nfunc Keep(n int) { keep = append(keep, &n) }\n';
const LIB_TEST = 'package lib\n\nimport "testing"\n\nfunc TestKeep(t *testing.T) { x := 3; Keep(x); t.Log(&x) }\n';

function comparable(r: Pick<PackageAnalysis, 'findings' | 'errors'>): string {
  return JSON.stringify({ findings: r.findings, errors: r.errors });
}

describe('builds for diagnostics skip linking (goast -nolink)', function () {
  this.timeout(180_000);
  if (process.platform === 'win32') return;
  const sources = new SourceCache();
  let goVersion: string | undefined;
  let root: string;

  before(async () => {
    root = tempModule({ 'cmd/app/main.go': CMD, 'lib/lib.go': LIB, 'lib/lib_test.go': LIB_TEST });
    // The helper built, GOFLAGS and GOVERSION known (a build that links waits for them, up to a few seconds).
    await noLinkFlag({ dir: root }, () => sources.helperReady(), 30_000);
    goVersion = await goEnvOnce({ dir: root }, 'GOVERSION', true).answer;
  });

  it('is offered for a Go release from 1.26 on, and not for older ones or development toolchains', () => {
    assert.ok(supported('go1.26.0') && supported('go1.26.8') && supported('go1.27.3') && supported('go1.30'));
    assert.ok(!supported('go1.25.9') && !supported('go1.22.12') && !supported('go1.27rc1'));
    assert.ok(!supported('devel go1.27-3b7a1e2 Tue Nov 10 2026') && !supported(undefined) && !supported(''));
  });

  it('a command: analysed without linking, with the same output and findings as a build that links', async function () {
    if (!supported(goVersion)) this.skip();
    const dir = path.join(root, 'cmd', 'app');
    const fast = await analyzePackage({ dir, sources });
    assert.ok(fast.args.some((a) => a.startsWith('-toolexec=') && a.endsWith(' -nolink')), fast.args.join(' '));
    // -buildmode of the user's: the linker's outputs are theirs, so it links.
    const linked = await analyzePackage({ dir, sources, buildFlags: ['-buildmode=exe'] });
    assert.ok(!linked.args.some((a) => a.includes('-nolink')), linked.args.join(' '));
    assert.ok(fast.findings.some((f) => f.kind === 'escapes' || f.kind === 'moved-to-heap'));
    assert.equal(comparable(fast), comparable(linked));
  });

  it("a command whose link fails: its escapes are reported (a link error is the one error such a build never sees)", async function () {
    if (!supported(goVersion)) this.skip();
    const dir = tempModule({ 'main.go': 'package main\n\nimport _ "unsafe"\n\n//go:linkname missing example.com/m/other.doesNotExist\nfunc missing()\n\n' +
      'var sink *int\n\nfunc main() {\n\tx := 1\n\tsink = &x\n\tmissing()\n}\n' });
    const linked = await analyzePackage({ dir, sources, buildFlags: ['-buildmode=exe'] });
    assert.match(linked.errors.map((e) => e.message).join('\n'), /relocation target .* not defined/);
    const fast = await analyzePackage({ dir, sources });
    assert.deepEqual([fast.exitCode, fast.errors], [0, []]);
    assert.deepEqual(fast.findings.map((f) => f.message), ['moved to heap: x']);
  });

  it('a test binary (go test -c) is not linked either; a package without main gets no wrapper', async function () {
    if (!supported(goVersion)) this.skip();
    const dir = path.join(root, 'lib');
    const tests = await analyzePackage({ dir, sources, mode: 'test' });
    assert.ok(tests.args.some((a) => a.endsWith(' -nolink')), tests.args.join(' '));
    assert.equal(comparable(tests), comparable(await analyzePackage({ dir, sources, mode: 'test', buildFlags: ['-buildmode=exe'] })));
    const lib = await analyzePackage({ dir, sources });
    assert.ok(!lib.args.some((a) => a.startsWith('-toolexec')), 'nothing to link, no wrapper to start');
  });

  it('a tree with commands, one go command: the same findings as a build that links', async function () {
    if (!supported(goVersion)) this.skip();
    const dirs = [path.join(root, 'cmd', 'app'), path.join(root, 'lib')];
    const toolexec = await noLinkFlag({ dir: root }, () => sources.helperReady(), 30_000);
    assert.ok(toolexec);
    const fast = await analyzePackages({ root, pattern: './...', dirs, sources, toolexec });
    const linked = await analyzePackages({ root, pattern: './...', dirs, sources });
    assert.ok(fast.run.args.includes(toolexec!) && !linked.run.args.some((a) => a.includes('-nolink')));
    assert.equal(fast.run.exitCode, 0);
    assert.equal(JSON.stringify(fast.parts.map(comparable)), JSON.stringify(linked.parts.map(comparable)));
    // The CLI's way: import paths known, the go command's output split by package as it comes.
    const importPaths = new Map([[dirs[0], 'example.com/m/cmd/app'], [dirs[1], 'example.com/m/lib']]);
    const streamed = await analyzePackages({ root, pattern: './...', dirs, importPaths, sources, toolexec });
    assert.ok(streamed.streamed && streamed.run.args.includes(toolexec!), streamed.run.args.join(' '));
    assert.equal(JSON.stringify(streamed.parts.map(comparable)), JSON.stringify(linked.parts.map(comparable)));
  });

  it('the helper: a link is an empty file, the linker answers -V=full with a mark of its own, and plain builds still get real executables', async function () {
    if (!supported(goVersion)) this.skip();
    const helper = (await sources.helperReady())!;
    const out = path.join(tempDir(), 'app');
    const env = { ...process.env, GOFLAGS: '-mod=mod' };
    execFileSync('go', ['build', `-toolexec=${helper} -nolink`, '-o', out, './cmd/app'], { cwd: root, env });
    assert.equal(fs.statSync(out).size, 0, 'not linked');
    const tooldir = execFileSync('go', ['env', 'GOTOOLDIR'], { cwd: root, encoding: 'utf8' }).trim();
    const link = path.join(tooldir, 'link');
    const plainLine = execFileSync(link, ['-V=full'], { encoding: 'utf8' }).trim();
    assert.equal(execFileSync(helper, ['-nolink', link, '-V=full'], { encoding: 'utf8' }).trim(), `${plainLine} X:go-escape-lens-nolink`);
    assert.equal(execFileSync(helper, ['-nolink', path.join(tooldir, 'compile'), '-V=full'], { encoding: 'utf8' }).trim(),
      execFileSync(path.join(tooldir, 'compile'), ['-V=full'], { encoding: 'utf8' }).trim(), "the compiler's answer is its own");
    // Right after: a plain build and `go run` of the same command (its compiles replayed) link for real.
    execFileSync('go', ['build', '-o', out, './cmd/app'], { cwd: root, env });
    assert.ok(fs.statSync(out).size > 100_000);
    const run = spawnSync('go', ['run', './cmd/app'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /&\{1\}/);
  });

  it("never replaces a -toolexec of the user's (flags or GOFLAGS)", async () => {
    const bin = () => sources.helperReady();
    assert.equal(await noLinkFlag({ dir: root, buildFlags: ['-toolexec=/usr/bin/env'] }, bin, 30_000), undefined);
    assert.equal(await noLinkFlag({ dir: root, env: { GOFLAGS: '-toolexec=/usr/bin/env' } }, bin, 30_000), undefined);
    assert.equal(await noLinkFlag({ dir: root, env: { GOFLAGS: '-buildmode=pie' } }, bin, 30_000), undefined);
  });
});
