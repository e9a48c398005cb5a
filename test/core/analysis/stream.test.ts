// Issue 9: a saved log is read in chunks and inspected, parsed and located in one pass. Each shortcut
// taken for speed gives exactly the answers of what it replaces: the position scanner those of the
// regular expressions that define the grammar, the template pre-tests those of the templates alone, the
// one-pass reader those of inspectLog + parseOutput over the whole text (on real compiler logs, cut into
// chunks anywhere, mutated as a CI log may be, read from a file or a pipe), analyzeLog those of
// analyzeOutput.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { analyzeOutput } from '../../../core/analysis/analyze';
import { analyzeParsedOnce } from '../../../core/analysis/analyzeLog';
import { fullCollection } from '../../../core/analysis/fullCollection';
import { analyzeLog } from '../../../core/analysis/analyzeLog';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { inspectLog } from '../../../core/parse/inspectLog';
import { parsePos, POS, POSITIONED, splitPositioned } from '../../../core/parse/lines';
import { OutputParser, parseOutput } from '../../../core/parse/parse';
import { FROM, fromLine } from '../../../core/parse/blockLines';
import { readLog } from '../../../core/parse/readLog';
import { matchTemplate, TEMPLATES } from '../../../core/parse/templates';
import { GOROOT, REPO, tempDir, tempModule } from '../../helpers/goEnv';

const seed = Number(process.env.FUZZ_SEED ?? 20261126);

function byRegexp(re: RegExp, s: string): { path: string; line: number; col?: number; text?: string } | undefined {
  const m = re.exec(s);
  if (!m) return undefined;
  const pos: { path: string; line: number; col?: number } = { path: m[1], line: Number(m[2]) };
  if (m[3] !== undefined) pos.col = Number(m[3]);
  return m[4] === undefined ? pos : { ...pos, text: m[4] };
}

// Pieces positions are made of, and what breaks them.
const piece = fc.constantFrom(':', '1', '23', '007', ': ', ' ', ':1:', ':2: ', 'a', '.go', '\r', '\n', '\u2028', 'x: ', '日本', 'C:\\',
  '0', '', '99999999999999999999', '  flow: ', 'from x (y) at ./a.go:1:2');
const text = fc.oneof(fc.array(piece, { maxLength: 10 }).map((p) => p.join('')), fc.string(), fc.string({ unit: 'binary' }));

/** A main package whose compile (with its escape analysis) succeeds and whose link fails. */
const LINK_FAILS = 'package main\n\nimport _ "unsafe"\n\n//go:linkname missing example.com/m/other.doesNotExist\nfunc missing()\n\n' +
  'var sink *int\n\nfunc main() {\n\tx := 1\n\tsink = &x\n\tmissing()\n}\n';

function compile(dir: string): string {
  return spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 }).stderr;
}

/** A log written to a temp file. */
function saved(text: string): string {
  const file = path.join(tempDir('gel-log-'), 'm2.txt');
  fs.writeFileSync(file, text);
  return file;
}

describe('saved output in one pass (issue 9)', function () {
  this.timeout(300_000);
  const nethttp = path.join(GOROOT, 'src', 'net', 'http');
  const sample = path.join(REPO, 'fixtures', 'sample');
  let logs: { dir: string; log: string }[];
  let linkFails: string;
  let linkLog: string;
  before(() => {
    const broken = tempModule({ 'a.go': 'package m\n\nfunc F() int {\n\treturn x\n}\n' });
    const mixed = tempModule({
      'good/good.go': 'package good\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n',
      'bad/bad.go': 'package bad\n\nfunc F() int { return undefinedName }\n',
    });
    linkFails = tempModule({ 'main.go': LINK_FAILS });
    logs = [
      { dir: nethttp, log: compile(nethttp) },
      ...['returned', 'closure', 'dynamic', 'unicode', 'storage', 'modern'].map((p) => ({ dir: path.join(sample, p), log: compile(path.join(sample, p)) })),
      { dir: broken, log: compile(broken) },
      { dir: mixed, log: spawnSync('go', ['build', '-gcflags=./...=-m=2', './...'], { cwd: mixed, encoding: 'utf8' }).stderr },
    ];
    // Escape analysis first, then the linker's error.
    linkLog = compile(linkFails);
    assert.match(linkLog, /moved to heap: x[^]*relocation target/);
    assert.ok(logs[0].log.split('\n').length > 20_000, 'net/http prints a big log');
  });

  it('splits positions as the regular expressions that define them do', () => {
    fc.assert(fc.property(text, (s) => {
      assert.deepEqual(splitPositioned(s), byRegexp(POSITIONED, s) && (({ text: t, ...pos }) => ({ pos, text: t }))(byRegexp(POSITIONED, s)!));
      assert.deepEqual(parsePos(s), byRegexp(POS, s));
    }), { seed, numRuns: 20_000 });
    for (const { log } of logs) {
      for (const line of log.split('\n')) {
        const want = byRegexp(POSITIONED, line);
        assert.deepEqual(splitPositioned(line), want && (({ text: t, ...pos }) => ({ pos, text: t }))(want), line);
      }
    }
  });

  it('splits flow steps (`from WHERE (WHY) at POS`) as their regular expression does', () => {
    const step = fc.array(fc.constantFrom('from ', ' (', '(', ')', ') at ', ' at ', 'x', 'a b', '\r', '\u2028', '.go:1:2', ' ', '(('), { maxLength: 9 })
      .map((p) => 'from ' + p.join(''));
    const want = (t: string) => { const m = FROM.exec(t); return m ? [m[1], m[2], m[3]] : undefined; };
    fc.assert(fc.property(fc.oneof(step, text), (t) => assert.deepEqual(fromLine(t), want(t))), { seed, numRuns: 50_000 });
    let n = 0;
    for (const { log } of logs) {
      for (const line of log.split('\n')) {
        const t = splitPositioned(line)?.text.trimStart();
        if (!t?.startsWith('from ')) continue;
        assert.deepEqual(fromLine(t), want(t), t);
        n++;
      }
    }
    assert.ok(n > 10_000);
  });

  it('matches templates as the templates alone do (the pre-tests reject only what they would)', () => {
    const alone = (t: string) => {
      for (const tpl of TEMPLATES) { const m = tpl.re.exec(t); if (m) return tpl.build(m); }
      return undefined;
    };
    fc.assert(fc.property(text, (s) => assert.deepEqual(matchTemplate(s), alone(s))), { seed, numRuns: 20_000 });
    let n = 0;
    for (const { log } of logs) {
      for (const line of log.split('\n')) {
        const pl = splitPositioned(line);
        if (!pl) continue;
        assert.deepEqual(matchTemplate(pl.text), alone(pl.text), pl.text);
        n++;
      }
    }
    assert.ok(n > 20_000);
  });

  it('the streaming parser gives inspectLog\'s verdict and the same records, however the text is cut', () => {
    for (const { log } of logs) {
      const verdict = inspectLog(log);
      for (const size of [1, 7, 4096, 65_536, log.length]) {
        if (size === 1 && log.length > 100_000) continue;
        const p = new OutputParser({ heapOnly: true, inspect: true });
        for (let at = 0; at < log.length; at += size) p.write(log.slice(at, at + size));
        const { verdict: got, ...parsed } = p.end();
        assert.deepEqual(got, verdict);
        if (!verdict.failed) assert.deepEqual(parsed, parseOutput(log, { heapOnly: true }));
      }
    }
  });

  it('reads a log from a file or a pipe, in chunks of any size, as inspectLog + parseOutput read the whole text', async () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.string({ unit: 'binary' }),
        fc.constantFrom('# example.com/x', 'go: downloading example.com/x v1.0.0', './a.go:1:1: undefined: y', '\t', ':::', '   ', '\r')) }),
      fc.record({ op: fc.constant('crlf' as const) }),
    );
    const cases = fc.record({ which: fc.nat(), edits: fc.array(mutation, { maxLength: 6 }), chunk: fc.constantFrom(1, 3, 64, 4096, 1 << 20), all: fc.boolean() });
    await fc.assert(fc.asyncProperty(cases, async ({ which, edits, chunk, all }) => {
      const small = logs.slice(1); // net/http is read whole below, in every chunk size
      let lines = small[which % small.length].log.split('\n');
      for (const e of edits) {
        const i = 'at' in e ? e.at % Math.max(1, lines.length) : 0;
        if (e.op === 'delete') lines.splice(i, 1);
        else if (e.op === 'insert') lines.splice(i, 0, e.text);
        else lines = lines.map((l) => l + '\r');
      }
      const log = lines.join('\n');
      const verdict = inspectLog(log);
      const want = parseOutput(log, { heapOnly: !all, exitCode: verdict.failed ? 1 : 0 });
      const got = await readLog(saved(log), { heapOnly: !all, chunkBytes: chunk });
      assert.deepEqual(got.verdict, verdict);
      assert.deepEqual(got.parsed, want);
    }), { seed, numRuns: 150 });
    for (const { log } of logs) {
      const verdict = inspectLog(log);
      const want = parseOutput(log, { heapOnly: true, exitCode: verdict.failed ? 1 : 0 });
      for (const chunk of [4096, 1 << 20]) {
        const got = await readLog(saved(log), { heapOnly: true, chunkBytes: chunk });
        assert.deepEqual(got, { verdict, parsed: want });
      }
    }
    // Standard input, a pipe, is read once (and kept aside in case the log shows a failed build and is
    // read again): the CLI's answers are those it gives on the same log in a file.
    for (const { dir, log } of logs) {
      const cli = (args: string[], input?: string) => spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', '--cwd', dir, ...args],
        { input, encoding: 'utf8', maxBuffer: 1 << 30 });
      const fromFile = cli(['--input', saved(log)]);
      const fromPipe = cli(['--input', '-'], log);
      assert.equal(fromPipe.status, fromFile.status, fromPipe.stderr);
      assert.equal(fromPipe.stdout, fromFile.stdout);
    }
  });

  it('a build parsed as it runs keeps only what a failure\'s errors are read from, and gives them as the whole output would', () => {
    // The server parses go's output as it comes, before the exit code says whether the build failed; if it
    // did, the lines kept are parsed again with it. Errors and packages must be those of the whole text.
    const failure = (log: string) => { const { errors, packages } = parseOutput(log, { heapOnly: true, exitCode: 1 }); return { errors, packages }; };
    const check = (log: string, size: number): string => {
      const p = new OutputParser({ heapOnly: true, keepForFailure: true });
      for (let at = 0; at < log.length; at += size) p.write(log.slice(at, at + size));
      const kept = p.keptText();
      assert.deepEqual(failure(kept), failure(log));
      // Keeping changes nothing of a successful build's parse.
      assert.deepEqual(p.end(), parseOutput(log, { heapOnly: true }));
      return kept;
    };
    const all = [...logs.map((l) => l.log), linkLog];
    for (const log of all) for (const size of [7, 4096, 65_536, log.length]) check(log, size);
    // Of net/http's 2.9 MB, only the header and the lines no template matches are kept.
    assert.ok(check(logs[0].log, 65_536).length < logs[0].log.length / 100);
    // Errors among escape lines, continued by indented lines, after progress lines and headers, CRLF.
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(),
        fc.constantFrom('# example.com/x', 'go: downloading example.com/x v1.0.0', './a.go:1:1: undefined: y', '\thave (int)', '\twant (string)',
          '\t./a.go:2:2: moved to heap: z', 'main.main: relocation target x not defined', '', '   ', '\r')) }),
      fc.record({ op: fc.constant('crlf' as const) }),
    );
    fc.assert(fc.property(fc.record({ which: fc.nat(), edits: fc.array(mutation, { maxLength: 8 }), size: fc.constantFrom(1, 5, 64, 4096) }), ({ which, edits, size }) => {
      const small = all.slice(1);
      let lines = small[which % small.length].split('\n');
      for (const e of edits) {
        const i = 'at' in e ? e.at % Math.max(1, lines.length) : 0;
        if (e.op === 'delete') lines.splice(i, 1);
        else if (e.op === 'insert') lines.splice(i, 0, e.text);
        else lines = lines.map((l) => l + '\r');
      }
      check(lines.join('\n'), size);
    }), { seed, numRuns: 300 });
  });

  it('an analysis that parses the output as go prints it gives the findings and errors of one that keeps it', async () => {
    const parser = await loadGoParser();
    const broken = logs.find((l) => l.log.includes('undefined: x'))!.dir;
    // (A link error is for saved logs only: builds for diagnostics never link, see exportBuild.test.ts.)
    for (const dir of [path.join(sample, 'returned'), path.join(sample, 'closure'), broken]) {
      const run = (outputOnFailure: boolean) => analyzePackage({ dir, sources: new SourceCache(parser), outputOnFailure });
      const [kept, streamed] = [await run(false), await run(true)];
      const strip = ({ output: _o, compileMs: _c, analyzeMs: _a, ...r }: typeof kept) => JSON.stringify(r);
      assert.equal(strip(streamed), strip(kept), dir);
      if (streamed.exitCode === 0) assert.equal(streamed.output, '');
      else assert.ok(streamed.errors.length > 0 && streamed.output.length > 0 && streamed.output.length <= kept.output.length, dir);
    }
  });

  it('tells each path a summary or block header names once, as it is read (its file is parsed meanwhile)', async () => {
    for (const { log } of logs) {
      const want = new Set<string>();
      for (const line of log.split('\n')) {
        const pl = splitPositioned(line);
        if (pl && !pl.text.startsWith(' ')) want.add(pl.pos.path);
      }
      const told: string[] = [];
      await readLog(saved(log), { heapOnly: true, onPath: (p) => told.push(p) });
      assert.deepEqual(told.sort(), [...want].sort());
    }
  });

  it('analyzeLog gives the findings and errors analyzeOutput gives on the whole text', async () => {
    const parser = await loadGoParser();
    for (const { dir, log } of logs) {
      const verdict = inspectLog(log);
      for (const all of [false, true]) {
        const want = analyzeOutput(log, { cwd: dir, all, sources: new SourceCache(parser), exitCode: verdict.failed ? 1 : 0 });
        if (verdict.failed && want.errors.length === 0) want.errors.push({ message: 'the log shows a build that failed' });
        const got = await analyzeLog(saved(log), { cwd: dir, all, sources: new SourceCache(parser) });
        assert.deepEqual(got.verdict, verdict);
        assert.equal(JSON.stringify(got.result), JSON.stringify(want), dir);
      }
    }
  });

  it('a full collection on demand frees what is unreachable', async () => {
    const collect = fullCollection();
    assert.ok(collect, 'V8 gives a full collection');
    const ref = new WeakRef({ big: new Array(1000).fill('x') });
    // A WeakRef's target is kept until the current job ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
    collect();
    assert.equal(ref.deref(), undefined);
  });

  it('analyzing a log once, letting each record go, gives the same findings and keeps no record', async () => {
    const parser = await loadGoParser();
    const { dir, log } = logs[0];
    for (const all of [false, true]) {
      const want = analyzeOutput(log, { cwd: dir, all, sources: new SourceCache(parser) });
      const parsed = parseOutput(log, { heapOnly: !all });
      assert.ok(parsed.records.length > 0);
      const got = analyzeParsedOnce(parsed, { cwd: dir, all, sources: new SourceCache(parser) });
      assert.equal(JSON.stringify(got), JSON.stringify(want));
      assert.equal(parsed.records.length, 0);
    }
  });
});
