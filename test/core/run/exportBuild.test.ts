// Builds for the compiler's diagnostics run through `go list -export` (core/run/flags.ts): the same
// findings and errors as `go build` / `go test -c` give, commands and test binaries never linked and
// nothing written into the tree, the build cache shared with plain builds.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeOutput } from '../../../core/analysis/analyze';
import { analyzePackage, type PackageAnalysis } from '../../../core/analysis/analyzePackage';
import { analyzePackages } from '../../../core/analysis/analyzePackages';
import type { AnalysisResult } from '../../../core/model';
import { SourceCache } from '../../../core/locate/sourceCache';
import { tempDir, tempModule } from '../../helpers/goEnv';

const CMD = 'package main\n\nimport "fmt"\n\ntype T struct{ n int }\n\nfunc main() {\n\tt := &T{n: 1}\n\tfmt.Println(t)\n}\n';
const LIB = 'package lib\n\nvar keep []*int\n\nfunc Keep(n int) { keep = append(keep, &n) }\n';
const LIB_TEST = 'package lib\n\nimport "testing"\n\nfunc TestKeep(t *testing.T) { x := 3; Keep(x); t.Log(&x) }\n';
const LIB_XTEST = 'package lib_test\n\nimport (\n\t"testing"\n\n\t"example.com/m/lib"\n)\n\nfunc TestX(t *testing.T) { y := 4; lib.Keep(y); t.Log(&y) }\n';

function comparable(r: Pick<AnalysisResult, 'findings' | 'errors'>): string {
  return JSON.stringify({ findings: r.findings, errors: r.errors });
}

/** The findings of what a plain go command (that links, or writes a test binary) prints. */
function plain(dir: string, args: string[], sources: SourceCache): AnalysisResult {
  const r = spawnSync('go', [...args, '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8' });
  return analyzeOutput(r.stdout + r.stderr, { cwd: dir, exitCode: r.status ?? 1, sources, packageDirs: [dir] });
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('builds for diagnostics through go list -export', function () {
  this.timeout(180_000);
  const sources = new SourceCache();
  let root: string;
  let tree: string[];

  before(() => {
    root = tempModule({ 'cmd/app/main.go': CMD, 'lib/lib.go': LIB, 'lib/lib_test.go': LIB_TEST, 'lib/x_test.go': LIB_XTEST });
    tree = listing(root);
  });

  it('a command: the same findings as a go build that links, and no link', async () => {
    const dir = path.join(root, 'cmd', 'app');
    const r = await analyzePackage({ dir, sources });
    assert.deepEqual(r.args.slice(0, 2), ['list', '-export']);
    assert.ok(!r.args.includes('-o') && !r.args.some((a) => a.startsWith('-toolexec')), r.args.join(' '));
    assert.ok(r.findings.some((f) => f.message === '&T{...} escapes to heap'));
    assert.equal(comparable(r), comparable(plain(dir, ['build'], sources)));
    assert.deepEqual(listing(root), tree, 'nothing written into the tree');
  });

  it('tests: the same findings as go test -c, each once (the package\'s plain compile is left out)', async () => {
    const dir = path.join(root, 'lib');
    const r = await analyzePackage({ dir, sources, mode: 'test' });
    assert.ok(r.args.includes('-test'), r.args.join(' '));
    assert.doesNotMatch(r.output, /^# example\.com\/m\/lib$/m);
    assert.match(r.output, /^# example\.com\/m\/lib \[example\.com\/m\/lib\.test\]$/m);
    const expected = plain(dir, ['test', '-c', '-vet=off'], sources);
    assert.equal(comparable(r), comparable(expected));
    assert.ok(r.findings.some((f) => f.file.endsWith('x_test.go')) && r.findings.some((f) => f.file.endsWith('lib_test.go')));
    assert.deepEqual(r.findings.filter((f) => f.file.endsWith('lib.go')).map((f) => [f.message, f.otherPaths]),
      expected.findings.filter((f) => f.file.endsWith('lib.go')).map((f) => [f.message, f.otherPaths]));
  });

  it('a package that does not build: its compile errors reach the user once, with a failed exit status, in both modes', async () => {
    const dir = tempModule({ 'b.go': 'package b\n\nfunc F() int { return undefined }\n', 'b_test.go': 'package b\n\nimport "testing"\n\nfunc TestF(t *testing.T) { F() }\n' });
    for (const [mode, args] of [['build', ['build']], ['test', ['test', '-c', '-vet=off']]] as const) {
      const r: PackageAnalysis = await analyzePackage({ dir, sources, mode });
      assert.notEqual(r.exitCode, 0, mode);
      assert.deepEqual(r.errors.map((e) => e.message), ['undefined: undefined'], mode);
      assert.equal(comparable(r), comparable(plain(dir, [...args], sources)), mode);
    }
  });

  it('a tree with commands, one go command: the same findings as go build ./..., whole or streamed', async () => {
    const dirs = [path.join(root, 'cmd', 'app'), path.join(root, 'lib')];
    const whole = await analyzePackages({ root, pattern: './...', dirs, sources });
    assert.equal(whole.run.exitCode, 0);
    const importPaths = new Map([[dirs[0], 'example.com/m/cmd/app'], [dirs[1], 'example.com/m/lib']]);
    const streamed = await analyzePackages({ root, pattern: './...', dirs, importPaths, sources });
    assert.ok(streamed.streamed);
    const built = spawnSync('go', ['build', '-gcflags=./...=-m=2', '-o', os.devNull, './...'], { cwd: root, encoding: 'utf8' });
    const expected = analyzeOutput(built.stderr, { cwd: root, sources, packageDirs: dirs,
      packageDirOf: new Map([['example.com/m/cmd/app', dirs[0]], ['example.com/m/lib', dirs[1]]]) });
    const all = (parts: { findings: unknown[] }[]) => JSON.stringify(parts.flatMap((p) => p.findings));
    assert.equal(all(whole.parts), JSON.stringify(expected.findings));
    assert.equal(all(streamed.parts), JSON.stringify(expected.findings));
  });

  it('right after, a plain go build (its compiles replayed) still links a real executable that runs', () => {
    const out = path.join(tempDir(), 'app');
    const b = spawnSync('go', ['build', '-o', out, './cmd/app'], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    assert.ok(fs.statSync(out).size > 100_000);
    const run = spawnSync(out, [], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /&\{1\}/);
  });

  it('an unsaved buffer through -overlay: compiled as the editor holds it', async () => {
    const dir = path.join(root, 'lib');
    const file = path.join(dir, 'lib.go');
    const overlay = new Map([[file, 'package lib\n\nvar keep2 []*int\n\nfunc Keep(n int) { m := n; keep2 = append(keep2, &m) }\n']]);
    const r = await analyzePackage({ dir, sources, overlay });
    assert.ok(r.args.some((a) => a.startsWith('-overlay=')));
    assert.ok(r.findings.some((f) => f.message === 'moved to heap: m'), JSON.stringify(r.findings.map((f) => f.message)));
  });
});
