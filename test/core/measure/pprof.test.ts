// The one runner of `go tool pprof`, on a real heap profile of a real benchmark.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runPprof } from '../../../core/measure/pprof';
import { tempDir } from '../../helpers/goEnv';
import { profiledModule } from '../../helpers/heapProfile';

describe('measure: go tool pprof', function () {
  this.timeout(300_000);
  let profile: string;
  before(() => { profile = profiledModule().profile; });

  it('prints what pprof prints: the listing names the benchmark\'s allocating functions', async () => {
    const text = await runPprof('go', ['-sample_index=alloc_space', '-top', '-lines'], profile);
    assert.match(text, /prof\.New .*p\.go:\d+/);
    assert.match(text, /prof\.Label|fmt\.Sprint/);
  });

  it('fails with pprof\'s own last line for a file that is not a profile', async () => {
    const bad = path.join(tempDir(), 'bad.out');
    fs.writeFileSync(bad, 'not a profile');
    await assert.rejects(runPprof('go', ['-top'], bad), (e: Error) => e.message.startsWith(`go tool pprof could not read ${bad}: `) && !e.message.includes('\n'));
  });
});
