// The locator: compiler (line, byte column) → the exact UTF-16 range of what the message names.
import * as assert from 'node:assert/strict';
import type { GoParser as Parser } from '../../../core/locate/goParser';
import { loadGoParser } from '../../../core/locate/goParser';
import { GoSource } from '../../../core/locate/goSource';
import { LineIndex } from '../../../core/locate/lineIndex';

/** The 1-based UTF-8 byte column of the first occurrence of `needle` on `line` (1-based). */
function byteCol(text: string, line: number, needle: string): number {
  const l = text.split('\n')[line - 1];
  const i = l.indexOf(needle);
  assert.ok(i >= 0, `${needle} not on line ${line}`);
  return Buffer.byteLength(l.slice(0, i), 'utf8') + 1;
}

describe('locate', () => {
  let parser: Parser;
  before(async () => { parser = await loadGoParser(); });

  const src = [
    'package p',                                                    // 1
    'type T struct{ A int }',                                       // 2
    'func (t *T) M() int { return t.A }',                           // 3
    'func f(n int, b []byte, a, c string) {',                       // 4
    '\t\t_ = &T{A: 1}',                                             // 5
    '\ts := "日本語"; _ = make([]byte, n)',                          // 6
    '\t_ = "😀"; _ = string(b)',                                     // 7
    '\tt := &T{}; _ = t.M; _ = a + c + a',                          // 8
    '\tgo func(x int) {',                                           // 9
    '\t}(1)',                                                       // 10
    '\t_ = []int{1, 2}',                                            // 11
    '\t_ = s',                                                      // 12
    '}',
  ].join('\n');

  const cases: [string, number, string, string][] = [
    // message subject, line, where the compiler points, expected range text
    ['&T{...}', 5, '&T{', '&T{A: 1}'],
    ['make([]byte, n)', 6, '(', 'make([]byte, n)'],
    ['string(b)', 7, 'b)', 'string(b)'],            // 1.21+: the operand
    ['t.M', 8, '.M', 't.M'],                        // method value: the dot
    ['a + c + a', 8, '+ c', 'a + c + a'],           // concatenation: one operator, the whole chain
    ['func literal', 9, 'func', 'func(x int)'],     // the signature, not the body
    ['[]int{...}', 11, '{1', '[]int{1, 2}'],         // composite literal: the brace
    ['s', 6, 's :=', 's'],
    ['n', 4, 'n int', 'n'],
  ];
  for (const [subject, line, point, want] of cases) {
    it(`"${subject}" at "${point}" spans "${want}"`, () => {
      const g = new GoSource('/x/p.go', src, parser);
      const col = subject === 'make([]byte, n)' ? byteCol(src, line, 'make(') + 4 : byteCol(src, line, point);
      const r = g.locate({ path: './p.go', line, col }, subject);
      assert.ok(r.exact);
      const l = src.split('\n')[line - 1];
      assert.equal(r.range.start.line, line - 1);
      assert.equal(l.slice(r.range.start.character, r.range.end.character), want);
      g.dispose();
    });
  }

  it('converts byte columns after tabs, CJK and emoji to UTF-16 characters', () => {
    const idx = new LineIndex(src);
    // Line 6: tab (1 byte), `s := "` (6), 日本語 (9 bytes, 3 units), `"; _ = ` (7) → make at byte 24, unit 17.
    const makeByte = byteCol(src, 6, 'make');
    assert.equal(makeByte, 1 + 6 + 9 + 7 + 1);
    assert.equal(idx.positionAt(idx.offsetAt(6, makeByte)).character, src.split('\n')[5].indexOf('make'));
    // Line 7: an emoji is 4 bytes and 2 UTF-16 units.
    const strByte = byteCol(src, 7, 'string');
    assert.equal(idx.positionAt(idx.offsetAt(7, strByte)).character, src.split('\n')[6].indexOf('string'));
  });

  it('falls back to the whole line when the compiler printed no column', () => {
    const g = new GoSource('/x/p.go', src, parser);
    const r = g.locate({ path: 'gen.tmpl', line: 5 }, '&T{...}');
    assert.equal(r.exact, false);
    assert.deepEqual(r.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 14 } });
  });

  it('says when what the message prints is not at the point (inlined code)', () => {
    const g = new GoSource('/x/p.go', src, parser);
    const r = g.locate({ path: './p.go', line: 12, col: byteCol(src, 12, 's') }, '&errors.errorString{...}');
    assert.equal(r.exact, false);
  });

  it('names the enclosing function, with receivers as the compiler writes them', () => {
    const g = new GoSource('/x/p.go', src, parser);
    assert.equal(g.enclosingFunction(src.indexOf('t.A')), '(*T).M');
    assert.equal(g.enclosingFunction(src.indexOf('[]int')), 'f');
    assert.equal(g.enclosingFunction(0), undefined);
  });
});
