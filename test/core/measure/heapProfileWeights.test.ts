// The pprof reader: `go tool pprof -lines -top` rows to line costs, on hand-written rows and on a real
// profile of a real benchmark.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { costOf, formatBytes, loadHeapProfile, parseTop } from '../../../core/measure/heapProfile';
import { profiledModule } from '../../helpers/heapProfile';

describe('profile/heapProfile', function () {
  this.timeout(300_000);

  it('reads flat values per file:line, summing inlined rows of one line, and the total', () => {
    const top = [
      'File: prof.test',
      'Showing nodes accounting for 19253376B, 100% of 19253376B total',
      '      flat  flat%   sum%        cum   cum%',
      '  12800064B 66.48% 66.48%  12800064B 66.48%  example.com/prof.New /m/p.go:7 (inline)',
      '    6400000B 33.24% 99.72%    6400000B 33.24%  example.com/prof.Label /m/p.go:9',
      '      53312B  0.28%   100%      53312B  0.28%  example.com/prof.New /m/p.go:7',
      '         0     0%   100%  19253376B   100%  testing.(*B).launch /go/src/testing/benchmark.go:300',
    ].join('\n');
    const { values, total } = parseTop(top);
    assert.equal(total, 19253376);
    assert.equal(values.get('/m/p.go:7'), 12800064 + 53312);
    assert.equal(values.get('/m/p.go:9'), 6400000);
    assert.equal(values.get('/go/src/testing/benchmark.go:300'), 0);
    assert.equal(values.size, 3);
  });

  it('writes byte counts in binary units', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * (1 << 20)), '3.0 MiB');
    assert.equal(formatBytes(5 * (1 << 30)), '5.0 GiB');
  });

  it('loads a real profile: New allocates its 64-byte T once per operation, on its own line', async () => {
    const { dir, profile } = profiledModule();
    const p = await loadHeapProfile(profile);
    const file = path.join(dir, 'p.go');
    const newLine = costOf(p, { file, pos: { path: './p.go', line: 7 } });
    assert.ok(newLine, `no cost on p.go:7 in ${[...p.lines.keys()].filter((k) => k.includes('p.go')).join(', ')}`);
    // -benchtime=20000x with -memprofilerate=1: every allocation is sampled; 64 bytes each (plus the
    // benchmark's warm-up run of b.N=1).
    assert.ok(newLine.objects >= 20000 && newLine.objects <= 20001 + 10, `objects ${newLine.objects}`);
    assert.equal(newLine.bytes, newLine.objects * 64);
    assert.ok(p.totalBytes >= newLine.bytes);
    assert.equal(costOf(p, { file, pos: { path: './p.go', line: 5 } }), undefined);
  });

  it('fails with pprof’s own reason on a file that is no profile', async () => {
    await assert.rejects(loadHeapProfile(path.join(__filename)), /go tool pprof could not read/);
  });
});
