// What the compiler names at the `for` of a range-over-func loop: the loop variable, or the one body
// expression that reads as the subject; nothing when that is ambiguous or the loop is not a range loop.
import * as assert from 'node:assert/strict';
import { GoSource } from '../../../core/locate/goSource';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { rangeLoopTarget } from '../../../core/locate/rangeFunc';
import type { SyntaxNode } from '../../../core/locate/syntaxTree';

const TEXT = `package m

import "iter"

func Seq() iter.Seq[int] { return func(yield func(int) bool) {} }

var sink []*int

func One() (out []int) {
	for v := range Seq() {
		out = append(out, v)
		sink = append(sink, &v)
	}
	return
}

func Two() (out []int) {
	for v := range Seq() {
		out = append(out, v)
		out = append(out, v)
	}
	return
}

func Plain() {
	for i := 0; i < 3; i++ {
		sink = append(sink, &i)
	}
}
`;

describe('locate/rangeFunc rangeLoopTarget', function () {
  this.timeout(60_000);
  let parser: GoParser;
  let src: GoSource;
  before(async () => { parser = await loadGoParser(); src = new GoSource('/m/a.go', TEXT, parser); });
  const forIn = (fn: string): SyntaxNode => {
    const at = TEXT.indexOf('for ', TEXT.indexOf(`func ${fn}(`));
    const leaf = src.nodeAt(at);
    assert.ok(leaf, `no node at the for of ${fn}`);
    return leaf;
  };
  const byText = (n: SyntaxNode, key: string) => n.text === key;

  it('names the loop variable of the header for an identifier subject', () => {
    const t = rangeLoopTarget(forIn('One'), 'v', ['v'], byText);
    assert.equal(t?.text, 'v');
    assert.equal(t?.startIndex, TEXT.indexOf('v := range', TEXT.indexOf('func One(')));
  });

  it('names the one body expression that reads as a key, the longest key first', () => {
    const t = rangeLoopTarget(forIn('One'), '&v', ['&v'], byText);
    assert.equal(t?.text, '&v');
    assert.equal(t?.startIndex, TEXT.indexOf('&v'));
    // The subject is not found for the first key; the second finds one append of sink.
    const s = rangeLoopTarget(forIn('One'), 'append(sink, &v)', ['append(sink, &v)', 'append'], byText);
    assert.equal(s?.text, 'append(sink, &v)');
  });

  it('gives nothing when the body holds the expression twice', () => {
    assert.equal(rangeLoopTarget(forIn('Two'), 'append(out, v)', ['append(out, v)'], byText), undefined);
  });

  it('gives nothing at a three-clause loop or at a point that is not the for keyword', () => {
    assert.equal(rangeLoopTarget(forIn('Plain'), 'i', ['i'], byText), undefined);
    const body = src.nodeAt(TEXT.indexOf('out = append', TEXT.indexOf('func One(')))!;
    assert.equal(rangeLoopTarget(body, 'v', ['v'], byText), undefined);
  });
});
