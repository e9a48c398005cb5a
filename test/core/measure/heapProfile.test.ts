// The heap profile read through the one pprof runner: a real benchmark's profile, its costs on the lines
// that allocate, weighed onto findings; an unreadable file says so.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { costOf, formatBytes, loadHeapProfile } from '../../../core/measure/heapProfile';
import { weigh } from '../../../core/measure/weigh';
import { loadProfile } from '../../../core/measure/profileProto';
import type { Finding } from '../../../core/model';
import { profiledModule } from '../../helpers/heapProfile';

describe('measure: heap profile', () => {
  it('gives each allocating line its bytes and objects, and weighs heap findings by them', async () => {
    const { dir, profile } = profiledModule();
    const p = await loadHeapProfile(profile);
    const file = path.join(dir, 'p.go');
    // `func New() *T { return &T{} }` (line 7) runs 20000 times, 64 bytes each.
    const cost = costOf(p, { file, pos: { path: './p.go', line: 7, col: 24 } });
    assert.ok(cost && cost.objects >= 20000 && cost.bytes >= 20000 * 64, JSON.stringify(cost));
    assert.ok(p.totalBytes >= cost.bytes);
    const heap = { kind: 'escapes', file, pos: { path: './p.go', line: 7, col: 24 } } as unknown as Finding;
    const stack = { kind: 'does-not-escape', file, pos: { path: './p.go', line: 7, col: 24 } } as unknown as Finding;
    weigh([heap, stack], p);
    assert.equal(heap.profile?.bytes, cost.bytes);
    assert.ok(heap.profile!.share > 0 && heap.profile!.share <= 1);
    assert.equal(stack.profile, undefined);
  });

  it('decodes the same profile itself, sample by sample, to the totals pprof lists', async () => {
    const { dir, profile } = profiledModule();
    const [listed, samples] = await Promise.all([loadHeapProfile(profile), loadProfile(profile)]);
    assert.equal(samples.reduce((n, s) => n + s.bytes, 0), listed.totalBytes);
    // Every stack's frames, inlined ones marked: New (line 7) inlined into the benchmark.
    const file = path.join(dir, 'p.go');
    const fromNew = samples.filter((s) => s.frames.some((f) => f.file === file && f.line === 7));
    assert.ok(fromNew.length > 0 && fromNew.every((s) => s.frames.find((f) => f.line === 7 && f.file === file)!.inlined));
    assert.equal(fromNew.reduce((n, s) => n + s.bytes, 0), listed.lines.get(`${file}:7`)?.bytes);
  });

  it('says which file go tool pprof could not read', async () => {
    await assert.rejects(loadHeapProfile('/no/such.prof'), /go tool pprof could not read \/no\/such\.prof/);
  });

  it('writes bytes in binary units', () => {
    assert.deepEqual([512, 2048, 3 * 2 ** 20, 5 * 2 ** 30].map(formatBytes), ['512 B', '2.0 KiB', '3.0 MiB', '5.0 GiB']);
  });
});
