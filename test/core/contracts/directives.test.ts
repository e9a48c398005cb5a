// Contract directives and what each applies to: a function by its doc comment, a statement (all its
// lines) from above or at its end, a variable by its declaration; gcassert's attachment; the problems
// reported for directives that name nothing, are misplaced or have unknown arguments.
import * as assert from 'node:assert/strict';
import { isHeapCause } from '../../../core/contracts/check';
import { fileDirectives, mentionsDirective, offsetOf, pos, statementEnd } from '../../../core/contracts/directives';
import { tokenize } from '../../../core/contracts/goTokens';

const TEXT = [
  'package m',                                                   // 0
  '',                                                            // 1
  '//escape:noheap',                                             // 2
  'var global []int',                                            // 3
  '',                                                            // 4
  '// Hot is the hot path.',                                     // 5
  '//escape:noheap allow=interface-conversion,bogus note words', // 6
  'func Hot(xs []int) int {',                                    // 7
  '\t//escape:noheap',                                           // 8
  '\ttotal := sum(',                                             // 9
  '\t\txs,',                                                     // 10
  '\t)',                                                         // 11
  '\tbuf := make([]byte, 8) //escape:noheap',                    // 12
  '\t_ = buf',                                                   // 13
  '\t//escape:noheap',                                           // 14
  '',                                                            // 15
  '\treturn total //gcassert:noescape,bce,wat',                  // 16
  '}',                                                           // 17
  '',                                                            // 18
  '//gcassert:inline',                                           // 19
  'func sum(xs []int) (n int) { for _, x := range xs { n += x }; return } //escape:noheap depth=1', // 20
  '',
].join('\n');

describe('contracts/directives fileDirectives', () => {
  const { directives, problems } = fileDirectives('/m/a.go', TEXT, isHeapCause);
  const at = (line: number) => directives.filter((d) => d.range.start.line === line);

  it('puts a doc-comment noheap on the whole function, with its allowed causes', () => {
    const [d] = at(6);
    assert.equal(d.scope, 'function');
    assert.equal(d.target, 'Hot');
    assert.deepEqual(d.lines, { first: 7, last: 17 });
    assert.deepEqual(d.allow, ['interface-conversion']);
    assert.equal(TEXT.slice(d.span!.start, d.span!.end).split('\n').length, 11);
  });

  it('puts a noheap above a statement on all its lines, and one at a declaration’s end on the variable', () => {
    assert.deepEqual(at(8).map((d) => [d.scope, d.lines, d.target]), [['variable', { first: 9, last: 11 }, 'total']]);
    assert.deepEqual(at(12).map((d) => [d.scope, d.lines, d.target]), [['variable', { first: 12, last: 12 }, 'buf']]);
  });

  it('puts a noheap at the end of a func line on that function', () => {
    assert.deepEqual(at(20).filter((d) => d.rule === 'noheap').map((d) => [d.scope, d.target]), [['function', 'sum']]);
  });

  it('attaches gcassert as go/ast does: each known name on the line, inline on a function to its call sites', () => {
    assert.deepEqual(at(16).map((d) => [d.rule, d.scope, d.lines.first]), [['gcassert-noescape', 'line', 16], ['gcassert-bce', 'line', 16]]);
    assert.deepEqual(at(19).map((d) => [d.rule, d.scope, d.target]), [['gcassert-inline', 'callsites', 'sum']]);
  });

  it('reports directives that name nothing, are misplaced, or carry unknown words', () => {
    const byLine = problems.map((p) => [p.range.start.line, p.message] as const).sort((a, b) => a[0] - b[0]);
    assert.deepEqual(byLine, [
      [2, '//escape:noheap is misplaced: package-level declarations never live on the stack; use it on a function, a statement or a local variable'],
      [6, '//escape:noheap: unknown cause "bogus" in allow= (see the cause table)'],
      [14, "//escape:noheap names nothing: put it in a function's doc comment, above a statement or at the end of its line"],
      [16, 'gcassert: unknown directive "wat"'],
      [20, '//escape:noheap: unknown argument "depth" (allow=<cause ids>, dynamic=fail|warn|ignore, panics=include|exclude)'],
    ]);
    const bogus = problems.find((p) => p.message.includes('bogus'))!;
    assert.equal(TEXT.split('\n')[6].slice(bogus.range.start.character, bogus.range.end.character), 'bogus');
  });

  it('knows cheaply whether a text mentions any directive', () => {
    assert.ok(mentionsDirective(TEXT));
    assert.ok(mentionsDirective('x // gcassert:bce'));
    assert.ok(!mentionsDirective('package m\n// escape analysis\n'));
  });
});

describe('contracts/directives positions', () => {
  const g = tokenize('package m\n\nvar x = f(\n\t1,\n)\nvar y = 2\n');
  it('extends a statement over the lines its brackets span', () => {
    assert.equal(statementEnd(g, 2), 4);
    assert.equal(statementEnd(g, 5), 5);
  });
  it('converts offsets and line/character positions both ways', () => {
    assert.deepEqual(pos(g, 0), { line: 0, character: 0 });
    assert.deepEqual(pos(g, g.text.indexOf('1')), { line: 3, character: 1 });
    assert.equal(offsetOf(g, { line: 3, character: 1 }), g.text.indexOf('1'));
    assert.equal(offsetOf(g, { line: 99, character: 0 }), g.text.length);
  });
});
