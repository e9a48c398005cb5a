// The go command's arguments: one merged -gcflags (the go command keeps only the last), our -o, the
// user's other flags; and the real go command taking them.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goArgs, splitFlags } from '../../../core/run/flags';
import { tempModule } from '../../helpers/goEnv';

const NULL = process.platform === 'win32' ? 'NUL' : '/dev/null';

describe('run/flags', function () {
  this.timeout(120_000);

  it('splits flag strings on spaces, honouring both quotes', () => {
    assert.deepEqual(splitFlags(`-N  -l "-d=a b" '-e x' -m`), ['-N', '-l', '-d=a b', '-e x', '-m']);
    assert.deepEqual(splitFlags('   '), []);
    assert.deepEqual(splitFlags(String.raw`"a \"q\" b"`), [String.raw`a \"q\" b`]);
  });

  it('merges the escape flags, -gcflags in the build flags (either spelling, all= dropped) and gcflags into one', () => {
    assert.deepEqual(goArgs({ mode: 'build', nullDevice: '/dev/null' }), ['build', '-gcflags=-m=2', '-o', '/dev/null', '.']);
    assert.deepEqual(goArgs({
      mode: 'build', nullDevice: '/dev/null', gcflags: ['-d=checkptr'],
      buildFlags: ['-gcflags=all=-N -l', '-tags', 'x', '--gcflags', '-B'],
    }), ['build', "-gcflags=-m=2 -N -l -B -d=checkptr", '-tags', 'x', '-o', '/dev/null', '.']);
  });

  it('keeps our escape level: the user’s -m flags are dropped', () => {
    assert.deepEqual(goArgs({ mode: 'build', nullDevice: 'NUL', buildFlags: ['-gcflags=-m -m=1 -l'] }), ['build', '-gcflags=-m=2 -l', '-o', 'NUL', '.']);
    assert.deepEqual(goArgs({ mode: 'build', nullDevice: 'NUL', escapeFlags: ['-m=1'] }), ['build', '-gcflags=-m=1', '-o', 'NUL', '.']);
  });

  it('drops a user’s -o in both spellings: nothing is written into their tree', () => {
    assert.deepEqual(goArgs({ mode: 'build', nullDevice: '/dev/null', buildFlags: ['-o', 'bin/app', '-o=x', '-race'] }), ['build', '-gcflags=-m=2', '-race', '-o', '/dev/null', '.']);
  });

  it('builds tests with go test -c, an overlay, quoted flag values, and per-package gcflags', () => {
    assert.deepEqual(goArgs({ mode: 'test', nullDevice: '/dev/null', overlayFile: '/t/o.json', gcflags: ['"-d=a b"'] }),
      ['test', '-c', '-vet=off', "-gcflags=-m=2 '-d=a b'", '-overlay=/t/o.json', '-o', '/dev/null', '.']);
    assert.deepEqual(goArgs({ mode: 'build', nullDevice: '/dev/null', packages: ['fmt', 'example.com/m/...'] }),
      ['build', '-gcflags=fmt=-m=2', '-gcflags=example.com/m/...=-m=2', '-o', '/dev/null', 'fmt', 'example.com/m/...']);
  });

  it('gives the real go command arguments it runs, with the user’s gcflags in effect', () => {
    const dir = tempModule({ 'a.go': 'package m\n\nfunc small() int { return 1 }\n\nfunc F() int { return small() }\n\nfunc G() *int { x := 1; return &x }\n' });
    const run = (buildFlags: string[]) => {
      const r = spawnSync('go', goArgs({ mode: 'build', nullDevice: NULL, buildFlags }), { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stderr;
    };
    assert.match(run([]), /can inline small/);
    // -l (no inlining), merged with our -m=2: no inlining lines, the escape lines still there; the user's -o not used.
    const noInline = run(['-gcflags=all=-l', '-o', 'would-be-written']);
    assert.doesNotMatch(noInline, /inline/);
    assert.match(noInline, /moved to heap: x/);
    assert.ok(!fs.existsSync(path.join(dir, 'would-be-written')));
  });
});
