// A heap profile's costs on findings: heap kinds only, by absolute path or by package dir and file name.
import * as assert from 'node:assert/strict';
import { weigh } from '../../../core/measure/weigh';
import type { HeapProfile } from '../../../core/measure/heapProfile';
import { finding } from '../../helpers/finding';

describe('profile/weigh', () => {
  const profile: HeapProfile = {
    totalBytes: 1000,
    lines: new Map([
      ['/m/p/a.go:3', { bytes: 250, objects: 5 }],
      ['/elsewhere/build/p/b.go:7', { bytes: 100, objects: 2 }],
      ['/m/p/a.go:9', { bytes: 0, objects: 0 }],
    ]),
  };

  it('gives heap findings their line cost and share of all bytes', () => {
    const f = finding({ file: '/m/p/a.go', pos: { path: './a.go', line: 3 } });
    // A profile from another machine (-trimpath, another checkout) matches by package dir and file name.
    const moved = finding({ file: '/home/me/p/b.go', pos: { path: './b.go', line: 7 } });
    weigh([f, moved], profile);
    assert.deepEqual(f.profile, { bytes: 250, objects: 5, share: 0.25 });
    assert.deepEqual(moved.profile, { bytes: 100, objects: 2, share: 0.1 });
  });

  it('leaves alone non-heap findings, lines the profile lacks, and lines that cost nothing', () => {
    const stack = finding({ kind: 'does-not-escape', file: '/m/p/a.go', pos: { path: './a.go', line: 3 } });
    const other = finding({ file: '/m/p/a.go', pos: { path: './a.go', line: 4 } });
    const free = finding({ file: '/m/p/a.go', pos: { path: './a.go', line: 9 } });
    const wrongDir = finding({ file: '/m/q/b.go', pos: { path: './b.go', line: 7 } });
    weigh([stack, other, free, wrongDir], profile);
    for (const f of [stack, other, free, wrongDir]) assert.equal(f.profile, undefined);
  });

  it('has a zero share when the profile has no total', () => {
    const f = finding({ file: '/m/p/a.go', pos: { path: './a.go', line: 3 } });
    weigh([f], { ...profile, totalBytes: 0 });
    assert.deepEqual(f.profile, { bytes: 250, objects: 5, share: 0 });
  });
});
