// The contract rules' one list: ids unique and named as reports name them; anchors; the rule id of a violation.
import * as assert from 'node:assert/strict';
import { contractAnchor, contractRuleId, CONTRACT_RULES } from '../../../core/contracts/rules';

describe('contracts/rules', () => {
  it('lists each rule once with a title, an explanation and help', () => {
    const ids = CONTRACT_RULES.map((r) => r.id);
    assert.deepEqual(ids, ['contract-noheap', 'gcassert-noescape', 'gcassert-inline', 'gcassert-bce', 'contract-directive']);
    for (const r of CONTRACT_RULES) assert.ok(r.title && r.explanation && r.help, r.id);
  });

  it('reports noheap violations as contract-noheap and every other rule under its own id', () => {
    assert.equal(contractRuleId('noheap'), 'contract-noheap');
    assert.equal(contractRuleId('gcassert-bce'), 'gcassert-bce');
    assert.equal(contractAnchor('gcassert-inline'), 'rule-gcassert-inline');
  });
});
