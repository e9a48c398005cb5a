// CancelledError is what a cancelled sliced loop rejects with (core/util/steps.ts): callers tell it apart by class.
import * as assert from 'node:assert/strict';
import { CancelledError } from '../../../core/util/cancel';
import { runInSlices, TimeSlice } from '../../../core/util/steps';

describe('CancelledError', () => {
  it('is an Error with its own class and message', () => {
    const e = new CancelledError();
    assert.ok(e instanceof Error);
    assert.ok(e instanceof CancelledError);
    assert.equal(e.message, 'analysis cancelled');
  });

  it('is what a TimeSlice pause rejects with once the signal is aborted, and not before', async () => {
    const ac = new AbortController();
    const slice = new TimeSlice(0, ac.signal);
    await slice.pause();
    ac.abort();
    await assert.rejects(slice.pause(), CancelledError);
  });

  it('ends runInSlices on abort between steps, before the generator finishes', async () => {
    const ac = new AbortController();
    let ran = 0;
    function* steps(): Generator<void, number> {
      for (let i = 0; i < 1000; i++) { ran++; if (i === 3) ac.abort(); yield; }
      return ran;
    }
    await assert.rejects(runInSlices(steps(), 0, ac.signal), CancelledError);
    assert.ok(ran < 1000, `ran ${ran} steps`);
  });
});
