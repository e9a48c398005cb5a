// Issue 9: an analysis that runs longer than a second reports work-done progress (package, phase) that
// the user can cancel; a short one shows none. The go command here is a wrapper that waits first, as a
// cold build cache or a big package does.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient';
import { tempDir, tempModule } from '../helpers/goEnv';

type ProgressMsg = { token: string | number; value: { kind: string; title?: string; message?: string; cancellable?: boolean } };

/** A go command that sleeps `seconds` before each build (`go list -export`, which compiles; other go commands run at once). */
function slowGo(seconds: number): string {
  const dir = tempDir('gel-slowgo-');
  const go = execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
  const script = path.join(dir, 'go');
  fs.writeFileSync(script, `#!/bin/sh\ncase " $* " in *" -export "*) sleep ${seconds};; esac\nexec "${go}" "$@"\n`);
  fs.chmodSync(script, 0o755);
  return script;
}

describe('analysis progress', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  async function start(goCommand: string): Promise<ProgressMsg[]> {
    c = await LspClient.start(() => ({ goCommand }), {}, undefined, { window: { workDoneProgress: true } });
    const progress: ProgressMsg[] = [];
    c.conn.onNotification('$/progress', (p: ProgressMsg) => progress.push(p));
    return progress;
  }

  it('reports the package and phase of an analysis that runs longer than a second, then ends', async () => {
    const progress = await start(slowGo(2));
    const dir = tempModule({ 'a.go': 'package a\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n' });
    const file = path.join(dir, 'a.go');
    c!.open(file);
    const begin = await c!.waitFor(() => progress.find((p) => p.value.kind === 'begin'), 'progress begin', 30_000);
    assert.equal(begin.value.title, `Escape analysis of ${path.basename(dir)}`);
    assert.equal(begin.value.cancellable, true);
    await c!.settled(file);
    await c!.waitFor(() => progress.find((p) => p.value.kind === 'end' && p.token === begin.token), 'progress end');
    const messages = progress.filter((p) => p.token === begin.token).map((p) => p.value.message).filter(Boolean);
    assert.ok(messages.includes('compiling'), messages.join(', '));
    assert.ok((c!.diagnostics.get(pathToFileURL(file).href) ?? []).some((d) => /moved to heap: v/.test(d.message)), 'the analysis published');
  });

  it('cancelling the progress cancels the analysis', async () => {
    const progress = await start(slowGo(5));
    const dir = tempModule({ 'a.go': 'package a\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n' });
    const file = path.join(dir, 'a.go');
    c!.open(file);
    const begin = await c!.waitFor(() => progress.find((p) => p.value.kind === 'begin'), 'progress begin', 30_000);
    const t0 = Date.now();
    void c!.conn.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
    await c!.waitFor(() => progress.find((p) => p.value.kind === 'end' && p.token === begin.token), 'progress end', 10_000);
    assert.ok(Date.now() - t0 < 3000, `ended ${Date.now() - t0} ms after the cancel, before the 5 s go command would have`);
  });
});
