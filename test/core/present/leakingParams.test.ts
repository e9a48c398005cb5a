// A caller's finding explained by the callee's leaking parameter, when the package's own output says so.
import * as assert from 'node:assert/strict';
import { leakingParams } from '../../../core/present/leakingParams';
import { drain } from '../../../core/util/steps';
import { finding } from '../../helpers/finding';

const step = (where: string, why: string) => ({ edge: '', where, why, file: '/m/a.go', line: 3 });

describe('present: leaking parameters named in callers', () => {
  const param = finding({ kind: 'leaking-param', subject: 'v', function: 'put', file: '/m/cache.go', range: { start: { line: 11, character: 9 }, end: { line: 11, character: 10 } } });

  it('names the callee and its parameter, with the variable the value was assigned to', () => {
    const index = drain(leakingParams([param]));
    const caller = finding({ subject: '&T{}', flow: [step('b := &T{}', 'assign'), step('put(b)', 'call parameter')] });
    assert.equal(index.explain(caller), '`b` escapes because `put`\'s parameter `v` leaks (cache.go:12)');
  });

  it('says nothing when no call parameter step names a leaking function, or two functions share the name', () => {
    const index = drain(leakingParams([param]));
    assert.equal(index.explain(finding({ flow: [step('keep(b)', 'call parameter')] })), undefined);
    assert.equal(index.explain(finding({ flow: [step('x = b', 'assign')] })), undefined);
    const twin = { ...param, function: '(*T).put' };
    assert.equal(drain(leakingParams([param, twin])).explain(finding({ flow: [step('put(b)', 'call parameter')] })), undefined);
  });
});
