// The registry of what the program started: temp dirs made and removed, registrations undone, stale
// temp dirs of dead runs swept and live ones kept.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeTempDir, onEndAll, registered, removeTempDir, sweepStaleTempDirs, TEMP_PREFIX, trackTree } from '../../../core/run/processes';
import { tempDir } from '../../helpers/goEnv';

describe('run/processes', () => {
  it('makes temp dirs named for this process, counts them while they live, removes them', () => {
    const before = registered().tempDirs;
    const d = makeTempDir();
    assert.equal(path.dirname(d), os.tmpdir());
    assert.ok(path.basename(d).startsWith(`${TEMP_PREFIX}${process.pid}-`));
    fs.writeFileSync(path.join(d, 'overlay.json'), '{}');
    assert.equal(registered().tempDirs, before + 1);
    removeTempDir(d);
    assert.equal(fs.existsSync(d), false);
    assert.equal(registered().tempDirs, before);
  });

  it('undoes registrations through the functions they return', () => {
    const before = registered().trees;
    const untrack = trackTree(123456);
    assert.equal(registered().trees, before + 1);
    untrack();
    assert.equal(registered().trees, before);
    trackTree(undefined)();
    assert.equal(registered().trees, before);
    const off = onEndAll(() => assert.fail('unregistered enders never run'));
    off();
  });

  // POSIX: a pid that ended is not reused at once there.
  if (process.platform !== 'win32') it('sweeps temp dirs of dead runs only: not a live run’s, not this one’s, not other names', () => {
    const tmp = tempDir();
    // A pid that surely ended: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const names = [`${TEMP_PREFIX}${dead}-abc`, `${TEMP_PREFIX}${process.pid}-mine`, `${TEMP_PREFIX}${process.ppid}-parent`, 'other-dir'];
    for (const n of names) fs.mkdirSync(path.join(tmp, n));
    fs.writeFileSync(path.join(tmp, `${TEMP_PREFIX}${dead}-file`), '');
    assert.deepEqual(sweepStaleTempDirs(tmp), [path.join(tmp, names[0])]);
    assert.deepEqual(fs.readdirSync(tmp).sort(), [...names.slice(1), `${TEMP_PREFIX}${dead}-file`].sort());
    assert.deepEqual(sweepStaleTempDirs(path.join(tmp, 'missing')), []);
  });
});
