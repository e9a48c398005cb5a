// Contracts of saved logs (`--input`): real `-m=2` logs of real packages, checked by the bundled CLI, must
// give what the live run on the same packages gives (contractsCli.test.ts has the live expectations).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, tempDir, tempModule } from '../../helpers/goEnv';
import { LogContracts, goDirsOutside, importPathOf } from '../../../core/contracts/logContracts';
import type { AnalysisResult } from '../../../core/model';
import type { ContractReport } from '../../../core/model/contracts';

const CLI = path.join(REPO, 'dist', 'cli.js');
const BCE = '-d=ssa/check_bce/debug=1';

function cli(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `go build -gcflags=-m=2 PATTERN 2>log` (or go test -c), as a CI job saves it: the log's path. */
function saveLog(dir: string, gcflags: string, args: string[] = ['build', `-gcflags=${gcflags}`, './...']): string {
  const log = path.join(tempDir('gel-log-'), 'build.log');
  const r = spawnSync('go', args, { cwd: dir, encoding: 'utf8' });
  fs.writeFileSync(log, r.stderr);
  return log;
}

type Contracts = { directives: unknown[]; violations: { rule: string; file: string }[]; problems: { rule: string; file: string; message: string }[] };

/** The JSON report's contracts, each list as sorted JSON texts (the order of packages may differ). */
function contractsOf(out: string): { directives: string[]; violations: string[]; problems: string[]; raw: Contracts } {
  const c = JSON.parse(out).contracts as Contracts;
  const s = (l: unknown[]) => l.map((x) => JSON.stringify(x)).sort();
  return { directives: s(c.directives), violations: s(c.violations), problems: s(c.problems), raw: c };
}

/** The same contracts, in any order of packages. */
function assertSame(saved: ReturnType<typeof contractsOf>, live: ReturnType<typeof contractsOf>): void {
  assert.deepEqual(saved.directives, live.directives);
  assert.deepEqual(saved.violations, live.violations);
  assert.deepEqual(saved.problems, live.problems);
}

const summaryLine = (out: string) => /^Contracts: .*$/m.exec(out)?.[0];

describe('contracts of saved logs (--input)', () => {
  // A copy: a build of the fixture from its module root would leave compiler output with root-relative
  // paths in the build cache, which a later `go build` of the same package with the same flags in its own
  // directory (gcassert, in the pinned comparison) replays unchanged, and so misreads.
  const fixtures = path.join(tempDir('gel-logc-'), 'contracts');
  before(() => fs.cpSync(path.join(REPO, 'fixtures', 'contracts'), fixtures, { recursive: true }));

  it('reads a log whose packages were replayed from where they were first compiled as the live run does', () => {
    // A fresh build cache: q is compiled first in its own directory, so the module-wide build that is saved
    // replays it with paths relative to q/ (`./q.go`), while r, compiled there, prints `r/r.go`.
    const root = tempModule({
      'q/q.go': 'package q\n\nvar sink *int\n\nfunc At(s []int, i int) int {\n\tv := i\n\tsink = &v\n\t//gcassert:bce\n\treturn s[i]\n}\n',
      'r/r.go': 'package r\n\nfunc B(s []int, i int) int {\n\t//gcassert:bce\n\treturn s[i] + s[i+1]\n}\n',
    });
    const env = { ...process.env, GOCACHE: path.join(tempDir('gel-gocache-'), 'c'), GOFLAGS: '', NO_COLOR: '1' };
    assert.equal(spawnSync('go', ['build', `-gcflags=-m=2 ${BCE}`, '-o', os.devNull, '.'], { cwd: path.join(root, 'q'), env }).status, 0);
    const logFile = path.join(tempDir('gel-log-'), 'build.log');
    fs.writeFileSync(logFile, spawnSync('go', ['build', `-gcflags=./...=-m=2 ${BCE}`, '-o', os.devNull, './...'], { cwd: root, env, encoding: 'utf8' }).stderr);
    const log = fs.readFileSync(logFile, 'utf8');
    assert.match(log, /^\.\/q\.go:\d+:\d+: moved to heap: v$/m, 'q replayed with paths relative to q/');
    assert.match(log, /^r\/r\.go:\d+:\d+: Found IsInBounds$/m, 'r compiled at the root');
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, '--json', ...args], { cwd: REPO, env, encoding: 'utf8' });
    const live = run([path.join(root, '...')]);
    const saved = run(['--input', logFile, '--cwd', root]);
    assert.equal(saved.status, 1, saved.stderr);
    assert.equal(live.status, 1, live.stderr);
    const findings = (out: string) => (JSON.parse(out).findings as { file: string; range: unknown; message: string }[])
      .map((f) => `${path.relative(root, f.file)} ${JSON.stringify(f.range)} ${f.message}`).sort();
    assert.deepEqual(findings(saved.stdout), findings(live.stdout));
    assert.ok(findings(saved.stdout).some((f) => f.startsWith(`q${path.sep}q.go `) && f.endsWith('moved to heap: v')));
    assertSame(contractsOf(saved.stdout), contractsOf(live.stdout));
    assert.equal(contractsOf(saved.stdout).raw.violations.length, 3);
  });

  it('a log built with the bounds-check flag gives the live run\'s contracts: JSON, text, SARIF, Markdown, exit 1', () => {
    const log = saveLog(fixtures, `-m=2 ${BCE}`);
    const live = cli(['--json', './...'], fixtures);
    const saved = cli(['--json', '--input', log, '--cwd', fixtures]);
    assert.equal(live.code, 1, live.err);
    assert.equal(saved.code, 1, saved.err);
    const a = contractsOf(live.out);
    const b = contractsOf(saved.out);
    assert.ok(a.violations.length > 0 && a.directives.length > 0);
    assert.deepEqual(b.directives, a.directives);
    assert.deepEqual(b.violations, a.violations);
    assert.deepEqual(b.problems, a.problems);
    assert.ok(b.raw.violations.some((v) => v.rule === 'gcassert-bce'), 'bounds checks are read from the log');
    // The text report (paths relative to --cwd on both sides). Every log of the fixture is built in its
    // module root: a build in a package's directory would leave output with other relative paths in the
    // build cache, which the go command replays in the root.
    const liveText = cli(['./...'], fixtures);
    const savedText = cli(['--input', log, '--cwd', fixtures]);
    assert.equal(savedText.code, 1);
    assert.equal(summaryLine(savedText.out), `Contracts: ${a.directives.length} directives, ${a.violations.length} broken`);
    assert.equal(summaryLine(savedText.out), summaryLine(liveText.out));
    assert.match(savedText.out, /^ {2}error noheap\/noheap\.go:17:9 {2}Contract broken \(\/\/escape:noheap\): Direct must not allocate, but &Point\{\.\.\.\} escapes to heap .*\[contract-noheap\]$/m);
    // From standard input (a pipe) too.
    const piped = spawnSync(process.execPath, [CLI, '--json', '--input', '-', '--cwd', fixtures], { input: fs.readFileSync(log), encoding: 'utf8' });
    assert.equal(piped.status, 1, piped.stderr);
    assertSame(contractsOf(piped.stdout), a);
    // SARIF and Markdown carry them.
    const dir = tempDir();
    const sarif = path.join(dir, 'log.sarif');
    const md = path.join(dir, 'log.md');
    assert.equal(cli(['--sarif', sarif, '--markdown', md, '--input', log, '--cwd', fixtures]).code, 1);
    const results = JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results as { ruleId: string }[];
    const count = (id: string) => results.filter((r) => r.ruleId === id).length;
    assert.equal(count('contract-noheap'), 4);
    assert.equal(count('gcassert-bce'), b.raw.violations.filter((v) => v.rule === 'gcassert-bce').length);
    assert.equal(count('contract-directive'), 6);
    assert.match(fs.readFileSync(md, 'utf8'), new RegExp(`❌ \\*\\*${a.violations.length} broken contracts\\*\\*`));
  });

  it('a log built without the bounds-check flag: each //gcassert:bce is a directive warning saying how to save it, the rest as live', () => {
    const log = saveLog(fixtures, '-m=2');
    const live = contractsOf(cli(['--json', './...'], fixtures).out).raw;
    const r = cli(['--json', '--input', log, '--cwd', fixtures]);
    assert.equal(r.code, 1, r.err);
    const saved = contractsOf(r.out);
    const bce = live.directives.filter((d) => (d as { rule: string }).rule === 'gcassert-bce');
    assert.equal(bce.length, 7);
    // Not reported as held: not among the checked directives, and a warning at each.
    assert.deepEqual(saved.directives, live.directives.filter((d) => !bce.includes(d)).map((d) => JSON.stringify(d)).sort());
    assert.deepEqual(saved.violations, live.violations.filter((v) => v.rule !== 'gcassert-bce').map((v) => JSON.stringify(v)).sort());
    const unchecked = saved.raw.problems.filter((p) => p.message.startsWith('//gcassert:bce not checked'));
    assert.equal(unchecked.length, bce.length);
    assert.deepEqual(unchecked.map((p) => JSON.stringify((p as unknown as { range: unknown }).range)).sort(),
      bce.map((d) => JSON.stringify((d as { range: unknown }).range)).sort());
    assert.ok(unchecked.every((p) => p.rule === 'contract-directive' && p.message.includes(`-gcflags='-m=2 ${BCE}'`)));
    assert.equal(saved.problems.length, live.problems.length + bce.length);
    const text = cli(['--input', log, '--cwd', fixtures]);
    assert.match(text.out, /^ {2}warning gcassert\/bce\.go:7:2 {2}\/\/gcassert:bce not checked: the log has no bounds-check output for this package \(built without -d=ssa\/check_bce\/debug=1\)/m);
  });

  it('a several-package module\'s log, saved elsewhere and read from another directory: the live run\'s contracts; a package whose contracts hold exits 0', () => {
    const root = tempModule({
      'a/a.go': 'package a\n\n//escape:noheap\nfunc Sum(a, b int) int { return a + b }\n',
      'b/b.go': 'package b\n\ntype P struct{ X int }\n\nvar last *P\n\n//escape:noheap\nfunc Keep(x int) {\n\tlast = &P{X: x}\n}\n\nfunc Get(s []int, i int) int {\n\treturn s[i] //gcassert:bce\n}\n',
      'b/b_test.go': 'package b\n\nimport "testing"\n\nvar sink *P\n\n//escape:noheap\nfunc helper() { sink = &P{} }\n\nfunc TestB(t *testing.T) { helper() }\n',
      'b/ext_test.go': 'package b_test\n\nimport "testing"\n\nvar keep []int\n\n//escape:noheap\nfunc grow(n int) { keep = make([]int, n) }\n\nfunc TestExt(t *testing.T) { grow(3) }\n',
    });
    const live = cli(['--json', './...'], root);
    assert.equal(live.code, 1, live.err);
    const log = saveLog(root, `-m=2 ${BCE}`);
    assert.match(fs.readFileSync(log, 'utf8'), /^b\/b\.go:\d+:\d+: /m, 'paths relative to the module root');
    const saved = cli(['--json', '--input', log, '--cwd', root], REPO);
    assert.equal(saved.code, 1, saved.err);
    const a = contractsOf(live.out);
    const b = contractsOf(saved.out);
    assert.equal(a.raw.violations.length, 2, 'Keep allocates; s[i] keeps its bounds check');
    assertSame(b, a);
    // The test variant (`# p [p.test]`): its _test.go directives too, as `--tests` checks them.
    const liveTests = cli(['--json', '--tests', './b'], root);
    const testLog = saveLog(root, `-m=2 ${BCE}`, ['test', '-c', '-o', path.join(tempDir(), 'b.test'), `-gcflags=-m=2 ${BCE}`, './b']);
    assert.match(fs.readFileSync(testLog, 'utf8'), /^# example\.com\/m\/b \[example\.com\/m\/b\.test\]$/m);
    assert.match(fs.readFileSync(testLog, 'utf8'), /^# example\.com\/m\/b_test \[example\.com\/m\/b\.test\]$/m);
    // The go command prints the package's paths relative to its directory here (`./b.go`).
    const savedTests = cli(['--json', '--input', testLog, '--cwd', path.join(root, 'b')]);
    assert.equal(savedTests.code, 1);
    assert.equal(contractsOf(liveTests.out).raw.violations.length, 4, 'Keep, s[i], helper, grow');
    assertSame(contractsOf(savedTests.out), contractsOf(liveTests.out));
    // Contracts that hold: exit 0, as live.
    const held = cli(['--input', saveLog(path.join(root, 'a'), '-m=2', ['build', '-gcflags=-m=2', '.']), '--cwd', path.join(root, 'a')]);
    assert.equal(held.code, 0, held.out);
    assert.equal(summaryLine(held.out), 'Contracts: 1 directive, 0 broken');
  });

  it('a dependency\'s directives are never reported, though the log names its file first on a line (generic code)', () => {
    const top = tempDir();
    const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(top, rel)), { recursive: true }); fs.writeFileSync(path.join(top, rel), text); };
    write('dep/go.mod', 'module example.com/dep\n\ngo 1.24\n');
    write('dep/dep.go', 'package dep\n\ntype Box[V any] struct{ v V }\n\n//escape:noheap\nfunc Wrap[V any](v V) *Box[V] { return &Box[V]{v: v} }\n');
    write('m/go.mod', 'module example.com/m\n\ngo 1.24\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ../dep\n');
    write('m/m.go', 'package m\n\nimport "example.com/dep"\n\nvar Kept *dep.Box[string]\n\n//escape:noheap\nfunc Use(s string) { Kept = dep.Wrap(s) }\n');
    const dir = path.join(top, 'm');
    const log = saveLog(dir, '-m=2');
    assert.match(fs.readFileSync(log, 'utf8'), /^\.\.\/dep\/dep\.go:6:\d+: &dep\.Box\[go\.shape\.string\]\{\.\.\.\} escapes to heap/m, 'the dependency\'s allocation is printed at its own file');
    const live = cli(['--json', '.'], dir);
    const saved = cli(['--json', '--input', log, '--cwd', dir]);
    assert.equal(saved.code, 1, saved.err);
    const b = contractsOf(saved.out);
    assert.ok(b.raw.violations.length === 1 && b.raw.violations[0].file === path.join(dir, 'm.go'));
    assert.ok(![...b.directives, ...b.problems].some((t) => t.includes(`${path.sep}dep${path.sep}dep.go`)));
    assertSame(b, contractsOf(live.out));
  });

  it('a failed build\'s log checks no contracts (exit 3), as a live run', () => {
    const dir = tempModule({ 'p.go': 'package p\n\nvar last *int\n\n//escape:noheap\nfunc F(x int) { last = &x }\n\nfunc G() int { return undefinedName }\n' });
    const r = cli(['--json', '--input', saveLog(dir, '-m=2'), '--cwd', dir]);
    assert.equal(r.code, 3);
    assert.deepEqual(JSON.parse(r.out).contracts, { directives: [], violations: [], problems: [] });
    assert.deepEqual(JSON.parse(cli(['--json', '.'], dir).out).contracts, { directives: [], violations: [], problems: [] });
  });

  it('LogContracts: the same reports whatever pieces the log comes in; GOROOT is outside; import paths from go.mod', async () => {
    const log = fs.readFileSync(saveLog(fixtures, `-m=2 ${BCE}`), 'utf8');
    const result: AnalysisResult = { findings: [], errors: [], skipped: 0, exitCode: 0 };
    const outside = await goDirsOutside(fixtures);
    assert.equal(outside.length, 2);
    const run = (pieces: string[]): ContractReport[] => {
      const lc = new LogContracts(fixtures);
      for (const p of pieces) lc.write(p);
      lc.end();
      return lc.check(result, outside);
    };
    const whole = run([log]);
    assert.deepEqual(whole.map((r) => path.dirname(r.directives[0].file)).sort(), ['gcassert', 'noheap'].map((d) => path.join(fixtures, d)));
    const pieces: string[] = [];
    for (let i = 0; i < log.length; i += 37) pieces.push(log.slice(i, i + 37));
    assert.deepEqual(run(pieces), whole);
    // A header-less log (one package's lines): one section, the package its lines name.
    const noheapOnly = log.split(/^# /m).find((s) => s.startsWith('example.com/contracts/noheap\n'))!.split('\n').slice(1).join('\n');
    const lc = new LogContracts(fixtures);
    lc.write(noheapOnly);
    lc.end();
    assert.deepEqual(lc.check(result, outside).map((r) => r.directives.length), [9]);
    assert.equal(importPathOf(path.join(fixtures, 'gcassert')), 'example.com/contracts/gcassert');
    assert.equal(importPathOf(fixtures), 'example.com/contracts');
    // Its findings decide noheap: without them, only gcassert's (compiler lines) break.
    assert.ok(whole.flatMap((r) => r.violations).every((v) => v.rule !== 'noheap'));
  });
});
