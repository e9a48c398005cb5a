// What `go list -deps` says about a package's dependencies, the build flags that matter to it, and the
// stamp that changes when a main-module package's files change.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesStamp, goVersion, listDeps, listFlags } from '../../../core/deep/packages';
import { GOROOT, GOVERSION, tempModule } from '../../helpers/goEnv';

describe('deep/packages', function () {
  this.timeout(300_000);

  it('keeps only the build flags that select files or packages, with their values', () => {
    assert.deepEqual(listFlags(['-tags', 'integration', '-v', '-x', '-mod=vendor', '--race', '-gcflags=-N', '-trimpath', '-modfile', 'alt.mod', '-p', '4']),
      ['-tags', 'integration', '-mod=vendor', '--race', '-trimpath', '-modfile', 'alt.mod']);
    assert.deepEqual(listFlags(), []);
    // A trailing flag without its value is kept alone.
    assert.deepEqual(listFlags(['-tags']), ['-tags']);
  });

  it('lists the package and its dependencies: main module, standard library, files and imports', async () => {
    const dir = tempModule({ 'a.go': 'package m\n\nimport "fmt"\n\nfunc F() { fmt.Println() }\n', 'b.go': 'package m\n', 'x_test.go': 'package m\n' });
    const deps = await listDeps({ dir });
    const m = deps.get('example.com/m')!;
    assert.deepEqual(m, {
      importPath: 'example.com/m', name: 'm', dir: fs.realpathSync(dir), module: 'example.com/m', main: true, standard: false,
      imports: ['fmt'], goFiles: ['a.go', 'b.go'],
    });
    const fmt = deps.get('fmt')!;
    assert.equal(fmt.standard, true);
    assert.equal(fmt.main, false);
    assert.equal(fmt.module, undefined);
    assert.equal(fmt.dir, path.join(GOROOT, 'src', 'fmt'));
    assert.ok(deps.has('os') && deps.has('unicode/utf8'), 'fmt’s own dependencies are listed');
  });

  it('applies build tags to the files it lists', async () => {
    const dir = tempModule({ 'a.go': 'package m\n', 'tagged.go': '//go:build extra\n\npackage m\n' });
    assert.deepEqual((await listDeps({ dir })).get('example.com/m')!.goFiles, ['a.go']);
    assert.deepEqual((await listDeps({ dir, buildFlags: ['-tags', 'extra'] })).get('example.com/m')!.goFiles, ['a.go', 'tagged.go']);
  });

  it('tells the Go version and root, and rejects when the go command cannot run', async () => {
    const dir = tempModule({ 'a.go': 'package m\n' });
    assert.equal(await goVersion({ dir }), `${GOVERSION} ${GOROOT}`);
    await assert.rejects(listDeps({ dir, goCommand: path.join(dir, 'no-go') }));
  });

  it('stamps files by size and time, and marks a missing file', () => {
    const dir = tempModule({ 'a.go': 'package m\n' });
    const info = { importPath: 'example.com/m', name: 'm', dir, main: true, standard: false, imports: [], goFiles: ['a.go', 'gone.go'] };
    const before = filesStamp(info);
    assert.match(before, /^a\.go:10:[\d.]+,gone\.go:-$/);
    fs.writeFileSync(path.join(dir, 'a.go'), 'package m // edited\n');
    assert.notEqual(filesStamp(info), before);
  });
});
