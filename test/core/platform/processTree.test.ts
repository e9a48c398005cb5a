// core/platform/processTree.ts on its own: the plan per system, and a kill that never throws.
import * as assert from 'node:assert/strict';
import { LINUX, WIN32 } from '../../../core/platform/platform';
import { killProcessTree, treeKillPlan, treeSpawnOptions, type KillDeps } from '../../../core/platform/processTree';

describe('platform/processTree', () => {
  it('signals the negative pid (the group) with SIGKILL on POSIX', () => {
    assert.deepEqual(treeKillPlan(123, LINUX), { kind: 'signal-group', pid: -123, signal: 'SIGKILL' });
  });

  it('hides windows and starts a group only where a group can be signalled', () => {
    assert.deepEqual(treeSpawnOptions(LINUX), { detached: true, windowsHide: true });
    assert.deepEqual(treeSpawnOptions(WIN32), { detached: false, windowsHide: true });
  });

  it('swallows a failing taskkill as it swallows a gone process', () => {
    const deps: KillDeps = { run: () => { throw new Error('spawnSync taskkill ENOENT'); }, signal: () => assert.fail('no signal on Windows') };
    assert.doesNotThrow(() => killProcessTree(5, WIN32, deps));
  });
});
