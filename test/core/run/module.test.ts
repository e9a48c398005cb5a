// Where a package's module is: go.mod above a directory, its module path and go line, package dirs from
// `# pkg` headers, workspaces, vendored files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { insideModule, isVendored, moduleGoMinor, modulePath, moduleRoot, packageDirsIn } from '../../../core/run/module';
import { tempDir, tempModule } from '../../helpers/goEnv';

describe('run/module', () => {
  let root: string;
  before(() => {
    root = tempModule({ 'a.go': 'package m\n', 'api/v1/b.go': 'package v1\n', 'api/c_test.go': 'package api_test\n' }, '1.21');
  });

  it('finds the nearest go.mod above a directory, itself included', () => {
    assert.equal(moduleRoot(root), root);
    assert.equal(moduleRoot(path.join(root, 'api', 'v1')), root);
    const nested = path.join(root, 'api', 'v1');
    fs.writeFileSync(path.join(nested, 'go.mod'), 'module example.com/v1\n');
    try {
      assert.equal(moduleRoot(nested), nested);
      assert.equal(moduleRoot(path.join(root, 'api')), root);
    } finally {
      fs.rmSync(path.join(nested, 'go.mod'));
    }
  });

  it('has no module root or go line outside a module', () => {
    const bare = tempDir();
    assert.equal(moduleRoot(bare), undefined);
    assert.equal(moduleGoMinor(bare), undefined);
    assert.equal(insideModule(bare), false);
  });

  it('reads the module path, quoted or not, and the go line minor', () => {
    assert.equal(modulePath(root), 'example.com/m');
    assert.equal(moduleGoMinor(path.join(root, 'api')), 21);
    const q = tempDir();
    fs.writeFileSync(path.join(q, 'go.mod'), '// comment\nmodule "example.com/quoted"\n\ngo 1.24.0\n');
    assert.equal(modulePath(q), 'example.com/quoted');
    assert.equal(moduleGoMinor(q), 24);
    assert.equal(modulePath(tempDir()), undefined);
  });

  it('maps # pkg headers to directories in the module: root, nested, test variants, external tests; others left out', () => {
    const dirs = packageDirsIn(path.join(root, 'api'), [
      'example.com/m', 'example.com/m/api/v1', 'example.com/m/api [example.com/m/api.test]', 'example.com/m/api_test',
      'example.com/other', 'fmt', 'example.com/m/missing',
    ]);
    assert.deepEqual([...dirs.entries()].sort(), [
      ['example.com/m', root],
      ['example.com/m/api', path.join(root, 'api')],
      ['example.com/m/api/v1', path.join(root, 'api', 'v1')],
      ['example.com/m/api_test', path.join(root, 'api')],
    ].sort());
  });

  it('maps standard-library paths only in the std module', () => {
    const std = tempModule({ 'strings/s.go': 'package strings\n' }, '1.24', 'std');
    const dirs = packageDirsIn(std, ['strings', 'golang.org/x/net']);
    assert.deepEqual([...dirs.entries()], [['strings', path.join(std, 'strings')]]);
    assert.equal(packageDirsIn(root, ['strings']).size, 0);
  });

  it('counts a go.work as inside a module', () => {
    const w = tempDir();
    fs.writeFileSync(path.join(w, 'go.work'), 'go 1.24\n');
    fs.mkdirSync(path.join(w, 'sub'));
    assert.equal(insideModule(path.join(w, 'sub')), true);
    assert.equal(moduleRoot(path.join(w, 'sub')), undefined);
  });

  it('calls a file vendored only under a vendor dir next to go.mod or go.work', () => {
    fs.mkdirSync(path.join(root, 'vendor', 'x.org', 'y'), { recursive: true });
    assert.equal(isVendored(path.join(root, 'vendor', 'x.org', 'y', 'y.go')), true);
    assert.equal(isVendored(path.join(root, 'api', 'v1', 'b.go')), false);
    // A module that lives under some folder called vendor is not vendored code.
    const outer = tempDir();
    const inner = path.join(outer, 'vendor', 'app');
    fs.mkdirSync(inner, { recursive: true });
    fs.writeFileSync(path.join(inner, 'go.mod'), 'module app\n');
    assert.equal(isVendored(path.join(inner, 'main.go')), false);
  });
});
