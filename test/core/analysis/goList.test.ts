// What the go command says about the analysed packages (core/analysis/goList.ts), from the real go command.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { gorootOf, listPackages } from '../../../core/analysis/goList';
import { tempModule } from '../../helpers/goEnv';

describe('go list and go env beside the compile', function () {
  this.timeout(60_000);

  it('lists the import path and directory of each package a pattern names', async () => {
    const root = tempModule({ 'a/a.go': 'package a\n', 'b/c/c.go': 'package c\n' });
    const listed = await listPackages({ dir: root, packages: ['./...'] });
    assert.deepEqual(listed?.map((p) => [p.importPath, path.relative(root, p.dir)]), [['example.com/m/a', 'a'], ['example.com/m/b/c', path.join('b', 'c')]]);
  });

  it('is undefined when the go command fails', async () => {
    assert.equal(await listPackages({ dir: tempModule({ 'a.go': 'package a\n' }), packages: ['./...'], goCommand: 'go-not-there' }), undefined);
  });

  it("gives go env GOROOT of the module's go command", async () => {
    const dir = tempModule({ 'a.go': 'package a\n' });
    assert.equal(await gorootOf({ dir }), execFileSync('go', ['env', 'GOROOT'], { cwd: dir, encoding: 'utf8' }).trim());
  });
});
