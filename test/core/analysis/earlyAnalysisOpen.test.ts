// EarlyAnalysis.open on its own (core/analysis/earlyAnalysis.ts): the builds it applies to, and a take()
// that keeps nothing when nothing came early. The end-to-end behaviour (a
// real compile teed through the helper) is in earlyAnalysis.test.ts.
import * as assert from 'node:assert/strict';
import { EarlyAnalysis, type EarlyWork } from '../../../core/analysis/earlyAnalysis';
import type { AnalyzePackageOptions } from '../../../core/analysis/analyzePackage';
import { SourceCache } from '../../../core/locate/sourceCache';
import { goEnvOnce } from '../../../core/run/goEnv';
import { tempModule } from '../../helpers/goEnv';

describe('analysis/earlyAnalysis EarlyAnalysis.open', function () {
  this.timeout(300_000);
  if (process.platform === 'win32') return;
  let dir: string;
  let sources: SourceCache;
  const work: EarlyWork = {
    named: () => ({ onPath: () => undefined }) as unknown as ReturnType<EarlyWork['named']>,
    analyse: () => assert.fail('nothing is analysed in these tests'),
  };
  const files = (size: number) => new Map([['/m/a.go', 'x'.repeat(size)]]);
  const opts = (over: Partial<AnalyzePackageOptions> = {}): AnalyzePackageOptions => ({ dir, sources, ...over });

  before(async () => {
    dir = tempModule({ 'a.go': 'package m\n' });
    sources = new SourceCache();
    // The helper is the tee: built here as the parser's first use builds it.
    assert.ok(await sources.helperReady(), 'the parser helper builds');
    // GOFLAGS is asked once in the background; open() waits for nobody and declines until it is known.
    await goEnvOnce(opts(), 'GOFLAGS', false).answer;
  });

  it('opens for a one-package build of a mid-sized package, with the helper as -toolexec', async () => {
    const e = await EarlyAnalysis.open(opts(), files(100_000), [], work);
    assert.ok(e, 'an early analysis for a plain build');
    try {
      assert.match(e.toolexec, /-tee /);
      assert.ok(e.toolexec.includes(sources.helperBinary()!), e.toolexec);
      assert.equal(e.outcome, undefined);
    } finally {
      e.close();
    }
  });

  it('declines small and the biggest packages, tests, overlays, package lists, extra flags and the user’s -toolexec (a -buildmode is no reason: nothing links)', async () => {
    const declined: [string, Promise<EarlyAnalysis | undefined>][] = [
      ['small', EarlyAnalysis.open(opts(), files(1_000), [], work)],
      ['biggest', EarlyAnalysis.open(opts(), files(2_000_000), [], work)],
      ['test', EarlyAnalysis.open(opts({ mode: 'test' }), files(100_000), [], work)],
      ['overlay', EarlyAnalysis.open(opts({ overlay: new Map([['/m/a.go', 'package m']]) }), files(100_000), [], work)],
      ['packages', EarlyAnalysis.open(opts({ packages: ['./...'] }), files(100_000), [], work)],
      ['extra flags', EarlyAnalysis.open(opts(), files(100_000), ['-d=ssa/check_bce/debug=1'], work)],
      ['toolexec', EarlyAnalysis.open(opts({ buildFlags: ['-toolexec=/usr/bin/time'] }), files(100_000), [], work)],
    ];
    for (const [why, p] of declined) assert.equal(await p, undefined, why);
  });

  it('takes nothing when nothing came early', async () => {
    const e = (await EarlyAnalysis.open(opts(), files(100_000), [], work))!;
    try {
      assert.equal(await e.take({ output: '', exitCode: 0, args: [], durationMs: 1 }), undefined);
      assert.equal(e.outcome, undefined);
    } finally {
      e.close();
    }
  });
});
