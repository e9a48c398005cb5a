// The compile's output analysed while its backend runs (core/run/earlyOutput.ts, goast -tee): the same
// findings as the analysis of what the go command prints, the build cache shared with plain builds, and
// the printed text the judge whenever the early copy differs from it.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePackage, type PackageAnalysis } from '../../../core/analysis/analyzePackage';
import { SourceCache } from '../../../core/locate/sourceCache';
import { registered } from '../../../core/run/processes';
import { CancelledError, lazyProperty } from '../../../core/run/spawn';
import { asGoPrints } from '../../../core/run/goPrints';
import { withoutDownloads } from '../../../core/parse/earlyParse';
import { tempDir, tempModule } from '../../helpers/goEnv';
import { CORPUS, CORPUS_DIR } from '../../helpers/corpus';
import { generatePackage } from '../../../bench/generate';

/** A module with a generated package big enough for the early analysis (>64 kB) that instantiates a sibling's generic function. */
function bigModule(extra: Record<string, string> = {}): { root: string; dir: string } {
  const root = tempModule({
    // The instantiation of a generic function is compiled with its caller, at the sibling's file: the
    // compiler names it by its absolute path, which go prints as ../q/q.go.
    'q/q.go': 'package q\n\nfunc Wrap[T any](v T) *T {\n\tp := &v\n\tfor i := 0; i < 3; i++ {\n\t\tp = &v\n\t}\n\treturn p\n}\n',
  }, '1.22', 'example.com/generated');
  const dir = path.join(root, 'big');
  generatePackage(dir, 400);
  fs.rmSync(path.join(dir, 'go.mod'));
  fs.writeFileSync(path.join(dir, 'use.go'), 'package generated\n\nimport "example.com/generated/q"\n\nvar ints []*int\n\nfunc Keep(n int) { ints = append(ints, q.Wrap(n)) }\n');
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  return { root, dir };
}

/** New content for the compiler (a cache miss): a comment at the end of the generated file. */
function touch(dir: string, tag: string): void {
  fs.appendFileSync(path.join(dir, 'generated.go'), `\n// ${tag} ${Date.now()}\n`);
}

function comparable(r: PackageAnalysis): string {
  return JSON.stringify({ findings: r.findings, errors: r.errors, contracts: r.contracts ?? null });
}

describe('early analysis of the compile output (goast -tee)', function () {
  this.timeout(180_000);
  if (process.platform === 'win32') return;
  const sources = new SourceCache();

  before(async () => {
    // The tee is the parser helper: built by a first analysis, which also asks the go command's GOFLAGS.
    const { dir } = bigModule();
    const first = await analyzePackage({ dir, sources, early: true });
    assert.equal(first.early, undefined, 'not before the helper is built and GOFLAGS known');
    assert.ok(sources.helperBinary(), 'the parser helper is built');
  });

  it('analyses a big package while the backend runs: the same findings as from the printed output', async () => {
    const { dir } = bigModule();
    touch(dir, 'early');
    const before = registered().tempDirs;
    const early = await analyzePackage({ dir, sources, early: true });
    assert.equal(early.early, 'used', 'the early copy was analysed and kept');
    assert.ok(early.args.some((a) => a.startsWith('-toolexec=') && a.includes(' -tee ')), early.args.join(' '));
    assert.equal(registered().tempDirs, before, "the tee's socket dir is removed");
    // The same content again without the tee: a build-cache replay of the same printed output.
    const printed = await analyzePackage({ dir, sources });
    assert.equal(printed.output, early.output, 'go printed the same text both times');
    assert.equal(comparable(early), comparable(printed));
    assert.ok(early.findings.length > 4000, `${early.findings.length} findings`);
    // Lines the compiler printed with the sibling package's absolute path, rewritten as go rewrites them.
    assert.match(early.output, /^\.\.\/q\/q\.go:\d+:\d+: q\.v escapes to heap/m);
  });

  it('shares the build cache with plain builds (the tee passes -V=full through)', async () => {
    const { dir } = bigModule();
    touch(dir, 'shared');
    const bare = spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(bare.status, 0, bare.stderr);
    const r = await analyzePackage({ dir, sources, early: true });
    // A replay: no compile ran, so nothing came early, and go printed what the plain build printed.
    assert.equal(r.early, undefined);
    assert.equal(r.output, bare.stderr);
  });

  it('analyses the printed output when the early copy differs from it (go -x prints its commands too)', async () => {
    const { dir } = bigModule();
    touch(dir, 'x');
    const early = await analyzePackage({ dir, sources, early: true, buildFlags: ['-x'] });
    assert.match(early.output, /^WORK=/m, 'go printed its commands');
    assert.equal(early.early, 'redone');
    const printed = await analyzePackage({ dir, sources, buildFlags: ['-x'] });
    assert.equal(comparable(early), comparable(printed));
    assert.ok(early.findings.length > 4000, `${early.findings.length} findings`);
  });

  it('keeps the early analysis through a symlinked package directory (go rewrites the real path)', async () => {
    const { root, dir } = bigModule();
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gel-link-')), 'ws');
    fs.symlinkSync(root, link);
    try {
      const via = path.join(link, 'big');
      touch(via, 'link');
      const early = await analyzePackage({ dir: via, sources, early: true });
      assert.equal(early.early, 'used');
      const printed = await analyzePackage({ dir: via, sources });
      assert.equal(comparable(early), comparable(printed));
      assert.ok(early.findings.every((f) => !f.file || f.file.startsWith(via)), 'findings name the directory as the user opened it');
    } finally {
      fs.rmSync(path.dirname(link), { recursive: true, force: true });
    }
    void dir;
  });

  it('cancels while the early output is analysed: nothing left running, the socket dir removed', async () => {
    const { dir } = bigModule();
    touch(dir, 'cancel');
    const before = registered();
    const controller = new AbortController();
    const run = analyzePackage({ dir, sources, early: true, signal: controller.signal });
    // The frontend prints for a few hundred milliseconds; the backend runs for a second after that.
    setTimeout(() => controller.abort(), 400);
    await assert.rejects(run, (e: Error) => e instanceof CancelledError);
    assert.deepEqual(registered(), before);
  });

  it("never replaces a -toolexec of the user's (GOFLAGS); a -buildmode of theirs changes nothing", async () => {
    const { dir } = bigModule();
    const env = { GOFLAGS: '-toolexec=/usr/bin/env' };
    // The first run asks `go env GOFLAGS` in the background; the second knows the answer.
    for (const tag of ['first', 'second']) {
      touch(dir, tag);
      const r = await analyzePackage({ dir, sources, early: true, env });
      assert.equal(r.early, undefined, tag);
      assert.ok(!r.args.some((a) => a.startsWith('-toolexec')), r.args.join(' '));
      assert.ok(r.findings.length > 4000);
    }
    // A -buildmode of the user's changes nothing: nothing is linked either way (go list -export).
    touch(dir, 'buildmode');
    const r = await analyzePackage({ dir, sources, early: true, buildFlags: ['-buildmode=default'] });
    assert.equal(r.early, 'used');
    assert.ok(r.args.some((a) => a.startsWith('-toolexec')), r.args.join(' '));
  });

  it('passes the compile failure through the tee', async () => {
    const { dir } = bigModule({ 'broken.go': 'package generated\n\nfunc Broken() int { return "no" }\n' });
    const early = await analyzePackage({ dir, sources, early: true });
    const printed = await analyzePackage({ dir, sources });
    assert.ok(early.errors.length > 0);
    assert.equal(early.output, printed.output);
    assert.equal(comparable(early), comparable(printed));
  });

  it('real modules: each corpus package of 64 kB or more gives the same findings early as from the printed output', async () => {
    const env = { GOFLAGS: '-mod=mod', GOWORK: 'off' };
    let used = 0;
    for (const importPath of CORPUS) {
      const pkg = JSON.parse(execFileSync('go', ['list', '-json', importPath], { cwd: CORPUS_DIR, encoding: 'utf8' })) as { Dir: string; Module: { Dir: string } };
      // A writable copy of the pinned module (the module cache is read-only), its package touched for a compile.
      const root = path.join(tempDir('gel-early-real-'), 'm');
      fs.cpSync(pkg.Module.Dir, root, { recursive: true });
      for (const f of fs.readdirSync(root, { recursive: true }).map(String)) fs.chmodSync(path.join(root, f), fs.statSync(path.join(root, f)).isDirectory() ? 0o755 : 0o644);
      const dir = path.join(root, path.relative(pkg.Module.Dir, pkg.Dir));
      const file = fs.readdirSync(dir).find((f) => f.endsWith('.go') && !f.endsWith('_test.go'))!;
      // The first run under this environment asks its GOFLAGS (no early analysis until they are known).
      if (importPath === CORPUS[0]) await analyzePackage({ dir, sources, env, early: true });
      fs.appendFileSync(path.join(dir, file), `\n// early ${Date.now()}\n`);
      const early = await analyzePackage({ dir, sources, env, early: true });
      const printed = await analyzePackage({ dir, sources, env });
      // On a cold module cache the first of the two runs prints its downloads first: not the compile's text.
      assert.equal(withoutDownloads(printed.output), withoutDownloads(early.output), importPath);
      assert.equal(comparable(early), comparable(printed), importPath);
      if (early.early === 'used') used++;
      console.log(`        ${importPath}: ${early.findings.length} findings, early analysis ${early.early ?? 'not run'}`);
    }
    // gin, the Prometheus client, cobra, zap, zapcore and mux have 64 kB or more of source (chi and logrus
    // less): kept for all six here, but whether the output goes quiet 50 ms before a small package's
    // compile ends (mux's backend runs ~0.1 s) is timing; the three biggest compile for long enough.
    assert.ok(used >= 3, `the early analysis was kept for ${used} packages`);
  });

  it("leaves go's printed output undecoded when the early analysis is kept: decoded once if read, dropped unread", async () => {
    const { dir } = bigModule();
    touch(dir, 'lazy');
    const early = await analyzePackage({ dir, sources, early: true });
    assert.equal(early.early, 'used');
    assert.ok(Object.getOwnPropertyDescriptor(early, 'output')?.get, 'not decoded yet');
    const text = early.output;
    assert.ok(text.startsWith('# example.com/generated/big\n'), text.slice(0, 80));
    assert.equal(Object.getOwnPropertyDescriptor(early, 'output')?.value, text, 'kept as a value once read');
    // The server drops it unread (engine.ts): an assignment replaces it without decoding.
    let computed = 0;
    const o = { output: '' };
    lazyProperty(o, 'output', () => { computed++; return 'decoded'; });
    o.output = '';
    assert.deepEqual([o.output, computed], ['', 0]);
    const p = { output: '' };
    lazyProperty(p, 'output', () => { computed++; return 'decoded'; });
    assert.deepEqual([p.output, p.output, computed], ['decoded', 'decoded', 1]);
  });

  it("rewrites a tool's output as the go command prints it", () => {
    const dir = path.join(os.tmpdir(), 'mod', 'pkg');
    const raw = `# example.com/mod/pkg\n${dir}/a.go:3:6: can inline F\n\t${dir}/a.go:4:2: x escapes\n` +
      `${path.dirname(dir)}/q/q.go:1:1: in q, see ${dir}/b.go:2:2\n/elsewhere/c.go:1:1: kept${dir}/d.go`;
    assert.equal(asGoPrints(raw, dir), '# example.com/mod/pkg\n./a.go:3:6: can inline F\n\t./a.go:4:2: x escapes\n' +
      `../q/q.go:1:1: in q, see ./b.go:2:2\n/elsewhere/c.go:1:1: kept${dir}/d.go\n`);
    assert.equal(asGoPrints('# example.com/empty\n', dir), '', 'no output, no header');
    // Characters a regular expression would read as its own, and a grandparent's mention.
    const odd = path.join(os.tmpdir(), 'a-grandparent-longer-than-dot-dot', 'm+d (v2)', 'p.k[g]');
    assert.equal(asGoPrints(`# p\n${odd}/a.go:1:1: x\n${path.dirname(path.dirname(odd))}/z.go:2:2: y ${path.dirname(odd)}x/w.go\n`, odd),
      '# p\n./a.go:1:1: x\n../../z.go:2:2: y ..x/w.go\n');
  });
});
