// The classifier on the real compiler's -m=2 records of small functions whose Go semantics are plain: the
// cause each rule gives, whether it allocates, and what the source facts change (goroutine or closure,
// constant or single-byte boxing, interface call or static call).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { callKind } from '../../../core/classify/callKind';
import { classify, primaryExplanation, type SourceFacts } from '../../../core/classify/classify';
import { parseOutput } from '../../../core/parse/parse';
import type { CompilerPos, RawRecord } from '../../../core/model';
import { tempModule } from '../../helpers/goEnv';

const SOURCE = `package c

import "fmt"

type T struct{ a [8]int }

var global *T
var gp *int

func Store() {
	t := &T{}
	global = t
}

func Print(n int) {
	fmt.Println(n)
}

func Go(x int) {
	go func() { println(x) }()
}

func Big() byte {
	b := make([]byte, 1<<20)
	return b[0]
}


func Send(ch chan *int) {
	x := 1
	ch <- &x
}

func Leak(p *int) {
	gp = p
}

func ToResult(p *int) *int {
	return p
}

func Cap() func() int {
	x := 0
	return func() int { x++; return x }
}

func Local() int {
	t := T{}
	return t.a[0]
}

type S interface{ M(*int) }

func Dyn(s S) {
	x := 2
	s.M(&x)
}

func Ret() *int {
	y := 3
	return &y
}
`;

/** Facts with every answer "no": a test overrides the one it is about. */
function facts(over: Partial<SourceFacts> = {}): SourceFacts {
  return {
    isConstant: () => false, inGoStatement: () => false, callTarget: () => 'unknown', isMethodValue: () => false,
    declaredTypeAt: () => undefined, ...over,
  };
}

describe('classify', function () {
  this.timeout(300_000);
  let records: RawRecord[];
  before(() => {
    const dir = tempModule({ 'c.go': SOURCE }, '1.24', 'example.com/c');
    const r = spawnSync('go', ['build', '-gcflags=-m=2', '-o', process.platform === 'win32' ? 'NUL' : '/dev/null', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    records = parseOutput(r.stderr).records;
  });
  const rec = (message: string, line: number): RawRecord => {
    const r = records.find((x) => x.message === message && x.pos.line === line);
    assert.ok(r, `no record "${message}" at line ${line}`);
    return r;
  };
  const line = (text: string) => SOURCE.split('\n').findIndex((l) => l.includes(text)) + 1;

  it('gives stack, inlining and note lines their own causes, none allocating', () => {
    const dne = records.find((r) => r.kind === 'does-not-escape')!;
    assert.deepEqual(classify(dne), { cause: 'stack', allocates: false });
    const inl = records.find((r) => r.kind === 'can-inline')!;
    assert.deepEqual(classify(inl), { cause: 'inlining', allocates: false });
  });

  it('a value assigned to a package variable is stored in the heap', () => {
    assert.deepEqual(classify(rec('&T{} escapes to heap', line('t := &T{}'))), { cause: 'stored-in-heap', allocates: true });
  });

  it('an int passed to fmt.Println is an interface conversion; constants and single-byte values are boxed constants (rule 5)', () => {
    const n = rec('n escapes to heap', line('fmt.Println(n)'));
    assert.deepEqual(classify(n), { cause: 'interface-conversion', allocates: true });
    assert.deepEqual(classify(n, facts({ declaredTypeAt: () => 'int' })), { cause: 'interface-conversion', allocates: true });
    assert.deepEqual(classify(n, facts({ declaredTypeAt: () => 'bool' })), { cause: 'boxed-constant', allocates: false });
    assert.deepEqual(classify(n, facts({ isConstant: () => true })), { cause: 'boxed-constant', allocates: false });
    assert.deepEqual(classify(n, facts({ isMethodValue: () => true })), { cause: 'method-value', allocates: true });
  });

  it('a func literal escaping is a goroutine when the source says it is started by go, else an escaping closure', () => {
    const lit = rec('func literal escapes to heap', line('go func()'));
    assert.equal(classify(lit).cause, 'escaping-closure');
    let asked: CompilerPos | undefined;
    assert.equal(classify(lit, facts({ inGoStatement: (p) => { asked = p; return true; } })).cause, 'goroutine');
    assert.deepEqual(asked, lit.pos);
    assert.equal(classify(rec('func literal escapes to heap', line('return func() int'))).cause, 'escaping-closure');
  });

  it('a megabyte make is too large for the stack', () => {
    assert.deepEqual(classify(rec('make([]byte, 1048576) escapes to heap', line('1<<20'))), { cause: 'too-large', allocates: true });
  });

  it('moved variables: sent on a channel, captured by a closure, returned by address', () => {
    assert.equal(classify(rec('moved to heap: x', line('x := 1'))).cause, 'channel-send');
    assert.equal(classify(rec('moved to heap: x', line('x := 0'))).cause, 'closure-capture');
    assert.equal(classify(rec('moved to heap: y', line('y := 3'))).cause, 'returned-address');
  });

  it('a pointer passed to a method of an interface: a call argument, a dynamic call once the receiver is known to be a variable', () => {
    const x = rec('moved to heap: x', line('x := 2'));
    assert.equal(classify(x).cause, 'call-argument');
    assert.equal(classify(x, facts({ isVariable: (_p, name) => name === 's' })).cause, 'dynamic-call');
    assert.equal(classify(x, facts({ isVariable: () => false })).cause, 'call-argument');
  });

  it('parameter summaries: the message gives the cause, the path gives via, nothing allocates', () => {
    assert.deepEqual(classify(rec('leaking param: p', line('func Leak'))), { cause: 'param-leak', allocates: false, via: 'stored-in-heap' });
    assert.deepEqual(classify(rec('leaking param: p to result ~r0 level=0', line('func ToResult'))), { cause: 'param-to-result', allocates: false });
    const s = rec('leaking param: s', line('func Dyn'));
    assert.deepEqual(classify(s), { cause: 'param-leak', allocates: false, via: 'call-argument' });
    assert.deepEqual(classify(s, facts({ isVariable: (_p, name) => name === 's' })), { cause: 'param-leak', allocates: false, via: 'dynamic-call' });
  });

  it('the primary explanation of a moved variable is its escape block', () => {
    const y = rec('moved to heap: y', line('y := 3'));
    assert.equal(primaryExplanation(y)?.kind, 'escape');
  });
});

describe('classify callKind', () => {
  const AT = { path: './c.go', line: 3, col: 2 };
  const step = (where: string) => ({ where, why: 'call parameter', at: AT });

  it('reads static calls from the printed callee', () => {
    assert.equal(callKind(step('(*T).M(t, &x)')), 'static');
    assert.equal(callKind(step('append(s, v)')), 'static');
    assert.equal(callKind(step('pkg.F[go.shape.int](x)')), 'unknown', 'a one-name receiver needs the source');
    assert.equal(callKind(step('go.shape.int.M(x)')), 'static');
  });

  it('reads reflection and calls through fields or results as such', () => {
    assert.equal(callKind(step('reflect.ValueOf(v)')), 'reflect');
    assert.equal(callKind(step('a.b.M(x)')), 'dynamic');
    assert.equal(callKind(step('f().M(x)')), 'dynamic');
    assert.equal(callKind(step('xs[i].M(x)')), 'dynamic');
  });

  it('asks the source whether a one-name receiver or callee is a variable, else its call target', () => {
    assert.equal(callKind(step('s.M(&x)'), facts({ isVariable: (_p, n) => n === 's' })), 'dynamic');
    assert.equal(callKind(step('fmt.Println(x)'), facts({ isVariable: () => false })), 'static');
    assert.equal(callKind(step('f(x)'), facts({ isVariable: (_p, n) => n === 'f' })), 'dynamic');
    assert.equal(callKind(step('f(x)'), facts({ callTarget: () => 'static' })), 'static');
    assert.equal(callKind(step('f(x)')), 'unknown');
    // Not a call at all: only the source can tell.
    assert.equal(callKind(step('x = y'), facts({ callTarget: () => 'dynamic' })), 'dynamic');
    assert.equal(callKind(step('x = y')), 'unknown');
  });
});
