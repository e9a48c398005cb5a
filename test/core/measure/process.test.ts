// One measuring process: its output (stdout and stderr together), its exit code, a missing command.
import * as assert from 'node:assert/strict';
import { runProcess } from '../../../core/measure/process';
import { GoNotFoundError } from '../../../core/run/runGo';
import { tempDir } from '../../helpers/goEnv';

describe('measure/process runProcess', function () {
  this.timeout(120_000);

  it('returns the output and exit code of a real go command', async () => {
    const ok = await runProcess('go', ['env', 'GOOS'], { cwd: tempDir(), timeoutMs: 60_000 });
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.output.trim(), process.platform === 'win32' ? 'windows' : process.platform);
    const bad = await runProcess('go', ['no-such-subcommand'], { cwd: tempDir(), timeoutMs: 60_000 });
    assert.notEqual(bad.exitCode, 0);
    assert.match(bad.output, /no-such-subcommand/, 'stderr is in the output');
  });

  it('throws GoNotFoundError for a command that does not exist', async () => {
    await assert.rejects(runProcess('gel-no-such-command', [], { cwd: tempDir(), timeoutMs: 10_000 }), GoNotFoundError);
  });
});
