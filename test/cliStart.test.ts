// The CLI's entry loads its bundle with a V8 code cache (cli/start.ts): kept in the user's cache dir,
// never beside the code analysed; a missing, stale or damaged cache only means compiling again; the
// findings are the same with it and without it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { REPO, tempDir } from './helpers/goEnv';

describe('CLI start: the V8 code cache of the bundle', function () {
  this.timeout(120_000);

  it('is written to the user cache dir on the first run, used by the next, and a damaged one is replaced; findings are the same', () => {
    const cache = tempDir();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'escape.go'), 'package p\n\nfunc f() *int { x := 1; return &x }\n');
    fs.writeFileSync(path.join(dir, 'm2.txt'), './escape.go:3:17: moved to heap: x\n');
    // The go build cache's default location follows XDG_CACHE_HOME too: keep the warm one.
    const gocache = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();
    const env = { ...process.env, XDG_CACHE_HOME: cache, GOCACHE: gocache };
    const run = () => {
      const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', '--input', 'm2.txt'], { cwd: dir, env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout).findings as unknown[];
    };
    const v8dir = path.join(cache, 'go-escape-lens', 'v8-cache');
    const first = run();
    assert.equal(first.length, 1);
    const files = fs.readdirSync(v8dir);
    assert.equal(files.length, 1, files.join(', '));
    assert.match(files[0], /^cli-[0-9a-f]+\.bin$/);
    const file = path.join(v8dir, files[0]);
    const made = fs.readFileSync(file);
    assert.ok(made.length > 10_000, `${made.length} bytes`);
    // Nothing beside the code analysed.
    assert.deepEqual(fs.readdirSync(dir).sort(), ['escape.go', 'm2.txt']);

    // Used as it is: the same findings, the file not rewritten.
    assert.deepEqual(run(), first);
    assert.ok(fs.readFileSync(file).equals(made));

    // Damaged (V8 rejects it): compiled as without a cache, the same findings, and a good one written again.
    fs.writeFileSync(file, Buffer.alloc(made.length, 7));
    assert.deepEqual(run(), first);
    assert.ok(fs.readFileSync(file).length > 10_000 && !fs.readFileSync(file).equals(Buffer.alloc(made.length, 7)));
    assert.deepEqual(fs.readdirSync(v8dir), files, 'no temp file left behind');

    // An unwritable cache dir: the run works all the same.
    fs.rmSync(path.join(cache, 'go-escape-lens', 'v8-cache'), { recursive: true });
    fs.writeFileSync(path.join(cache, 'go-escape-lens', 'v8-cache'), 'not a directory');
    assert.deepEqual(run(), first);
  });
});
