// The policy file and the directive reader without the compiler: parsing, matching, the schema kept in
// step with the cause table, and the tokenizer's corners (directives inside strings, result types).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAUSES } from '../../../core/classify/causes';
import { actionFor, loadPolicy, matchPackage, parsePolicy, PolicyError } from '../../../core/policy/policy';
import { fileDirectives } from '../../../core/contracts/directives';
import { isHeapCause } from '../../../core/contracts/check';
import { tokenize } from '../../../core/contracts/goTokens';
import { onRequestPath } from '../../../core/policy/requestPath';
import type { Finding } from '../../../core/model';
import { REPO } from '../../helpers/goEnv';
import { withCauseEnum } from '../../../scripts/policy-schema';

const finding = (o: Partial<Finding>): Finding => ({
  file: '/x.go', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, exact: true, kind: 'escapes',
  message: 'x escapes to heap', subject: 'x', cause: 'interface-conversion', tier: 'L3', allocates: true, flow: [], otherPaths: 0,
  pos: { path: 'x.go', line: 1, col: 1 }, pkg: 'example.com/m/api', ...o,
});

describe('policy file and directive reader', () => {
  it('the JSON schema lists exactly the heap causes of the cause table, and the fixture policy loads', () => {
    const text = fs.readFileSync(path.join(REPO, 'schemas/escapelens.schema.json'), 'utf8');
    assert.equal(text, withCauseEnum(text), 'schemas/escapelens.schema.json is stale: npm run docs');
    assert.deepEqual(JSON.parse(text).definitions.cause.enum, CAUSES.filter((c) => c.tier).map((c) => c.id));
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '.escapelens.json', url: './schemas/escapelens.schema.json' }]);
    const p = loadPolicy(path.join(REPO, 'fixtures/policy/.escapelens.json'));
    assert.equal(p.rules.length, 4);
  });

  it('the last matching rule decides; boxed constants only by cause; packages as go patterns', () => {
    const p = parsePolicy({ rules: [{ tier: 'L3', action: 'fail' }, { packages: 'example.com/m/api/...', tier: ['L3'], action: 'warn' }, { cause: 'boxed-constant', action: 'ignore' }] }, 'p.json');
    assert.equal(actionFor(p, finding({}), { requestPath: false }), 'warn');
    assert.equal(actionFor(p, finding({ pkg: 'example.com/m/db' }), { requestPath: false }), 'fail');
    assert.equal(actionFor(p, finding({ cause: 'boxed-constant', allocates: false }), { requestPath: false }), 'ignore');
    const q = parsePolicy({ rules: [{ tier: 'L3', action: 'fail' }] }, 'q.json');
    assert.equal(actionFor(q, finding({ cause: 'boxed-constant', allocates: false }), { requestPath: false }), 'log', 'a tier rule never fails a non-allocation');
    assert.equal(actionFor(q, finding({ suppressed: 'ok' }), { requestPath: false }), undefined);
    assert.ok(matchPackage('example.com/m/...', 'example.com/m') && matchPackage('example.com/m/...', 'example.com/m/a/b') && !matchPackage('example.com/m/...', 'example.com/mx'));
    assert.throws(() => parsePolicy({ rules: [{ action: 'explode' }] }, 'r.json'), PolicyError);
    assert.throws(() => parsePolicy({ rules: [{ cause: 'stack', action: 'fail' }] }, 'r.json'), /unknown cause "stack"/);
    assert.throws(() => parsePolicy({ rules: [{ tiers: 'L1', action: 'fail' }] }, 'r.json'), /unknown key "tiers"/);
  });

  it('request paths: ServeHTTP, functions and literals taking http.ResponseWriter or *http.Request, import aliases', () => {
    const text = [
      'package m', '', 'import web "net/http"', '',
      'func plain() { _ = 1 }', '',
      'func h(w web.ResponseWriter, r *web.Request) { _ = 2 }', '',
      'func reg() { web.HandleFunc("/", func(w web.ResponseWriter, _ *web.Request) { _ = 3 }) }', '',
      'type S struct{}', '', 'func (S) ServeHTTP(w web.ResponseWriter, r *web.Request) { _ = 4 }', '',
    ].join('\n');
    const at = (line: number, character: number) => finding({ range: { start: { line, character }, end: { line, character: character + 1 } } });
    const fs4 = [at(4, 15), at(6, 48), at(8, 13), at(8, 78), at(12, 60)];
    const on = onRequestPath(text, fs4);
    assert.deepEqual(fs4.map((f) => on.has(f)), [false, true, false, true, true]);
  });

  it('reads directives only in comments, and finds function bodies after struct and interface results', () => {
    const text = [
      'package m', '',
      'var s = "//escape:noheap"', '',
      '//escape:noheap', 'func R() struct{ a int } { return struct{ a int }{} }', '',
      '//escape:noheap allow=interface-conversion,append', 'func (l *List[T]) G() (interface{ M() }, error) {', '\treturn nil, nil', '}', '',
    ].join('\n');
    const d = fileDirectives('/m.go', text, isHeapCause);
    assert.deepEqual(d.problems, []);
    assert.deepEqual(d.directives.map((x) => [x.scope, x.target, x.lines, x.allow]), [
      ['function', 'R', { first: 5, last: 5 }, undefined],
      ['function', '(*List).G', { first: 8, last: 10 }, ['interface-conversion', 'append']],
    ]);
    const g = tokenize('package m\n\nvar f func(int) int\n\nfunc x() { y := func() {}; _ = y }\n');
    assert.deepEqual(g.funcs.map((f) => [f.name, f.literal]), [['x', false], ['func literal', true]]);
  });
});

