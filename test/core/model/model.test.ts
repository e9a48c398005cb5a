// The model's few values: which kinds are heap findings, parameter summaries, allocations; deep-walk limits.
import * as assert from 'node:assert/strict';
import { HEAP_KINDS, isHeapAllocation, isParamSummary, type FindingKind } from '../../../core/model';
import { DEFAULT_LIMITS } from '../../../core/model/deep';

describe('model', () => {
  it('has the heap kinds: escapes, moves and the parameter summaries', () => {
    assert.deepEqual([...HEAP_KINDS].sort(), ['escapes', 'leaking-param', 'leaking-param-content', 'leaking-param-result', 'moved-to-heap', 'uintptr']);
  });

  it('tells parameter summaries from allocations', () => {
    for (const kind of ['leaking-param', 'leaking-param-content', 'leaking-param-result', 'uintptr'] as FindingKind[]) {
      assert.ok(isParamSummary({ kind }), kind);
      assert.ok(!isHeapAllocation({ kind, allocates: true }), kind);
    }
    assert.ok(isHeapAllocation({ kind: 'escapes', allocates: true }));
    assert.ok(isHeapAllocation({ kind: 'moved-to-heap', allocates: true }));
    assert.ok(!isHeapAllocation({ kind: 'escapes', allocates: false }), 'a boxed constant');
    assert.ok(!isParamSummary({ kind: 'escapes' }));
    assert.ok(!isHeapAllocation({ kind: 'does-not-escape', allocates: true }));
  });

  it('limits a deep walk as documented: 12 calls, 60 s, 20 implementations', () => {
    assert.deepEqual(DEFAULT_LIMITS, { maxCalls: 12, timeMs: 60_000, maxImplementations: 20 });
  });
});
