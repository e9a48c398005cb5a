// The counts of a summary: heap findings by tier and cause, allocating ones, suppressed, unclassified and
// information lines kept apart.
import * as assert from 'node:assert/strict';
import { summarize } from '../../../core/present/summary';
import { finding } from '../../helpers/finding';

describe('present/summary summarize', () => {
  it('counts each finding in exactly one bucket', () => {
    const s = summarize([
      finding({ cause: 'interface-conversion', tier: 'L3' }),
      finding({ cause: 'boxed-constant', tier: 'L3', allocates: false }),
      finding({ kind: 'moved-to-heap', cause: 'closure-capture', tier: 'L1' }),
      finding({ kind: 'leaking-param', cause: 'param-leak', tier: 'L2', allocates: false }),
      finding({ cause: 'interface-conversion', tier: 'L3', suppressed: 'measured' }),
      finding({ cause: 'unclassified', tier: null }),
      finding({ kind: 'leaking-param-result', cause: 'param-to-result', tier: null, allocates: false }),
      finding({ kind: 'does-not-escape', cause: 'stack', tier: null, allocates: false }),
      finding({ kind: 'can-inline', cause: 'inlining', tier: null, allocates: false }),
    ]);
    assert.deepEqual(s, {
      heap: 4, allocating: 2,
      byTier: { L1: 1, L2: 1, L3: 2 },
      byCause: { 'interface-conversion': 1, 'boxed-constant': 1, 'closure-capture': 1, 'param-leak': 1 },
      suppressed: 1, unclassified: 1, info: 3,
    });
  });

  it('is all zeros for no findings', () => {
    assert.deepEqual(summarize([]), { heap: 0, allocating: 0, byTier: { L1: 0, L2: 0, L3: 0 }, byCause: {}, suppressed: 0, unclassified: 0, info: 0 });
  });
});
