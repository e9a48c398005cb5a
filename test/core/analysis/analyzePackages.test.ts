// Issue 9: many packages, one go command, analysed package by package as the go command prints them. The
// streamed analysis must give exactly what the analysis of the whole output gives (the path taken when the
// packages' import paths are not known up front, or the build fails).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { analyzePackages, type AnalyzePackagesOptions, type PackagesAnalysis } from '../../../core/analysis/analyzePackages';
import { SectionSplitter, splitByPackage } from '../../../core/analysis/packageSections';
import { startPackagesBuild } from '../../../core/analysis/packagesBuild';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { GOROOT, REPO, tempDir, tempModule } from '../../helpers/goEnv';

function listed(root: string): Map<string, string> {
  const out = execFileSync('go', ['list', '-e', '-f', '{{.ImportPath}}\t{{.Dir}}', './...'], { cwd: root, encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((l) => { const [ip, dir] = l.split('\t'); return [dir, ip]; }));
}

async function both(root: string, extra: Partial<AnalyzePackagesOptions> = {}): Promise<{ streamed: PackagesAnalysis; whole: PackagesAnalysis; told: string[] }> {
  const importPaths = listed(root);
  const dirs = [...importPaths.keys()];
  const base = { root, pattern: './...', dirs, mode: 'build' as const, timeoutMs: 300_000, ...extra };
  const told: string[] = [];
  // One go command for both: the go command prints packages in the order it finishes them, which varies
  // from run to run (and where a line printed for two packages is counted depends on it).
  const started = startPackagesBuild({ ...base, gcflags: extra.gcflags });
  const streamed = await analyzePackages({
    ...base, importPaths, started, sources: new SourceCache(await loadGoParser()), onPart: (p, done, total) => told.push(`${done}/${total} ${p.dir}`),
  });
  // Without the import paths up front, the whole output is analysed after the build (as before streaming).
  const whole = await analyzePackages({ ...base, started, sources: new SourceCache(await loadGoParser()) });
  assert.equal(whole.run.output, streamed.run.output);
  return { streamed, whole, told };
}

const view = (r: PackagesAnalysis) => JSON.parse(JSON.stringify(r.parts)) as unknown;

describe('many packages, analysed as the go command prints them', function () {
  it('cuts the streamed output into the sections splitByPackage cuts from the whole, however it is chunked', () => {
    const real = execFileSync('sh', ['-c', 'go build -gcflags=./...=-m=2 -o /dev/null ./... 2>&1'], { cwd: path.join(REPO, 'fixtures', 'sample'), encoding: 'utf8' });
    const outputs = [real, '# a\nx.go:1:1: y\n# b\n', 'go: note\n# a\r\nx\r\n# a [a.test]\nq\n# c', '# only', 'no header at all\n'];
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return 1 + (seed % n); };
    for (const out of outputs) {
      for (const max of [1, 2, 3, 17, 4096, out.length + 1]) {
        const got = new Map<string, string>();
        const split = new SectionSplitter((pkg, text) => { if (pkg !== undefined) got.set(pkg, got.has(pkg) ? `${got.get(pkg)}\n${text}` : text); });
        for (let i = 0; i < out.length;) { const n = rnd(max); split.write(out.slice(i, i + n)); i += n; }
        split.end();
        assert.deepEqual(got, splitByPackage(out), `${JSON.stringify(out.slice(0, 60))} in chunks of up to ${max}`);
      }
    }
  });

  it('gives the whole output\'s analysis for GOROOT encoding/..., telling each package as its result is ready', async () => {
    const root = path.join(GOROOT, 'src', 'encoding');
    const { streamed, whole, told } = await both(root);
    assert.equal(streamed.streamed, true);
    assert.equal(whole.streamed, false);
    assert.ok(streamed.parts.length >= 10 && streamed.parts.some((p) => p.findings.length > 0));
    assert.deepEqual(view(streamed), view(whole));
    assert.equal(told.length, streamed.parts.length, told.join('\n'));
    assert.deepEqual(new Set(told.map((t) => t.replace(/^\d+\/\d+ /, ''))), new Set(streamed.parts.map((p) => p.dir)));
  });

  it('with --all, on the sample module', async () => {
    const { streamed, whole } = await both(path.join(REPO, 'fixtures', 'sample'), { all: true });
    assert.equal(streamed.streamed, true);
    assert.ok(streamed.parts.reduce((n, p) => n + p.findings.length, 0) > 20);
    assert.deepEqual(view(streamed), view(whole));
  });

  it('analyses together the sections that report each other\'s files (generics of one package instantiated in others)', async () => {
    // a has only generic code: b and c instantiate it, so their sections report a's lines (`./a/a.go`,
    // relative to where the go command ran). Those findings are a's, and b's and c's sections are
    // analysed together.
    const mod = tempModule({
      'a/a.go': 'package a\n\nvar Sink any\n\nfunc Keep[T any](v T) *T {\n\tSink = &v\n\treturn &v\n}\n',
      'b/b.go': 'package b\n\nimport "example.com/m/a"\n\nfunc Use() *int { return a.Keep(3) }\n',
      'c/c.go': 'package c\n\nimport (\n\t"example.com/m/a"\n\t"slices"\n)\n\nfunc UseS() *string { return a.Keep("x") }\n\nfunc Sorted(xs []int) []int { ys := slices.Clone(xs); slices.Sort(ys); return ys }\n',
      'd/d.go': 'package d\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n',
    });
    for (const all of [false, true]) {
      const { streamed, whole } = await both(mod, { all });
      assert.equal(streamed.streamed, true);
      const a = streamed.parts.find((p) => p.dir === path.join(mod, 'a'))!;
      assert.ok(a.findings.some((f) => f.message === 'moved to heap: a.v' && f.file === path.join(mod, 'a', 'a.go')), JSON.stringify(a.findings.map((f) => f.message)));
      assert.ok(streamed.parts.find((p) => p.dir === path.join(mod, 'd'))!.findings.some((f) => f.message === 'moved to heap: v'));
      assert.deepEqual(view(streamed), view(whole));
    }
  });

  it('analyses the whole output when the build fails, keeping the packages that built', async () => {
    const mod = tempModule({
      'good/good.go': 'package good\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n',
      'bad/bad.go': 'package bad\n\nfunc F() int { return undefinedName }\n',
    });
    const { streamed, whole } = await both(mod);
    assert.equal(streamed.streamed, false);
    assert.deepEqual(view(streamed), view(whole));
    const bad = streamed.parts.find((p) => p.dir.endsWith('bad'))!;
    const good = streamed.parts.find((p) => p.dir.endsWith('good'))!;
    assert.ok(bad.errors.some((e) => /undefinedName/.test(e.message)));
    assert.ok(good.findings.some((f) => f.message === 'moved to heap: v'));
  });

  it('uses a go command started before the listing, and restarts it when the contracts need another flag', async () => {
    const mod = tempModule({
      'p/p.go': 'package p\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n',
      'q/q.go': 'package q\n\nfunc At(xs []int, i int) int {\n\t//gcassert:bce\n\treturn xs[i]\n}\n',
    });
    const importPaths = listed(mod);
    const dirs = [...importPaths.keys()];
    const started = startPackagesBuild({ root: mod, pattern: './...', timeoutMs: 300_000 });
    const r = await analyzePackages({ root: mod, pattern: './...', dirs, importPaths, mode: 'build', timeoutMs: 300_000, sources: new SourceCache(await loadGoParser()), started });
    // The early build lacked the bounds-check flag gcassert:bce needs: cancelled, and the contract checked on a new one.
    const early = await started.run.catch(() => undefined);
    assert.ok(!early || !early.args.some((a) => a.includes('check_bce')), 'the early build (cancelled, or done first) had no such flag');
    assert.equal(r.streamed, true);
    assert.ok(r.run.args.some((a) => a.includes('check_bce')), r.run.args.join(' '));
    assert.ok(r.run.output.includes('Found IsInBounds'));
    const q = r.parts.find((p) => p.dir.endsWith(`${path.sep}q`))!;
    assert.deepEqual(q.contracts?.violations.map((v) => `${path.relative(mod, v.file)}:${v.range.start.line + 1}:${v.range.start.character + 1} ${v.rule}`), ['q/q.go:5:11 gcassert-bce']);
  });

  it('checks gcassert:bce whichever directory the replayed output was first compiled in', async () => {
    // The go command replays a cached compile word for word, its paths relative to where that compile
    // ran: `./q.go` (first built in q/) in a build from the root, `q/q.go` (first built from the root) in a
    // build in q/. A fresh GOCACHE makes the order of first builds known.
    const mod = tempModule({
      'q/q.go': 'package q\n\nfunc At(xs []int, i int) int {\n\t//gcassert:bce\n\treturn xs[i]\n}\n',
      'r/r.go': 'package r\n\nfunc Two(xs []int, i int) int {\n\t//gcassert:bce\n\treturn xs[i] + xs[i+1]\n}\n',
    });
    const env = { GOCACHE: path.join(tempDir(), 'gocache'), GOFLAGS: '' };
    const sources = new SourceCache(await loadGoParser());
    const broken = (vs: { file: string; range: { start: { line: number; character: number } } }[] | undefined) =>
      (vs ?? []).map((v) => `${path.relative(mod, v.file)}:${v.range.start.line + 1}:${v.range.start.character + 1}`);
    const alone = async (dir: string) => broken((await analyzePackage({ dir: path.join(mod, dir), mode: 'build', timeoutMs: 300_000, env, sources })).contracts?.violations);
    assert.deepEqual(await alone('q'), ['q/q.go:5:11']); // first compile of q: in q/
    const importPaths = listed(mod);
    const all = await analyzePackages({ root: mod, pattern: './...', dirs: [...importPaths.keys()], importPaths, mode: 'build', timeoutMs: 300_000, env, sources });
    assert.match(all.run.output, /^\.\/q\.go:5:\d+: Found IsInBounds$/m, 'q replayed with paths relative to q/');
    assert.match(all.run.output, /^r\/r\.go:5:\d+: Found IsInBounds$/m, 'r compiled in the root');
    assert.deepEqual(all.parts.flatMap((p) => broken(p.contracts?.violations)).sort(), ['q/q.go:5:11', 'r/r.go:5:11', 'r/r.go:5:19']);
    const rAlone = await analyzePackage({ dir: path.join(mod, 'r'), mode: 'build', timeoutMs: 300_000, env, sources });
    assert.match(rAlone.output, /^r\/r\.go:5:\d+: Found IsInBounds$/m, 'r replayed with paths relative to the root');
    assert.deepEqual(broken(rAlone.contracts?.violations), ['r/r.go:5:11', 'r/r.go:5:19']);
  });
});
