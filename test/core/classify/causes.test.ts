// The one table of causes: ids unique and known to the classifier's type, tiers as the tier rules put
// them (L1 visible in the variable's own code, L2 call context, L3 dynamic; none for what is no heap escape).
import * as assert from 'node:assert/strict';
import { cause, causeAnchor, CAUSES, TIER_NAMES, type CauseId } from '../../../core/classify/causes';

describe('classify/causes', () => {
  it('has each id once, each with a title, an explanation and advice', () => {
    const ids = CAUSES.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const c of CAUSES) assert.ok(c.title && c.explanation.length > 20 && c.advice, c.id);
  });

  it('puts each cause in its tier', () => {
    const tier = (id: CauseId) => cause(id).tier;
    for (const id of ['returned-address', 'returned-value', 'address-stored', 'closure-capture', 'too-large'] as const) assert.equal(tier(id), 'L1', id);
    for (const id of ['param-leak', 'call-argument', 'stored-in-heap', 'append', 'map-storage', 'channel-send'] as const) assert.equal(tier(id), 'L2', id);
    for (const id of ['interface-conversion', 'dynamic-call', 'goroutine', 'reflection', 'unsafe-pointer'] as const) assert.equal(tier(id), 'L3', id);
    // Not heap escapes: no tier, so no policy rule by tier and no squiggle by tier.
    for (const id of ['stack', 'inlining', 'devirtualized', 'compiler-note', 'unclassified', 'param-to-result'] as const) assert.equal(tier(id), null, id);
  });

  it('falls back to unclassified for an id it does not know, and anchors by id', () => {
    assert.equal(cause('no-such-cause').id, 'unclassified');
    assert.equal(cause('goroutine').id, 'goroutine');
    assert.equal(causeAnchor('map-storage'), 'cause-map-storage');
    assert.deepEqual(TIER_NAMES, { L1: 'L1 syntax', L2: 'L2 call context', L3: 'L3 dynamic' });
  });
});
