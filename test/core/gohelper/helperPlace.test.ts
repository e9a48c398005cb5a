// Where the Go helper is kept: the user cache dir, or, when that cannot be written, a temp dir of this
// process (removed on every way out), with one note carrying the system's own error. Both builds (the
// asynchronous one and the synchronous fallback) put it in the same place.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureHelper, ensureHelperSync, onHelperNote } from '../../../core/gohelper/goHelper';

// go's own build cache stays where it is (its default would follow XDG_CACHE_HOME).
const GOCACHE = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();

describe('gohelper: an unwritable cache dir', () => {
  const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, GOCACHE: process.env.GOCACHE };
  after(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  });

  it('XDG_CACHE_HOME under /proc: the helper is built in a temp dir of ours, one note with ENOENT, both builds agree', async () => {
    const notes: string[] = [];
    const off = onHelperNote((n) => notes.push(n));
    try {
      process.env.GOCACHE = GOCACHE;
      process.env.XDG_CACHE_HOME = '/proc/go-escape-lens-test/cache';
      const bin = await ensureHelper({});
      assert.equal(path.dirname(path.dirname(bin)), os.tmpdir());
      assert.match(path.basename(path.dirname(bin)), new RegExp(`^go-escape-lens-${process.pid}-`));
      assert.ok(fs.statSync(bin).isFile());
      assert.equal(ensureHelperSync({}), bin);
      assert.equal(notes.length, 1, notes.join('\n'));
      assert.match(notes[0], /^the cache dir \/proc\/go-escape-lens-test\/cache\/go-escape-lens cannot be written \(ENOENT: no such file or directory, mkdir '\/proc\/go-escape-lens-test'\)/);
    } finally {
      off();
    }
  });
});
