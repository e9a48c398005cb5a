// The file-system operations done by hand where Node's own misbehave: directory creation that ends with
// the system's error (never a loop under /proc), the clamp on timer delays, reads with a size bound.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs, MAX_TIMER_MS, readTextBounded, timerMs } from '../../../core/platform';
import { tempDir } from '../../helpers/goEnv';

describe('platform: file system', () => {
  it('makeDirs creates every missing parent, and is a no-op on an existing dir', () => {
    const root = tempDir();
    const deep = path.join(root, 'a', 'b', 'c');
    makeDirs(deep);
    assert.ok(fs.statSync(deep).isDirectory());
    makeDirs(deep);
    makeDirs(root);
  });

  it('makeDirs under /proc ends at once with ENOENT, where Node\'s recursive mkdir loops for ever', () => {
    const t0 = Date.now();
    assert.throws(() => makeDirs('/proc/go-escape-lens-test/a/b'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && /mkdir '\/proc\/go-escape-lens-test'/.test(e.message));
    assert.ok(Date.now() - t0 < 1000);
  });

  it('makeDirs below a file says ENOTDIR (the real error, not ENOENT)', () => {
    const file = path.join(tempDir(), 'f');
    fs.writeFileSync(file, '');
    assert.throws(() => makeDirs(path.join(file, 'x', 'y')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
  });

  it('timerMs clamps a delay to what a Node timer holds', () => {
    assert.equal(MAX_TIMER_MS, 2 ** 31 - 1);
    assert.equal(timerMs(3_000_000_000), MAX_TIMER_MS);
    assert.equal(timerMs(1500), 1500);
    assert.equal(timerMs(-5), 0);
  });

  it('readTextBounded reads a file whole, and refuses one larger than its bound (a device too)', () => {
    const file = path.join(tempDir(), 'r.json');
    fs.writeFileSync(file, '{"a":1}');
    assert.equal(readTextBounded(file, 7), '{"a":1}');
    assert.throws(() => readTextBounded(file, 6), /is larger than 6 bytes/);
    assert.throws(() => readTextBounded('/dev/zero', 1 << 20), /\/dev\/zero is larger than 1048576 bytes/);
  });
});
