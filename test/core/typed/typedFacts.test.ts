// Typed facts of a package: go/types in the goast helper, dependencies from the go command's export data,
// asked by the byte offset where the compiler reports each expression.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clearTypedFacts, importsIn, typedFacts } from '../../../core/typed/packageTypes';
import { closeTypeCheckers, typeChecker } from '../../../core/typed/typeChecker';
import type { TypedFacts } from '../../../core/typed/typedFacts';
import { CancelledError } from '../../../core/util/cancel';
import { tempModule } from '../../helpers/goEnv';
import { checkedModule } from '../../helpers/typed';

const SOURCE = `package m

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

type Config struct{ Name string }

type Person struct{}

func (Person) Name() string { return "" }

type Empty struct{}
type Flag bool
type Code int

const Limit = 10
const Typed Code = 3

type MyErr struct{}

func (*MyErr) Error() string { return "" }

var sink any

func F(cfg Config, w io.Writer, f func(int) int, items []int, m map[string]int, ch chan int, b bool) error {
	n := 1
	none := func() int { return 1 + Limit }
	some := func() int { return n + len(items) }
	sink = none
	sink = some
	sink = cfg.Name
	var p Person
	sink = p.Name
	sink = Person.Name
	var buf bytes.Buffer
	buf.WriteString("x")
	w.Write(nil)
	f(1)
	sink = fmt.Sprint(Limit, Typed, Code(4), n, b, Flag(true), Empty{}, &MyErr{})
	for _, x := range items {
		_ = x
	}
	for k := range m {
		_ = k
	}
	for v := range ch {
		_ = v
	}
	for i := range 3 {
		_ = i
	}
	return errors.New("x")
}
`;

/** The byte offset of `marker` in `text` (after `after`), plus `plus`. */
function at(text: string, marker: string, plus = 0, after = ''): number {
  const buf = Buffer.from(text, 'utf8');
  const from = after ? buf.indexOf(after) : 0;
  const i = buf.indexOf(marker, from);
  assert.ok(i >= 0, `${marker} not in the source`);
  return i + plus;
}

describe('typed facts (go/types from export data)', function () {
  this.timeout(300_000);
  let dir: string;
  let file: string;
  let facts: TypedFacts;
  before(async () => ({ dir, file, facts } = await checkedModule({ 'm.go': SOURCE }, 'm.go')));
  after(() => { clearTypedFacts(); closeTypeCheckers(); });

  it('a package that compiles has no errors and its file is checked', () => {
    assert.deepEqual(facts.errors, []);
    assert.equal(facts.importPath, 'example.com/m');
    assert.deepEqual(facts.files(), [file]);
  });

  it('func literals: one capturing nothing (a package constant is no capture), one capturing n and items', () => {
    const none = at(SOURCE, 'func() int { return 1');
    const some = at(SOURCE, 'func() int { return n');
    assert.deepEqual(facts.funcLitAt(file, none)?.free, []);
    assert.equal(facts.capturesNothing(file, none), true);
    assert.deepEqual(facts.funcLitAt(file, some)?.free, ['n', 'items']);
    assert.equal(facts.capturesNothing(file, some), false);
    assert.equal(facts.capturesNothing(file, some + 1), undefined, 'no func literal there');
  });

  it('selectors: cfg.Name is a field although another type has a Name method; p.Name a method value', () => {
    assert.equal(facts.selectorAt(file, at(SOURCE, 'cfg.Name', 3, 'sink = none')), 'field');
    assert.equal(facts.selectorAt(file, at(SOURCE, 'p.Name', 1, 'var p Person')), 'method-value');
    assert.equal(facts.selectorAt(file, at(SOURCE, 'Person.Name', 6, 'sink = p.Name')), 'method-expr');
    assert.equal(facts.selectorAt(file, at(SOURCE, 'buf.WriteString', 3)), 'method-call');
    assert.equal(facts.selectorAt(file, at(SOURCE, 'fmt.Sprint', 3)), 'qualified');
  });

  it('calls: a static method, an interface method, a func value, a package function, a conversion', () => {
    assert.deepEqual(facts.callAt(file, at(SOURCE, 'WriteString(', 11)), { at: at(SOURCE, 'WriteString(', 11), kind: 'static', callee: '(*bytes.Buffer).WriteString', type: 'func(s string) (n int, err error)' });
    const w = facts.callAt(file, at(SOURCE, 'w.Write(', 7));
    assert.equal(w?.kind, 'interface');
    assert.equal(w?.callee, 'Write');
    assert.equal(w?.type, 'io.Writer');
    const f = facts.callAt(file, at(SOURCE, 'f(1)', 1));
    assert.equal(f?.kind, 'func-value');
    assert.equal(f?.callee, 'f');
    assert.equal(facts.callAt(file, at(SOURCE, 'errors.New(', 10))?.callee, 'errors.New');
    assert.equal(facts.callAt(file, at(SOURCE, 'fmt.Sprint(', 10))?.callee, 'fmt.Sprint');
    const conv = facts.callAt(file, at(SOURCE, 'Code(4)', 4));
    assert.equal(conv?.kind, 'conversion');
    assert.equal(conv?.type, 'example.com/m.Code');
    assert.equal(facts.callAt(file, at(SOURCE, 'len(items)', 3))?.kind, 'builtin');
  });

  it('values: constants (untyped, typed, a converted constant), variables, single bytes, zero size, errors', () => {
    const args = 'fmt.Sprint(';
    const limit = facts.exprAt(file, at(SOURCE, 'Limit', 0, args));
    assert.equal(limit?.constant, true);
    // Passed as `any`, the untyped constant takes its default type: what is boxed is an int.
    assert.equal(limit?.type, 'int');
    const typed = facts.exprAt(file, at(SOURCE, 'Typed', 0, args));
    assert.equal(typed?.constant, true);
    assert.equal(typed?.type, 'example.com/m.Code');
    assert.equal(facts.exprAt(file, at(SOURCE, 'Code(4)', 4, args))?.constant, true);
    const n = facts.exprAt(file, at(SOURCE, 'n, b', 0, args));
    assert.equal(n?.constant, false);
    assert.equal(n?.variable, true);
    assert.equal(n?.singleByte, false);
    assert.equal(facts.exprAt(file, at(SOURCE, 'b, Flag', 0, args))?.singleByte, true);
    const flag = facts.exprAt(file, at(SOURCE, 'Flag(true)', 4, args));
    assert.equal(flag?.singleByte, true);
    assert.equal(flag?.constant, true);
    const empty = facts.exprAt(file, at(SOURCE, 'Empty{}', 5, args));
    assert.equal(empty?.zeroSize, true);
    assert.equal(empty?.implementsError, false);
    const myErr = facts.exprAt(file, at(SOURCE, '&MyErr{}', 0, args));
    assert.equal(myErr?.pointer, true);
    assert.equal(myErr?.implementsError, true);
    assert.equal(myErr?.zeroSize, false, 'a pointer is a word');
    assert.equal(facts.exprAt(file, at(SOURCE, 'w.Write', 0, 'buf.WriteString'))?.isInterface, true);
  });

  it('range loops: the ranged type and whether its length is known before the loop', () => {
    const kinds = facts.ranges(file).map((r) => [r.kind, r.type, r.lenKnown]);
    assert.deepEqual(kinds, [['slice', '[]int', true], ['map', 'map[string]int', true], ['chan', 'chan int', false], ['int', 'int', true]]);
    const first = facts.rangeAt(file, at(SOURCE, 'for _, x'));
    assert.equal(first && SOURCE.slice(first.start, first.end), 'items');
  });

  it('compiler positions (line, byte column) map to the offsets the rows are keyed by', () => {
    const lines = SOURCE.split('\n');
    const line = lines.findIndex((l) => l.includes('sink = p.Name')) + 1;
    const col = lines[line - 1].indexOf('.Name') + 1;
    assert.equal(facts.selectorAt(file, facts.offsetOf(file, line, col)!), 'method-value');
  });

  it('the same texts are answered from the cache; an unsaved text is checked and changes the answer', async () => {
    assert.equal(await typedFacts(dir), facts);
    // Config's Name becomes a method: cfg.Name is now a method value.
    const edited = SOURCE.replace('type Config struct{ Name string }', 'type Config struct{}\n\nfunc (Config) Name() string { return "" }');
    const changed = await typedFacts(dir, { overlay: new Map([[file, edited]]) });
    assert.notEqual(changed, facts);
    assert.deepEqual(changed.errors, []);
    assert.equal(changed.selectorAt(file, at(edited, 'cfg.Name', 3, 'sink = none')), 'method-value');
    assert.equal(fs.readFileSync(file, 'utf8'), SOURCE, 'nothing written into the user\'s tree');
  });

  it('an unsaved text that imports a new package is checked with that package\'s export data', async () => {
    const edited = SOURCE.replace('"io"\n', '"io"\n\t"strings"\n').replace('\tn := 1\n', '\tn := strings.Count("", "")\n');
    const changed = await typedFacts(dir, { overlay: new Map([[file, edited]]) });
    assert.deepEqual(changed.errors, []);
    assert.equal(changed.callAt(file, at(edited, 'strings.Count(', 13))?.callee, 'strings.Count');
  });

  it('a file that exists only in the editor is part of the package', async () => {
    const unsaved = path.join(dir, 'new.go');
    const text = 'package m\n\nfunc New(n int) func() int { return func() int { return n } }\n';
    const changed = await typedFacts(dir, { overlay: new Map([[unsaved, text]]) });
    assert.deepEqual(changed.errors, []);
    assert.deepEqual(changed.funcLitAt(unsaved, at(text, 'func() int { return n'))?.free, ['n']);
    assert.equal(fs.existsSync(unsaved), false);
  });

  it('a package with a type error still answers for the rest', async () => {
    const broken = tempModule({
      'b.go': 'package b\n\nvar x int = "s"\n\nfunc G(n int) func() int {\n\treturn func() int { return n }\n}\n',
    });
    const b = await typedFacts(broken);
    assert.equal(b.errors.length, 1);
    assert.match(b.errors[0], /cannot use "s"/);
    const text = fs.readFileSync(path.join(broken, 'b.go'), 'utf8');
    assert.deepEqual(b.funcLitAt(path.join(broken, 'b.go'), at(text, 'func() int { return n'))?.free, ['n']);
  });

  it('in-package test files only when asked', async () => {
    const t = tempModule({
      'a.go': 'package a\n\nfunc A() int { return 1 }\n',
      'a_test.go': 'package a\n\nimport "testing"\n\nfunc TestA(t *testing.T) {\n\tf := func() { t.Log(A()) }\n\tf()\n}\n',
    });
    const testFile = path.join(t, 'a_test.go');
    assert.equal((await typedFacts(t)).has(testFile), false);
    const withTests = await typedFacts(t, { tests: true });
    assert.deepEqual(withTests.errors, []);
    const text = fs.readFileSync(testFile, 'utf8');
    assert.deepEqual(withTests.funcLitAt(testFile, at(text, 'func() {'))?.free, ['t']);
    assert.equal(withTests.callAt(testFile, at(text, 't.Log(', 5))?.callee, '(*testing.common).Log');
  });

  it('a cancelled request ends in CancelledError and leaves no helper process behind', async () => {
    const c = new AbortController();
    c.abort();
    const other = tempModule({ 'c.go': 'package c\n' });
    await assert.rejects(typedFacts(other, { signal: c.signal }), CancelledError);
    const late = new AbortController();
    const pending = typedFacts(other, { signal: late.signal, overlay: new Map([[path.join(other, 'c.go'), 'package c\n\nvar V = 1\n']]) });
    late.abort();
    await assert.rejects(pending, CancelledError);
    closeTypeCheckers();
    assert.equal((typeChecker() as unknown as { child?: unknown }).child, undefined);
  });
});

describe('typed facts: the imports asked for beside the listing', () => {
  it('the standard-library paths every import declaration names, excluded files too; vendored ones under vendor/', () => {
    const texts = [
      'package p\n\nimport "fmt"\nimport str "strings"\n\nimport (\n\t"io"\n\t_ "embed"\n\tx "golang.org/x/net/idna"\n\t"github.com/acme/mod"\n)\n',
      '//go:build windows\n\npackage p\n\nimport "syscall"\n',
      'package p\n\nfunc f() { _ = "import \\"os\\"" }\n',
    ].map((t) => Buffer.from(t));
    assert.deepEqual(importsIn(texts).sort(), ['embed', 'fmt', 'io', 'strings', 'syscall', 'vendor/github.com/acme/mod', 'vendor/golang.org/x/net/idna']);
  });
});
