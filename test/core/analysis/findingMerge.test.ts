// Finishing an analysis (core/analysis/findingMerge.ts): two findings of one allocation become one with
// the strongest cause, a generic function's echo at its name goes, and the order is one order.
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../core/model';
import { compareFindings, dropGenericEchoes, mergeDuplicates } from '../../../core/analysis/findingMerge';
import { drain } from '../../../core/util/steps';

function finding(over: Partial<Finding>): Finding {
  return {
    file: '/m/a.go', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } }, exact: true, kind: 'escapes',
    message: 'x escapes to heap', subject: 'x', cause: 'append', tier: null, allocates: true, flow: [], otherPaths: 0,
    pos: { path: './a.go', line: 3, col: 5 }, ...over,
  };
}

describe('finishing an analysis: merges and order', () => {
  it('keeps the strongest cause of one allocation and counts the other paths', () => {
    const step = { edge: 'a ← b', where: 'x', why: 'assign', file: '/m/a.go', line: 3, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } } };
    const weak = finding({ cause: 'append', flow: [step], otherPaths: 2 });
    const strong = finding({ cause: 'goroutine', flow: [step] });
    const elsewhere = finding({ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 3 } } });
    const merged = drain(mergeDuplicates([weak, strong, elsewhere]));
    assert.equal(merged.length, 2);
    assert.equal(merged[0].cause, 'goroutine');
    assert.equal(merged[0].otherPaths, 3, 'one for the other finding, two it carried');
    assert.equal(merged[1], elsewhere);
  });

  it('a finding with a flow wins over one without, whatever their causes', () => {
    const withFlow = finding({ cause: 'append', flow: [{ edge: 'e', where: 'w', why: 'y', file: '/m/a.go', line: 3, range: finding({}).range }] });
    const without = finding({ cause: 'goroutine' });
    assert.equal(drain(mergeDuplicates([without, withFlow]))[0], withFlow);
  });

  it('sorts by file, start, message, then end', () => {
    const a = finding({ file: '/m/b.go' });
    const b = finding({ message: 'b' });
    const c = finding({ message: 'a' });
    const d = finding({ message: 'a', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } } });
    assert.deepEqual([a, b, c, d].sort(compareFindings), [d, c, b, a]);
  });

  it('leaves findings without a function alone (no echo to drop)', () => {
    const fs = [finding({}), finding({ message: 'y escapes to heap' })];
    assert.deepEqual(drain(dropGenericEchoes(fs, () => undefined)), fs);
  });
});
