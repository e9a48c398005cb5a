// Joining explanation blocks to their summary lines by position: blocks come first, summaries after, and
// the words of the two do not always agree.
import * as assert from 'node:assert/strict';
import type { RawExplanation, RawRecord } from '../../../core/model';
import { Places } from '../../../core/parse/places';

const pos = (line: number, col = 5) => ({ path: './a.go', line, col });
const block = (subject: string, kind: 'escape' | 'leak' = 'escape', dst = '{heap}'): RawExplanation =>
  ({ kind, subject, to: dst, flows: [{ dst, src: subject, steps: [{ where: `x = ${subject}`, why: 'assign', at: pos(3) }] }] });
const record = (kind: RawRecord['kind'], subject: string, line = 3): RawRecord =>
  ({ kind, pos: pos(line), message: `${subject} escapes to heap`, subject, explanations: [] });

describe('parse: places', () => {
  it('a summary takes the blocks with its words at its position, and only those', () => {
    const places = new Places();
    const p = places.at(pos(3));
    places.addBlock(p, block('&T{}'));
    places.addBlock(p, block('&U{}'));
    const r = record('escapes', '&T{}');
    places.addSummary(p, r);
    assert.deepEqual(r.explanations.map((e) => e.subject), ['&T{}']);
    assert.deepEqual(p.pending?.map((e) => e.subject), ['&U{}']);
    assert.equal(places.at(pos(3)), p, 'one place per position');
    assert.notEqual(places.at(pos(4)), p);
  });

  it('a repeated block is kept once; positions past the packed integer still have one place each', () => {
    const places = new Places();
    const p = places.at(pos(3));
    const r = record('escapes', '&T{}');
    places.addBlock(p, block('&T{}'));
    places.addSummary(p, r);
    places.addBlock(p, block('&T{}'));
    places.addSummary(p, r);
    assert.equal(r.explanations.length, 1);
    const far = { path: './a.go', line: 2 ** 21, col: 3000 };
    assert.equal(places.at(far), places.at({ ...far }));
  });

  it('an append summary takes the `append(...)` block left over at its position (Go 1.24+ words)', () => {
    const places = new Places();
    const p = places.at(pos(7));
    places.addBlock(p, block('append(s, i)'));
    const r = record('escapes', 'append', 7);
    places.addSummary(p, r);
    assert.equal(r.explanations.length, 0, 'the words differ: not joined yet');
    places.joinByPosition();
    assert.deepEqual(r.explanations.map((e) => e.subject), ['append(s, i)']);
  });

  it('the one unexplained summary at a position takes the escape blocks there (a folded constant)', () => {
    const places = new Places();
    const p = places.at(pos(9));
    places.addBlock(p, block('make([]T, n)'));
    const r = record('escapes', 'make([]T, 0)', 9);
    places.addSummary(p, r);
    places.joinByPosition();
    assert.deepEqual(r.explanations.map((e) => e.subject), ['make([]T, n)']);
  });
});
