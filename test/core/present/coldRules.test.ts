// The cold and conditional rules (core/present/coldCode.ts, codeShape.ts) on real compiler output: each
// rule places the finding it is written for, and leaves the per-operation allocation beside it a squiggle.
import * as assert from 'node:assert/strict';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { sourceContext } from '../../../core/present/codeContext';
import { codeShape } from '../../../core/present/codeShape';
import { isLogCall } from '../../../core/present/coldCode';
import { escapesTree, type EscapesNode } from '../../../core/present/escapesTree';
import { hoverMarkdown, measuredLabel } from '../../../core/present/hoverText';
import { present, type Item } from '../../../core/present/present';
import { DEFAULT_PRESENT } from '../../../core/present/rules';
import { tempModule } from '../../helpers/goEnv';

const CODE = `package m

import (
	"errors"
	"sync"
)

var sink any

type T struct{ buf []byte; cache map[string]int }

type ParseFault struct{ Line int }

func (p *ParseFault) Error() string { return "fault" }

// Hot: per call, worth a squiggle.
func Hot(n int) []int { return make([]int, n) }

func Grow(x []byte, s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
	}
	return out
}

func (t *T) Reuse(s string) { t.buf = append(t.buf[:0], s...) }

func AppendTo(dst []byte, s string) []byte { return append(dst, s...) }

func Sized(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, x+"!")
	}
	return out
}

func NewT() *T { return &T{buf: make([]byte, 0, 64)} }

func Check(s string) error {
	if len(s) == 0 {
		return &ParseFault{Line: 1}
	}
	err := errors.New("x")
	if err != nil {
		sink = []string{s, "failed"}
	}
	return nil
}

var pool = sync.Pool{New: func() any { return new([64]byte) }}

var once sync.Once

func (t *T) Lazy() {
	once.Do(func() { sink = make([]int, 10) })
	if t.cache == nil {
		t.cache = make(map[string]int)
	}
}

func Table() []func(int) int {
	return []func(int) int{func(i int) int { return i + 1 }}
}

func Name(l int) []byte {
	switch l {
	case 1:
		return []byte("one")
	case 2:
		return []byte("two")
	default:
		return []byte("many")
	}
}

func RegisterAll(s string) { sink = []string{s} }
`;

const BENCH = `package m

import "testing"

func BenchmarkHot(b *testing.B) {
	setup := make([]int, b.N+1)
	sink = setup
	for i := 0; i < b.N; i++ {
		sink = make([]int, i+1)
	}
}

func BenchmarkLoop(b *testing.B) {
	data := make([]byte, b.N+1)
	sink = data
	for b.Loop() {
		sink = make([]byte, len(data))
	}
}
`;

describe('cold and conditional presentation rules', function () {
  let items: Item[];
  let sourcesOf: SourceCache;
  let moduleDir: string;
  const at = (line: string, file = 'm.go') => items.filter((i) => i.finding.file.endsWith(`/${file}`) && i.allocates && i.range.start.line + 1 === lineOf(file === 'm.go' ? CODE : BENCH, line));
  before(async () => {
    const sources = new SourceCache(await loadGoParser());
    const dir = tempModule({ 'm.go': CODE, 'm_test.go': BENCH });
    sourcesOf = sources;
    moduleDir = dir;
    const r = await analyzePackage({ dir, sources, mode: 'test' });
    assert.deepEqual(r.errors, []);
    items = present(r.findings, DEFAULT_PRESENT, sourceContext((p) => sources.peek(p) ?? sources.get(p))).items;
  });
  const decided = (line: string, file?: string) => {
    const found = at(line, file);
    assert.ok(found.length > 0, `an allocating item at ${line}`);
    return found.map((i) => `${i.display}:${i.rules[i.rules.length - 1]}`);
  };

  it('a per-call allocation and an append that grows in a loop stay squiggles', () => {
    assert.deepEqual(decided('func Hot'), ['squiggle:allocation']);
    assert.ok(decided('out = append(out, s[i])').includes('squiggle:allocation'));
  });
  it('appends onto a reused, a caller-supplied or a preallocated slice are hints', () => {
    assert.deepEqual(decided('func (t *T) Reuse'), ['hint:conditional-append']);
    assert.deepEqual(decided('func AppendTo'), ['hint:conditional-append']);
    assert.ok(decided('out = append(out, x+"!")').includes('hint:conditional-append'));
    assert.ok(decided('out = append(out, x+"!")').includes('squiggle:allocation'), 'x+"!" still allocates per element');
  });
  it('constructors, error values and error branches, pool New, Once and nil-initialisation are hints', () => {
    assert.deepEqual([...new Set(decided('func NewT'))], ['hint:constructor']);
    assert.deepEqual(decided('return &ParseFault{Line: 1}'), ['hint:cold-error']);
    assert.deepEqual(decided('sink = []string{s, "failed"}'), ['hint:cold-error']);
    assert.deepEqual(decided('var pool'), ['hint:cold-init']);
    assert.deepEqual(decided('once.Do'), ['hint:cold-lazy']);
    assert.deepEqual(decided('t.cache = make'), ['hint:cold-lazy']);
    assert.deepEqual(decided('func RegisterAll'), ['hint:cold-setup']);
  });
  it('a func literal that captures nothing is a hint; the cases of one switch are one item', () => {
    // The typed facts say it allocates nothing (no-allocation); without them the syntax does (captures-nothing).
    const lit = items.filter((i) => i.finding.file.endsWith('/m.go') && i.finding.subject === 'func literal' && i.range.start.line + 1 === lineOf(CODE, 'return []func(int) int{func'));
    assert.equal(lit.length, 1);
    assert.ok(lit[0].rules.includes('no-allocation') || lit[0].rules.includes('captures-nothing'), lit[0].rules.join());
    assert.notEqual(lit[0].display, 'squiggle');
    const sw = at('return []byte("one")');
    assert.equal(sw.length, 1);
    assert.equal(sw[0].members.length, 3);
    assert.ok(sw[0].rules.includes('grouped-switch'));
    assert.match(sw[0].message, /and 2 more in other cases of this switch/);
  });
  it('benchmark setup outside the timed loop is a hint; the loop body stays a squiggle', () => {
    assert.deepEqual(decided('setup := make', 'm_test.go'), ['hint:cold-test']);
    assert.deepEqual(decided('sink = make([]int, i+1)', 'm_test.go'), ['squiggle:allocation']);
    assert.deepEqual(decided('data := make', 'm_test.go'), ['hint:cold-test']);
    assert.deepEqual(decided('sink = make([]byte, len(data))', 'm_test.go'), ['squiggle:allocation']);
  });
  it('the code\'s shape: the calls a logger makes, an error branch, a pool\'s New, a switch case, the append kinds', () => {
    assert.ok(isLogCall('logger.Infof') && isLogCall('slog.Info') && isLogCall('t.Logf'));
    assert.ok(!isLogCall('fmt.Printf') && !isLogCall('strings.Join') && !isLogCall('Info'));
    const src = sourcesOf.get(`${moduleDir}/m.go`)!;
    const at = (text: string) => { const o = src.text.indexOf(text); return codeShape(src, o, o + text.length); };
    assert.equal(at('[]string{s, "failed"}').errBranch, true);
    assert.equal(at('make(map[string]int)').lazyInit, true);
    assert.equal(at('new([64]byte)').poolOrOnce, true);
    assert.equal(at('[]byte("two")').switchAt, src.text.indexOf('switch l'));
    assert.equal(at('append(t.buf[:0], s...)').append, 'reuse');
    assert.equal(at('append(dst, s...)').append, 'caller-buffer');
    assert.equal(at('append(out, x+"!")').append, 'preallocated');
    assert.equal(at('append(out, s[i])').append, undefined);
    assert.equal(at('func(i int) int { return i + 1 }').capturesNothing, true);
    assert.equal(at('make([]int, n)').declName, 'Hot');
  });

  it('a benchmark measurement draws its finding as a warning whatever the cold rules say', async () => {
    const sources = new SourceCache(await loadGoParser());
    const dir = tempModule({ 'm.go': CODE });
    const r = await analyzePackage({ dir, sources });
    const f = r.findings.find((x) => x.function === 'NewT' && x.allocates)!;
    f.measured = [{ benchmark: 'BenchmarkNewT', bytesPerOp: 96, allocsPerOp: 2 }];
    const ctx = sourceContext((p) => sources.peek(p) ?? sources.get(p));
    const p = present(r.findings, DEFAULT_PRESENT, ctx);
    const i = p.items.find((x) => x.members.includes(f))!;
    assert.equal(i.display, 'squiggle');
    assert.equal(i.severity, 'warning');
    assert.deepEqual(i.rules, ['measured']);
    // The hover opens with the cost; the inline hint shows it; the Escapes view lists it first.
    assert.match(hoverMarkdown(i, { ctx, docUrl: (id) => `#${id}`, shownAsDiagnostic: true }), /^\*\*Measured: 96 B\/op, 2 allocs\/op in BenchmarkNewT\*\*/);
    assert.equal(measuredLabel(i), '96 B/op · 2 allocs/op');
    const tree = escapesTree([{ name: 'm', dir, items: p.items }], 'location', { show: 'all' });
    const first = (n: EscapesNode): EscapesNode => (n.children && n.kind !== 'item' ? first(n.children[0]) : n);
    assert.equal(first(tree.roots[0]).label, i.message);
  });
});

/** 1-based line of the first line of the code that starts with `text` (after indentation). */
function lineOf(code: string, text: string): number {
  const i = code.split('\n').findIndex((l, n, all) => all.slice(n).map((x) => x.trim()).join('\n').startsWith(text));
  assert.ok(i >= 0, `no line ${text}`);
  return i + 1;
}
