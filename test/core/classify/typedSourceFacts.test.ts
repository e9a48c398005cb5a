// The classifier's questions answered by go/types where the package type-checked: the compiler's own
// escape output on real Go code, classified once with the syntax facts and once with the typed ones.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { classify, callKind, type SourceFacts } from '../../../core/classify/classify';
import { callTarget, isConstant, isMethodValue } from '../../../core/classify/sourceFacts';
import { typedSourceFacts } from '../../../core/classify/typedSourceFacts';
import { loadGoParser } from '../../../core/locate/goParser';
import { GoSource } from '../../../core/locate/goSource';
import type { RawRecord } from '../../../core/model';
import { parseOutput } from '../../../core/parse/parse';
import { clearTypedFacts } from '../../../core/typed/packageTypes';
import { closeTypeCheckers } from '../../../core/typed/typeChecker';
import { checkedModule, type CheckedModule } from '../../helpers/typed';

const SOURCE = `package m

import (
	"fmt"
	"io"
)

type Config struct{ Name string }

type Person struct{}

func (Person) Name() string { return "" }

type Flag bool

const Limit = 10

var sink any

func Field(cfg *Config) { sink = cfg.Name }

func Method(p Person) { sink = p.Name }

func NoCapture() func() int { return func() int { return Limit } }

func Capture(n int) func() int { return func() int { return n } }

func Byte(f Flag) { sink = f }

func Print(x int) { fmt.Println(x, Limit, Flag(true), struct{}{}) }

type Buf struct{ b []byte }

func (b *Buf) Write(p []byte) (int, error) { b.b = append(b.b, p...); return len(p), nil }

func Through(w io.Writer, b *Buf, p []byte) {
	w.Write(p)
	b.Write(p)
}
`;

describe('typed source facts for the classifier', function () {
  this.timeout(300_000);
  let m: CheckedModule;
  let records: RawRecord[];
  let syntax: SourceFacts;
  let facts: SourceFacts;

  before(async () => {
    m = await checkedModule({ 'm.go': SOURCE }, 'm.go');
    const { dir, file } = m;
    records = parseOutput(buildOutput(dir)).records;
    const src = new GoSource(file, fs.readFileSync(file, 'utf8'), await loadGoParser());
    GoSource.loadAllSync([src]);
    // The syntax answers as the analysis gives them (core/analysis/analyze.ts factsContext), for one file.
    syntax = {
      isConstant: (_pos, subject) => isConstant(src, subject),
      inGoStatement: () => false,
      callTarget: (pos) => callTarget(src, src.offsetOf(pos)),
      isMethodValue: (pos, subject) => isMethodValue(src, src.offsetOf(pos), subject),
      declaredTypeAt: () => undefined,
    };
    facts = typedSourceFacts(m.facts, syntax, (printed) => path.resolve(dir, printed));
  });
  after(() => { clearTypedFacts(); closeTypeCheckers(); });

  const escape = (subject: string, line: string): RawRecord => {
    const n = SOURCE.split('\n').findIndex((l) => l.startsWith(line)) + 1;
    const r = records.find((x) => x.kind === 'escapes' && x.subject === subject && x.pos.line === n);
    assert.ok(r, `no "${subject} escapes to heap" on the line of ${line}`);
    return r;
  };

  it('without typed facts the syntax answers', () => {
    assert.equal(typedSourceFacts(undefined, syntax, () => m.file), syntax);
  });

  it('a field is no method value although another type has a method of that name (the syntax guessed it was)', () => {
    const rec = escape('cfg.Name', 'func Field');
    assert.equal(classify(rec, syntax).cause, 'method-value');
    assert.equal(classify(rec, facts).cause, 'interface-conversion');
    assert.equal(classify(escape('p.Name', 'func Method'), facts).cause, 'method-value');
  });

  it('constants the compiler prints by value, conversions of constants, zero-size literals', () => {
    const print = 'func Print';
    assert.deepEqual(classify(escape('10', print), facts), { cause: 'boxed-constant', allocates: false });
    assert.deepEqual(classify(escape('Flag(true)', print), facts), { cause: 'boxed-constant', allocates: false });
    assert.equal(facts.isConstant(escape('x', print).pos, 'x'), false);
    assert.equal(facts.isZeroSizeLiteral!(escape('struct {}{}', print).pos, 'struct {}{}'), true);
    assert.equal(facts.isSingleByte!(escape('f', 'func Byte').pos, 'f'), true);
    assert.equal(facts.isSingleByte!(escape('x', print).pos, 'x'), false);
  });

  it('func literals: what they capture; one that captures nothing allocates nothing', () => {
    const none = escape('func literal', 'func NoCapture');
    const some = escape('func literal', 'func Capture');
    assert.equal(facts.capturesNothing!(none.pos), true);
    assert.deepEqual(facts.freeVariables!(some.pos), ['n']);
    assert.deepEqual(classify(none, syntax), { cause: 'escaping-closure', allocates: true });
    assert.deepEqual(classify(none, facts), { cause: 'escaping-closure', allocates: false });
    assert.deepEqual(classify(some, facts), { cause: 'escaping-closure', allocates: true });
  });

  it('boxing a value of a type defined from bool allocates nothing; an int does', () => {
    const f = escape('f', 'func Byte');
    assert.deepEqual(classify(f, syntax), { cause: 'interface-conversion', allocates: true });
    assert.deepEqual(classify(f, facts), { cause: 'interface-conversion', allocates: false });
    assert.deepEqual(classify(escape('x', 'func Print'), facts), { cause: 'interface-conversion', allocates: true });
  });

  it('calls: an interface method call is dynamic, a method of a concrete type static', () => {
    const lines = SOURCE.split('\n');
    const pos = (text: string): { path: string; line: number; col: number } => {
      const i = lines.findIndex((l) => l.includes(text));
      return { path: './m.go', line: i + 1, col: Buffer.byteLength(lines[i].slice(0, lines[i].indexOf(text) + text.indexOf('('))) + 1 };
    };
    assert.equal(facts.callTarget(pos('w.Write(p)')), 'dynamic');
    assert.equal(facts.callTarget(pos('b.Write(p)')), 'static');
    assert.equal(callKind({ where: 'w.Write(p)', why: 'call parameter', at: pos('w.Write(p)') }, facts), 'dynamic');
    assert.equal(callKind({ where: 'fmt.Println(x)', why: 'call parameter', at: pos('fmt.Println(') }, facts), 'static');
  });
});

/** The compiler's -m=2 output for the package (stderr of the build). */
function buildOutput(dir: string): string {
  const r = spawnSync('go', ['build', '-gcflags=-m=2', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}
