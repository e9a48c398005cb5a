// The CLI in the environments CI containers and odd machines really have (issue 28): a read-only HOME,
// a cache dir under /proc, go.work files that do not list the module, go-side failures, endless input,
// huge deadlines, relative paths, junk files. Each answer is documented: an exit status and one line
// with the system's or go's own words, never a spin, an internal error or a raw exception.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';
import { killMarked, leftAfter, waitUntil } from '../helpers/processTree';

const CLI = path.join(REPO, 'dist', 'cli.js');
const PKG = path.join(REPO, 'fixtures', 'sample', 'returned');
const LIB = 'package m\n\ntype T struct{ N int }\n\nfunc New() *T { return &T{N: 1} }\n';
const GOCACHE = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();
const GOMODCACHE = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();

/** Runs the CLI to completion, but never longer than `ms` (a spin is a failure, not a stuck suite). */
function cli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string>; ms?: number } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO, input: opts.input, encoding: 'utf8', timeout: opts.ms ?? 120_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, timedOut: r.signal === 'SIGKILL', pid: r.pid };
}

function ourTempDirs(pid: number): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`go-escape-lens-${pid}-`));
}

/** `unshare` arguments for a private mount namespace (as root, or as a user through a user namespace). */
function mountNamespace(): string[] | undefined {
  for (const args of [['-m'], ['-r', '-m']]) {
    if (spawnSync('unshare', [...args, 'sh', '-c', 'mount -t tmpfs -o ro tmpfs "$1"', 'sh', tempDir()]).status === 0) return args;
  }
  return undefined;
}

describe('CLI: an unwritable user cache dir does not stop the analysis', () => {
  it('a read-only HOME (GOCACHE set elsewhere): the Go helper is built in a temp dir, one note with EROFS, exit 0, nothing left', function () {
    const ns = mountNamespace();
    // Without a mount namespace (no unshare, no user namespaces) no read-only dir can be made here.
    if (!ns) this.skip();
    const home = tempDir('gel-rohome-');
    const r = spawnSync('unshare', [...ns, 'sh', '-c', 'mount -t tmpfs -o ro tmpfs "$1" && shift && exec "$@"', 'sh', home,
      process.execPath, CLI, '--json', PKG], {
      encoding: 'utf8', timeout: 180_000, killSignal: 'SIGKILL',
      env: { ...process.env, HOME: home, XDG_CACHE_HOME: '', GOCACHE, GOMODCACHE, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^go-escape-lens: note: the cache dir \S+\/\.cache\/go-escape-lens cannot be written \(EROFS: read-only file system, mkdir '\S+\/\.cache'\): the Go parser helper is built in a temp dir for this run$/m);
    assert.ok(JSON.parse(r.stdout).findings.some((f: { message: string }) => f.message === '&Order{...} escapes to heap'));
    assert.deepEqual(ourTempDirs(r.pid), [], 'the helper\'s temp dir is removed');
  });

  it('neither the cache dir nor the temp dir can be written: the Go helper has nowhere to be built, exit 4 with both errors', () => {
    // go itself still runs (GOCACHE and GOTMPDIR are elsewhere): only the tool's own dirs are missing.
    const env = { XDG_CACHE_HOME: '/proc/go-escape-lens-test/cache', TMPDIR: '/proc/go-escape-lens-test/tmp', GOTMPDIR: tempDir(), GOCACHE };
    const r = cli([PKG], { env });
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /the Go parser helper has nowhere to be built: \/proc\/go-escape-lens-test\/cache\/go-escape-lens: ENOENT\b.*; temp dir: ENOENT\b/);
    assert.doesNotMatch(r.err, /was not found|internal error/);
  });

  it('XDG_CACHE_HOME under /proc: no spin, the real error in the note, exit 0; --timeout and SIGTERM are obeyed meanwhile', async () => {
    const env = { XDG_CACHE_HOME: '/proc/go-escape-lens-test/cache', GOCACHE };
    const t0 = Date.now();
    const r = cli(['--json', PKG], { env, ms: 120_000 });
    assert.equal(r.timedOut, false, 'the CLI spun');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /cannot be written \(ENOENT: no such file or directory, mkdir '\/proc\/go-escape-lens-test'\)/);
    assert.ok(Date.now() - t0 < 120_000);
    // A SIGTERM is answered at once: the event loop is never blocked by the cache dir.
    const proc = spawn(process.execPath, [CLI, PKG], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d) => { err += d; });
    await waitUntil('the note', () => /cannot be written/.test(err), 60_000);
    const done = new Promise<number | null>((resolve) => proc.on('close', resolve));
    proc.kill('SIGTERM');
    assert.equal(await done, 143, err);
  });
});

describe('CLI: a reader that closes its output early', () => {
  it('ends it quietly with 141, as SIGPIPE ends a filter, not as an internal error', async () => {
    const proc = spawn(process.execPath, [CLI, PKG], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    // `| head -0`: the read end is closed before anything is written.
    proc.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    assert.equal(code, 141, err);
    assert.doesNotMatch(err, /internal error|EPIPE/);
    assert.deepEqual(ourTempDirs(proc.pid!), []);
  });
});

describe('CLI: go temporary files live in its own temp dir, which nothing outlives', () => {
  it('a SIGKILL\'d CLI: its go build ends and its temp dir (go\'s $WORK inside) goes, through the reaper', async () => {
    // A fresh build cache: go is still compiling the runtime when the CLI is killed.
    const mark = `gel-${process.pid}-work`;
    const proc = spawn(process.execPath, [CLI, tempModule({ 'm.go': 'package m\n\nimport _ "net/http"\n' })], {
      env: { ...process.env, GOCACHE: tempDir('gel-gocache-'), GEL_TREE_MARK: mark }, stdio: 'ignore',
    });
    try {
      const work = () => ourTempDirs(proc.pid!).flatMap((d) => {
        try { return fs.readdirSync(path.join(os.tmpdir(), d), { recursive: true }) as string[]; } catch { return []; }
      }).filter((p) => /(^|\/)go-build\d+$/.test(p));
      await waitUntil('go\'s $WORK inside the CLI\'s temp dir', () => work().length > 0, 60_000);
      const done = new Promise((resolve) => proc.on('close', resolve));
      proc.kill('SIGKILL');
      await done;
      assert.deepEqual(await leftAfter(mark, 10_000), [], 'processes left after the CLI was killed');
      await waitUntil('its temp dir removed', () => ourTempDirs(proc.pid!).length === 0, 10_000);
    } finally {
      killMarked(mark);
    }
  });
});

describe('CLI: go-side failures are go\'s own words and exit 3', () => {
  it('a go.work that does not list the module: `./...` says what go says, exit 3', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'go.work'), 'go 1.24\n\nuse ./a\n');
    fs.mkdirSync(path.join(root, 'a'));
    fs.writeFileSync(path.join(root, 'a', 'go.mod'), 'module example.com/a\n\ngo 1.24\n');
    fs.writeFileSync(path.join(root, 'a', 'a.go'), 'package a\n');
    const b = path.join(root, 'b');
    fs.mkdirSync(b);
    fs.writeFileSync(path.join(b, 'go.mod'), 'module example.com/b\n\ngo 1.24\n');
    fs.writeFileSync(path.join(b, 'b.go'), LIB.replace('package m', 'package b'));
    const r = cli(['./...'], { cwd: b });
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /directory prefix \. does not contain modules listed in go\.work/);
    assert.doesNotMatch(r.err, /internal error/);
  });

  it('a go.mod that needs a newer Go, and an unwritable GOCACHE: exit 3 with go\'s error, for a dir and for DIR/...', () => {
    const newer = tempModule({ 'm.go': LIB }, '1.99');
    for (const [target, tree] of [['.', PKG], ['./...', `${path.dirname(PKG)}/...`]]) {
      const r = cli([target], { cwd: newer, env: { GOTOOLCHAIN: 'local' } });
      assert.equal(r.code, 3, `${target}: ${r.err}`);
      assert.match(r.err, /go\.mod requires go >= 1\.99/);
      const c = cli([tree], { env: { GOCACHE: '/proc/go-escape-lens-test/gocache' } });
      assert.equal(c.code, 3, `${target}: ${c.err}`);
      assert.match(c.err, /failed to initialize build cache at \/proc\/go-escape-lens-test\/gocache/);
    }
  });
});

describe('CLI: bounded input and clamped deadlines', () => {
  it('--input /dev/zero and a newline-free stream: exit 2, one line, bounded memory', () => {
    for (const [args, input] of [[['--input', '/dev/zero'], undefined], [['--input', '-'], 'x'.repeat(9 * 1024 * 1024)]] as const) {
      const r = cli([...args], { input, ms: 60_000 });
      assert.equal(r.timedOut, false);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err.trim(), /^go-escape-lens: cannot read \S+: a line is longer than 8 MiB: not compiler output$/);
    }
  });

  it('--timeout 3000000 (longer than a Node timer holds): analysis runs, no overflow warning', () => {
    const r = cli(['--timeout', '3000000', PKG]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /TimeoutOverflowWarning/);
    assert.match(r.out, /4 heap findings in 1 package/);
  });
});

describe('CLI: paths, patterns and files as a shell user means them', () => {
  it('a relative --go ./mygo is found from the current dir, not the package dir', () => {
    const dir = tempDir();
    fs.symlinkSync(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim() + '/bin/go', path.join(dir, 'mygo'));
    const r = cli(['--go', './mygo', PKG], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /4 heap findings in 1 package/);
  });

  it('an invalid --bench regexp: exit 2 even on a package without benchmarks; RE2 spellings pass', () => {
    for (const bad of ['(', 'a(?=b)', 'X/[z']) {
      const r = cli(['--bench', bad, PKG]);
      assert.equal(r.code, 2, `${bad}: ${r.err}`);
      assert.match(r.err, /^go-escape-lens: --bench: invalid regexp /);
    }
    const ok = cli(['--bench', 'A[/]B/(?P<x>y)', PKG]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /no benchmark matches/);
  });

  it('a baseline with junk entries: one line, exit 2, no TypeError', () => {
    const dir = tempDir();
    for (const doc of ['null', '{"schemaVersion":2,"findings":[1]}', '{"schemaVersion":2,"findings":[{"kind":"escapes","file":3,"message":"m"}]}']) {
      const file = path.join(dir, 'baseline.json');
      fs.writeFileSync(file, doc);
      const r = cli(['--baseline', file, PKG]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.doesNotMatch(r.err, /TypeError|Cannot read properties/);
    }
  });

  it('--compare with junk reports: one line naming the file and what is wrong, exit 2, no TypeError', () => {
    const dir = tempDir();
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ measurements: [{ benchmark: 'BenchmarkX', goTest: { bytesPerOp: 8, allocsPerOp: 1 }, explained: { share: 1 }, sites: [] }] }));
    const cases: [string, RegExp][] = [
      ['garbage', /junk\.json is not JSON/],
      ['null', /junk\.json has no measurements/],
      ['{"measurements":[1]}', /measurements\[0\] is not a measurement \(not an object\)/],
      ['{"measurements":[{"benchmark":5}]}', /measurements\[0\] is not a measurement \(no benchmark name\)/],
      ['{"measurements":[{"benchmark":"B","goTest":{"bytesPerOp":1,"allocsPerOp":1},"explained":{"share":1},"sites":[{"bytesPerOp":1,"allocsPerOp":1,"findings":[3]}]}]}', /findings or messages are not strings/],
    ];
    for (const [doc, says] of cases) {
      const file = path.join(dir, 'junk.json');
      fs.writeFileSync(file, doc);
      const r = cli(['--compare', good, file]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, says);
      assert.doesNotMatch(r.err, /TypeError|Cannot read properties|Unexpected token/);
    }
    const onDir = cli(['--compare', good, dir]);
    assert.equal(onDir.code, 2);
    assert.match(onDir.err, /cannot be read \(EISDIR\)/);
    assert.equal(cli(['--compare', good, good]).code, 0);
  });

  it('the policy search stops at the repository root: a policy above the .git is not the project\'s', () => {
    const outer = tempDir();
    fs.writeFileSync(path.join(outer, '.escapelens.json'), JSON.stringify({ default: 'fail' }));
    const repo = path.join(outer, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.cpSync(PKG, repo, { recursive: true });
    fs.writeFileSync(path.join(repo, 'go.mod'), 'module example.com/r\n\ngo 1.24\n');
    assert.equal(cli([repo]).code, 0);
    fs.rmSync(path.join(repo, '.git'), { recursive: true });
    const r = cli([repo]);
    assert.equal(r.code, 1, 'without the .git the policy above applies');
    assert.match(r.out, /policy \S+\.escapelens\.json: fail 4/);
  });

  it('the policy search never leaves the file system of the package: it ends at the mount point', function () {
    const ns = mountNamespace();
    if (!ns) this.skip();
    const outer = tempDir();
    fs.writeFileSync(path.join(outer, '.escapelens.json'), JSON.stringify({ default: 'fail' }));
    const mnt = path.join(outer, 'mnt');
    fs.mkdirSync(mnt);
    // A module copied onto a fresh tmpfs mounted below the policy, with no .git anywhere.
    const script = 'mount -t tmpfs tmpfs "$1" && mkdir "$1/m" && cp -r "$2"/. "$1/m" && printf "module example.com/r\\n\\ngo 1.24\\n" > "$1/m/go.mod" && shift 2 && exec "$@"';
    const run = (dir: string) => spawnSync('unshare', [...ns, 'sh', '-c', script, 'sh', mnt, PKG, process.execPath, CLI, dir], {
      encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, GOCACHE, GOMODCACHE, NO_COLOR: '1' },
    });
    const r = run(path.join(mnt, 'm'));
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /policy /);
  });
});
