// `go tool pprof -raw` read sample by sample, on a real heap profile of a real benchmark.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadRawProfile, parseRawProfile } from '../../../core/measure/rawProfile';
import { profiledModule } from '../../helpers/heapProfile';

describe('measure/rawProfile', function () {
  this.timeout(300_000);

  it('gives the samples of New (one 64-byte T per operation) with their stacks down to the benchmark', async () => {
    const { dir, profile } = profiledModule();
    const samples = await loadRawProfile(profile);
    const file = path.join(dir, 'p.go');
    const atNew = samples.filter((s) => s.frames[0]?.fn === 'example.com/prof.New' && s.frames[0].file === file);
    assert.ok(atNew.length > 0, 'no sample in New');
    for (const s of atNew) {
      assert.equal(s.frames[0].line, 7);
      assert.equal(s.bytes, s.objects * 64);
      // New is inlined into the benchmark loop, which called it from p_test.go.
      assert.equal(s.frames[0].inlined, true);
      assert.equal(s.frames[1].fn, 'example.com/prof.BenchmarkNew');
      assert.equal(s.frames[1].file, path.join(dir, 'p_test.go'));
    }
    const objects = atNew.reduce((n, s) => n + s.objects, 0);
    assert.ok(objects >= 20000 && objects <= 20011, `objects ${objects}`);
  });

  it('refuses output without allocation samples, and a file pprof cannot read', async () => {
    assert.throws(() => parseRawProfile('PeriodType: cpu nanoseconds\nSamples:\nsamples/count cpu/nanoseconds\n'), /not a heap profile/);
    await assert.rejects(loadRawProfile(__filename), /go tool pprof could not read/);
  });
});
