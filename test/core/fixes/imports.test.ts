// Adding and dropping imports in gofmt's layout, checked against the real gofmt of the toolchain; the
// declarations the rewrite must not touch (comments, dot and blank imports, several declarations).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { importEdit } from '../../../core/fixes/imports';
import { applyEdits } from '../../../core/fixes/model';
import { GoSource } from '../../../core/locate/goSource';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { GOROOT } from '../../helpers/goEnv';

const GOFMT = path.join(GOROOT, 'bin', process.platform === 'win32' ? 'gofmt.exe' : 'gofmt');

function gofmt(text: string): string {
  const r = spawnSync(GOFMT, [], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('fixes/imports importEdit', function () {
  this.timeout(120_000);
  let parser: GoParser;
  before(async () => { parser = await loadGoParser(); });

  const edit = (text: string, add: string[], remove: string[]) => {
    const src = new GoSource('/m/a.go', text, parser);
    const e = importEdit(src, add, remove);
    return e && { edit: e, text: applyEdits(text, [e]) };
  };

  it('turns a single import into a sorted block', () => {
    const r = edit('package m\n\nimport "fmt"\n\nfunc F() { fmt.Println() }\n', ['strconv', 'errors'], [])!;
    assert.equal(r.edit.file, '/m/a.go');
    assert.equal(r.text, 'package m\n\nimport (\n\t"errors"\n\t"fmt"\n\t"strconv"\n)\n\nfunc F() { fmt.Println() }\n');
    assert.equal(gofmt(r.text), r.text);
  });

  it('adds to the standard-library group and keeps the other groups and aliases as they are', () => {
    const text = 'package m\n\nimport (\n\t"os"\n\n\tyaml "gopkg.in/yaml.v3"\n)\n\nvar _ = os.Args\nvar _ = yaml.Marshal\n';
    const r = edit(text, ['fmt'], [])!;
    assert.equal(r.text, 'package m\n\nimport (\n\t"fmt"\n\t"os"\n\n\tyaml "gopkg.in/yaml.v3"\n)\n\nvar _ = os.Args\nvar _ = yaml.Marshal\n');
    assert.equal(gofmt(r.text), r.text);
  });

  it('starts a standard-library group first when there is none', () => {
    const text = 'package m\n\nimport (\n\t"example.com/a"\n\t"example.com/b"\n)\n';
    const r = edit(text, ['strconv'], [])!;
    assert.equal(r.text, 'package m\n\nimport (\n\t"strconv"\n\n\t"example.com/a"\n\t"example.com/b"\n)\n');
    assert.equal(gofmt(r.text), r.text);
  });

  it('drops an import, down to one spec without parentheses, and the whole declaration with its blank line', () => {
    const two = 'package m\n\nimport (\n\t"fmt"\n\t"strconv"\n)\n\nvar _ = strconv.Itoa\n';
    const one = edit(two, [], ['fmt'])!;
    assert.equal(one.text, 'package m\n\nimport "strconv"\n\nvar _ = strconv.Itoa\n');
    assert.equal(gofmt(one.text), one.text);
    const none = edit('package m\n\nimport "fmt"\n\nfunc F() {}\n', [], ['fmt'])!;
    assert.equal(none.text, 'package m\n\nfunc F() {}\n');
    assert.equal(gofmt(none.text), none.text);
  });

  it('swaps one import for another in one edit', () => {
    const r = edit('package m\n\nimport "fmt"\n\nvar _ = 1\n', ['strconv'], ['fmt'])!;
    assert.equal(r.text, 'package m\n\nimport "strconv"\n\nvar _ = 1\n');
  });

  it('adds a first import after the package clause', () => {
    const r = edit('package m\n\nfunc F() {}\n', ['errors'], [])!;
    assert.equal(r.text, 'package m\n\nimport "errors"\n\nfunc F() {}\n');
    assert.equal(gofmt(r.text), r.text);
  });

  it('has nothing to do when the imports already are as asked', () => {
    assert.equal(edit('package m\n\nimport "fmt"\n', ['fmt'], ['strconv']), undefined);
  });

  it('leaves declarations with comments, dot or blank imports, or more than one declaration alone', () => {
    assert.equal(edit('package m\n\nimport (\n\t"fmt" // printing\n)\n', ['errors'], []), undefined);
    assert.equal(edit('package m\n\nimport (\n\t. "fmt"\n)\n', ['errors'], []), undefined);
    assert.equal(edit('package m\n\nimport _ "embed"\n', ['errors'], []), undefined);
    assert.equal(edit('package m\n\nimport "fmt"\nimport "os"\n', ['errors'], []), undefined);
  });
});
