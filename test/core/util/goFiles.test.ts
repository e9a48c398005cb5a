// The one reader of a package directory's Go files: which names count, with and without tests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goFilesIn } from '../../../core/util/goFiles';
import { tempDir } from '../../helpers/goEnv';

describe('goFilesIn', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    for (const f of ['a.go', 'b_test.go', 'notes.txt', 'c.go.orig', 'x_test.go.bak']) fs.writeFileSync(path.join(dir, f), '');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'd.go'), '');
  });
  const names = (files: string[]) => files.map((f) => path.relative(dir, f)).sort();

  it('lists the .go files of the directory itself (not below it), tests included by default, as absolute paths', () => {
    const files = goFilesIn(dir);
    assert.deepEqual(names(files), ['a.go', 'b_test.go']);
    for (const f of files) assert.ok(path.isAbsolute(f) && path.dirname(f) === dir);
  });

  it('leaves _test.go files out with tests: false, and keeps only them with onlyTests', () => {
    assert.deepEqual(names(goFilesIn(dir, { tests: false })), ['a.go']);
    assert.deepEqual(names(goFilesIn(dir, { onlyTests: true })), ['b_test.go']);
  });

  it('has none for a directory that does not exist or is a file', () => {
    assert.deepEqual(goFilesIn(path.join(dir, 'missing')), []);
    assert.deepEqual(goFilesIn(path.join(dir, 'a.go')), []);
  });
});
