// Issue 9: the analysis yields to the event loop in slices (a server keeps answering), cancels within a
// slice, and gives the same findings as the one-piece analysis; several packages in one output keep the
// findings of the packages that built.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeParsed, analyzeParsedAsync } from '../../../core/analysis/analyze';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { parseOutput } from '../../../core/parse/parse';
import { CancelledError } from '../../../core/run/runGo';
import { sortSteps } from '../../../core/util/steps';
import type { Finding } from '../../../core/model';
import { GOROOT, REPO, tempDir, tempModule } from '../../helpers/goEnv';

describe('analysis at scale', function () {
  const dir = path.join(GOROOT, 'src', 'net', 'http');
  let output = '';
  let sources: SourceCache;
  before(async () => {
    sources = new SourceCache(await loadGoParser());
    output = spawnSync('go', ['build', '-gcflags=-m=2', '-o', '/dev/null', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 }).stderr;
  });

  it('in slices gives the same findings as in one piece, and lets timers run meanwhile', async () => {
    const parsed = parseOutput(output);
    const whole = analyzeParsed(parsed, { cwd: dir, sources });
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const sliced = await analyzeParsedAsync(parseOutput(output), { cwd: dir, sources, sliceMs: 2 });
    clearInterval(timer);
    assert.deepEqual(sliced.findings.map((f) => `${f.pos.line}:${f.pos.col} ${f.message} ${f.cause}`),
      whole.findings.map((f) => `${f.pos.line}:${f.pos.col} ${f.message} ${f.cause}`));
    assert.ok(ticks > 0, 'the event loop ran while the analysis was in progress');
  });

  it('sorts in steps (the end of the sliced analysis) in the order of the one-piece sort, ties included', () => {
    const all = analyzeParsed(parseOutput(output, { heapOnly: false }), { cwd: dir, sources, all: true }).findings;
    assert.ok(all.length > 4 * 1024, `enough findings to merge runs of 1024 (${all.length})`);
    // Reversed, and compared by coarse keys with many ties: only a stable sort keeps the order of equals.
    const byFileThenLine = (a: Finding, b: Finding) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line;
    const byCause = (a: Finding, b: Finding) => (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0);
    for (const compare of [byFileThenLine, byCause]) {
      for (const n of [all.length, 1025, 3 * 1024 + 7]) {
        const input = all.slice(0, n).reverse();
        const native = [...input].sort(compare);
        const stepped = [...input];
        let yields = 0;
        for (const _ of sortSteps(stepped, compare)) yields++;
        assert.ok(native.every((f, i) => f === stepped[i]), `same order (${n} findings, ${compare.name})`);
        assert.ok(yields >= Math.floor(n / 1024), 'it yields at least once per run');
      }
    }
  });

  it('stops with CancelledError within a slice of the abort', async () => {
    const abort = new AbortController();
    setImmediate(() => abort.abort());
    await assert.rejects(analyzeParsedAsync(parseOutput(output), { cwd: dir, sources: new SourceCache(await loadGoParser()), sliceMs: 1, signal: abort.signal }),
      (e: unknown) => e instanceof CancelledError);
  });

  it('keeps the findings of the packages that built when another package of the same output fails', () => {
    const mod = tempModule({
      'good/good.go': 'package good\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n',
      'bad/bad.go': 'package bad\n\nfunc F() int { return undefinedName }\n',
    });
    const r = spawnSync('go', ['build', '-gcflags=./...=-m=2', './...'], { cwd: mod, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    const parsed = parseOutput(r.stderr, { exitCode: r.status ?? 1 });
    const a = analyzeParsed(parsed, { cwd: mod, sources, exitCode: r.status ?? 1 });
    assert.ok(a.errors.some((e) => e.pkg === 'example.com/m/bad' && /undefinedName/.test(e.message)), JSON.stringify(a.errors));
    assert.ok(a.findings.some((f) => f.message === 'moved to heap: v' && f.file.endsWith(path.join('good', 'good.go'))),
      a.findings.map((f) => f.message).join('; '));
  });
});

describe('build cache as the scale-out engine', function () {
  it('gives the same findings from a copied GOCACHE (replayed output) as from the build that filled it', () => {
    const mod = tempModule({
      'a.go': 'package a\n\nimport "fmt"\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n\nfunc Say(n int) { fmt.Println(n) }\n',
      'b/b.go': 'package b\n\ntype T struct{ A int }\n\nfunc New() *T { return &T{A: 1} }\n',
    });
    const cacheA = tempDir('gel-gocache-');
    const run = (cache: string) => {
      const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', '--all', './...'],
        { cwd: mod, encoding: 'utf8', env: { ...process.env, GOCACHE: cache }, maxBuffer: 1 << 28 });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      const doc = JSON.parse(r.stdout) as { findings: { file: string; range: unknown; message: string; cause: string; flow: unknown[] }[] };
      return doc.findings.map((f) => JSON.stringify([path.relative(mod, f.file), f.range, f.message, f.cause, f.flow.length]));
    };
    const first = run(cacheA);
    const cacheB = tempDir('gel-gocache-');
    fs.cpSync(cacheA, cacheB, { recursive: true });
    const replayed = run(cacheB);
    assert.ok(first.length > 3);
    assert.deepEqual(replayed, first);
  });
});

describe('many packages, one go command (CLI DIR/...)', function () {
  it('runs one go command for all packages and reports each as if analysed alone', () => {
    const log = path.join(tempDir('gel-golog-'), 'calls');
    const wrapper = path.join(tempDir('gel-gowrap-'), 'go');
    const go = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$1 $2" >> '${log}'\nexec '${go}' "$@"\n`);
    fs.chmodSync(wrapper, 0o755);
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', '--go', wrapper, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      return JSON.parse(r.stdout) as { packages: { dir: string; ok: boolean }[]; findings: object[] };
    };
    fs.writeFileSync(log, '');
    const all = cli(['fixtures/sample/...']);
    const calls = fs.readFileSync(log, 'utf8').split('\n');
    const builds = calls.filter((l) => l === 'list -export').length;
    assert.equal(builds, 1, 'one go command compiles the whole tree');
    const lists = calls.filter((l) => l.startsWith('list ') && l !== 'list -export').length;
    assert.equal(lists, 1, 'the packages are listed once (the expansion of DIR/...), not again by the analysis');
    assert.ok(all.packages.length >= 8);
    // `item` numbers the presentation's items across one run's report: the same finding has another number
    // in a report of its package alone. Everything else is the same.
    const withoutItem = (f: object) => JSON.stringify({ ...f, item: undefined });
    const alone: string[] = [];
    for (const p of all.packages) alone.push(...cli([path.relative(REPO, p.dir)]).findings.map(withoutItem));
    assert.deepEqual(all.findings.map(withoutItem).sort(), alone.sort());
  });
});
