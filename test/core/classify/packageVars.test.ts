// The classifier asks whether `x` in a call `x.M(…)` or `x(…)` is a package-level variable. Only the files
// whose text may declare it are parsed (mayDeclare): the test must never be false where the parser finds
// the declaration, or a call through a variable would be classified as a static call.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { GoSource } from '../../../core/locate/goSource';
import { mayDeclare, packageVars } from '../../../core/classify/packageDecls';
import { GOROOT } from '../../helpers/goEnv';

describe('package-level variables: which files may declare a name', () => {
  let parser: GoParser;
  before(async () => { parser = await loadGoParser(); });

  it('finds every var the parser finds, in every declaration form', () => {
    const src = [
      'package p', '', 'var a int', 'var b, c = 1, 2', 'var (d int; e = 3)', 'var(f=1)', 'var /* why */ g int',
      'var', 'h int', '', 'var (', '\t// doc', '\ti, j int', '\tk\t= 4', ')', 'var ĉu = 5', 'var types = 6', '',
    ].join('\n');
    const g = new GoSource('/x/p.go', src, parser);
    const vars = [...packageVars(g)].sort();
    assert.deepEqual(vars, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'types', 'ĉu']);
    for (const v of vars) assert.ok(mayDeclare(src, v), v);
  });

  it('rejects the package clause, qualified names, strings and longer identifiers', () => {
    const src = 'package types\n\nimport "go/types"\n\nfunc F() { types.New(); typesX := 1; _ = typesX; x := ĉuy; _ = x }\n';
    assert.equal(mayDeclare(src, 'types'), false);
    assert.equal(mayDeclare(src, 'ĉu'), false);
    assert.ok(mayDeclare('package p\nfunc F() {\n\ttypes := 1\n}\n', 'types'), 'a superset: a local declaration at a line start counts');
  });

  it('finds every package-level var of standard-library packages', async () => {
    for (const pkg of ['go/types', 'net/http', 'runtime', 'os', 'encoding/json', 'syscall']) {
      const dir = path.join(GOROOT, 'src', pkg);
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((f) => path.join(dir, f));
      const sources = files.map((f) => new GoSource(f, fs.readFileSync(f, 'utf8'), parser));
      GoSource.loadAllSync(sources);
      let n = 0;
      for (const s of sources) for (const v of packageVars(s)) { n++; assert.ok(mayDeclare(s.text, v), `${s.path}: ${v}`); }
      assert.ok(n > 10, `${pkg}: ${n} vars`);
    }
  });
});
