// The CLI as a user runs it: the bundled dist/cli.js, on the sample module and on bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';
import { profiledModule } from '../helpers/heapProfile';

const CLI = path.join(REPO, 'dist', 'cli.js');

function cli(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO, input: opts.input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI', () => {
  it('runs on the sample module (npm start), grouped by file and function, with a summary', () => {
    const r = cli(['fixtures/sample/...']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^fixtures\/sample\/returned\/returned\.go$/m);
    assert.match(r.out, /^ {2}NewOrder$/m);
    assert.match(r.out, /^ {4}11:9 +L1 +allocation is returned +&Order\{\.\.\.\} escapes to heap$/m);
    // Messages line up: the same column on every finding line.
    const cols = new Set(r.out.split('\n').filter((l) => /^ {4}\d+:\d+ /.test(l)).map((l) => /^( {4}\S+ +(?:L\d|--) {2}.*? {2})\S/.exec(l)![1].length));
    assert.equal(cols.size, 1, [...cols].join(','));
    assert.match(r.out, /heap findings in 8 packages/);
    assert.match(r.out, /unclassified 0 · suppressed 2/);
    assert.doesNotMatch(r.out, /\x1b\[/, 'no colour when not a terminal');
  });

  it('prints the documented JSON schema', () => {
    const r = cli(['--json', 'fixtures/sample/returned']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.schemaVersion, 2);
    assert.equal(doc.packages.length, 1);
    const f = doc.findings.find((x: { message: string }) => x.message === '&Order{...} escapes to heap');
    assert.ok(path.isAbsolute(f.file));
    assert.deepEqual(f.range, { start: { line: 10, character: 8 }, end: { line: 10, character: 22 } });
    assert.equal(f.kind, 'escapes');
    assert.equal(f.subject, '&Order{...}');
    assert.equal(f.function, 'NewOrder');
    assert.equal(f.cause, 'returned-value');
    assert.equal(f.tier, 'L1');
    assert.ok(f.flow.length >= 1);
    assert.deepEqual(Object.keys(f.flow[0]).sort(), ['column', 'edge', 'file', 'line', 'range', 'where', 'why']);
    assert.equal(doc.summary.byTier.L1 > 0, true);
  });

  it('--all adds non-escaping and inlining lines; --gcflags reaches the compiler', () => {
    const all = cli(['--all', '--json', 'fixtures/sample/returned']);
    const kinds = new Set(JSON.parse(all.out).findings.map((f: { kind: string }) => f.kind));
    assert.ok(kinds.has('can-inline') && kinds.has('does-not-escape'));
    const noInline = cli(['--all', '--json', '--gcflags=-l', 'fixtures/sample/returned']);
    const kinds2 = new Set(JSON.parse(noInline.out).findings.map((f: { kind: string }) => f.kind));
    assert.ok(!kinds2.has('can-inline'), 'inlining disabled by -l');
  });

  it('analyses a saved compiler log with --input and --cwd', () => {
    const pkg = path.join(REPO, 'fixtures/sample/returned');
    const log = spawnSync('go', ['build', '-gcflags=-m=2', '-o', '/dev/null', '.'], { cwd: pkg, encoding: 'utf8' }).stderr;
    const file = path.join(tempDir(), 'ci.log');
    fs.writeFileSync(file, log);
    const r = cli(['--json', '--input', file, '--cwd', pkg]);
    assert.equal(r.code, 0, r.err);
    const fromLog = JSON.parse(r.out).findings.map((f: { message: string; range: unknown }) => [f.message, f.range]);
    const live = JSON.parse(cli(['--json', pkg]).out).findings.map((f: { message: string; range: unknown }) => [f.message, f.range]);
    assert.deepEqual(fromLog, live);
    const stdin = cli(['--input', '-', '--cwd', pkg], { input: log });
    assert.match(stdin.out, /returned\.go/);
  });

  it('exit 1 with --fail when heap findings are reported', () => {
    assert.equal(cli(['--fail', 'fixtures/sample/returned']).code, 1);
  });

  it('--baseline: known findings pass --fail, a new one fails it and is the only one listed', () => {
    const dir = tempModule({ 'm.go': 'package m\n\ntype T struct{ N int }\n\nfunc New() *T { return &T{N: 1} }\n' });
    const base = path.join(tempDir(), 'baseline.json');
    fs.writeFileSync(base, cli(['--json', dir]).out);
    const same = cli(['--fail', '--baseline', base, dir]);
    assert.equal(same.code, 0, same.out + same.err);
    assert.match(same.out, /baseline: 0 new, 1 known/);
    // Lines move and a new escape appears: only the new one counts.
    fs.writeFileSync(path.join(dir, 'm.go'), 'package m\n\n// moved down\n\ntype T struct{ N int }\n\nfunc New() *T { return &T{N: 1} }\n\nfunc Two() *int { x := 2; return &x }\n');
    const grown = cli(['--fail', '--baseline', base, dir]);
    assert.equal(grown.code, 1);
    assert.match(grown.out, /baseline: 1 new, 1 known/);
    assert.match(grown.out, /moved to heap: x/);
    assert.doesNotMatch(grown.out, /&T\{\.\.\.\} escapes to heap/);
    const json = JSON.parse(cli(['--json', '--baseline', base, dir]).out);
    assert.deepEqual(json.findings.map((f: { message: string; baseline: string }) => [f.message, f.baseline]).sort(),
      [['&T{...} escapes to heap', 'known'], ['moved to heap: x', 'new']]);
    assert.equal(cli(['--baseline', '/no/such.json', dir]).code, 2);
  });

  it('--sarif writes SARIF 2.1.0 with rules from the cause table, relative paths and code flows', () => {
    const out = path.join(tempDir(), 'r.sarif');
    const r = cli(['--sarif', out, 'fixtures/sample/returned']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(doc.version, '2.1.0');
    const run = doc.runs[0];
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'returned-value'));
    const res = run.results.find((x: { message: { text: string } }) => x.message.text.startsWith('&Order{...}'));
    assert.equal(res.ruleId, 'returned-value');
    assert.deepEqual(res.locations[0].physicalLocation, {
      artifactLocation: { uri: 'fixtures/sample/returned/returned.go', uriBaseId: 'SRCROOT' },
      region: { startLine: 11, startColumn: 9, endLine: 11, endColumn: 23 },
    });
    assert.ok(res.codeFlows[0].threadFlows[0].locations.length >= 1);
  });

  it('--profile weighs findings by a real heap profile and lists the costliest', () => {
    const { dir, profile } = profiledModule();
    const json = JSON.parse(cli(['--json', '--profile', profile, dir]).out);
    const alloc = json.findings.find((f: { message: string }) => f.message === '&T{} escapes to heap');
    // 20000 iterations of a 64-byte struct: at least 20000 objects and 1.28 MB on that line.
    assert.ok(alloc.profile.objects >= 20000, JSON.stringify(alloc.profile));
    assert.ok(alloc.profile.bytes >= 20000 * 64);
    assert.ok(alloc.profile.share > 0.3 && alloc.profile.share <= 1);
    const human = cli(['--profile', profile, dir]).out;
    assert.match(human, /costliest findings in the heap profile:\n\s+[\d.]+ (KiB|MiB)\s+[\d.]+%\s+\S*p\.go:7\s+&T\{\} escapes to heap/);
    assert.equal(cli(['--profile', '/no/such.prof', dir]).code, 2);
  });

  it('exit 2 on bad usage, with a clear message and no stack trace', () => {
    const unknown = cli(['--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown option '--frobnicate'/);
    const missing = cli(['/no/such/dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /not a directory: \/no\/such\/dir/);
    assert.doesNotMatch(missing.err + unknown.err, /\n\s+at /);
  });

  it('exit 3 when a package does not build, with its compile errors', () => {
    const dir = tempModule({ 'm.go': 'package m\n\nfunc F() int { return nope }\n' });
    const r = cli([dir]);
    assert.equal(r.code, 3);
    assert.match(r.err, /does not build/);
    assert.match(r.err, /m\.go:3:23: undefined: nope/);
  });

  it('exit 4 when the go command is missing', () => {
    const r = cli(['--go', '/nonexistent/go', 'fixtures/sample/returned']);
    assert.equal(r.code, 4);
    assert.match(r.err, /was not found/);
    assert.doesNotMatch(r.err, /\n\s+at /);
  });
});
