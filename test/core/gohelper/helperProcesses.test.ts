// What the long-lived helpers share: one owner per toolchain, closed together; a helper process whose end
// is reported once, with what it wrote to stderr.
import * as assert from 'node:assert/strict';
import { perToolchain, startHelper, stopHelper } from '../../../core/gohelper/helperProcesses';

describe('helper processes', () => {
  it('one owner per go command and environment, all closed by closeAll', () => {
    const closed: string[] = [];
    const owners = perToolchain(`test-owners-${process.pid}`, (t) => ({ id: JSON.stringify(t), close: () => closed.push(JSON.stringify(t)) }));
    const a = owners.get();
    assert.equal(owners.get({ goCommand: 'go' }), a, 'no go command is the go on the PATH');
    const b = owners.get({ goCommand: 'go', env: { GOARCH: 'arm64' } });
    assert.notEqual(b, a);
    owners.closeAll();
    assert.deepEqual(closed.sort(), [a.id, b.id].sort());
    assert.notEqual(owners.get(), a, 'a closed owner is made again');
  });

  it('reports an exit with the tail of stderr, and a stopped helper as ended', async () => {
    const exited = await new Promise<{ how: { error?: Error; exit?: string }; stderr: string }>((resolve) => {
      startHelper(process.execPath, ['-e', 'process.stderr.write("bad request"); process.exit(3)'], (how, stderr) => resolve({ how, stderr }));
    });
    assert.deepEqual(exited, { how: { exit: '3' }, stderr: 'bad request' });
    const stopped = await new Promise<string | undefined>((resolve) => {
      const child = startHelper(process.execPath, ['-e', 'process.stdin.resume()'], (how) => resolve(how.exit));
      stopHelper(child);
    });
    assert.ok(stopped === 'SIGTERM' || stopped === '0', String(stopped));
  });
});
