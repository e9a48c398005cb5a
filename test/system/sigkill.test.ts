// SIGKILL, the one way out a process cannot answer: an editor killing a stuck language server, the OOM
// killer. Its go builds run in process groups of their own, so without the reaper (core/gohelper/reaper.ts)
// they ran on until done (tens of seconds on a cold cache). The reaper ends them and removes the dead
// process's temp dirs (the -overlay copy of the user's unsaved source among them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempModule } from '../helpers/goEnv';
import { LspClient } from '../helpers/lspClient';
import { fakeGo, killMarked, leftAfter, marked, waitUntil, type FakeGo } from '../helpers/processTree';

const LIB = 'package m\n\ntype T struct{ N int }\n\nfunc New() *T { return &T{N: 1} }\n';

function ourTempDirs(pid: number): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`go-escape-lens-${pid}-`));
}

describe('hardening: a SIGKILL\'d language server leaves nothing running', function () {
  this.timeout(120_000);
  let go: FakeGo | undefined;
  afterEach(() => { if (go) killMarked(go.mark); go = undefined; });

  it('its go builds end and its temp dirs go (the reaper), mid-analysis of an unsaved buffer', async () => {
    // The real go for everything (the helper and the reaper are built with it), except builds of unsaved
    // buffers (-overlay), which hang with two children, as a long compile would.
    go = fakeGo('hang-overlay');
    const settings = { goCommand: go.command, run: 'onType', debounceMs: 50, quickFixes: false };
    const c = await LspClient.start(() => settings, {}, undefined, {}, { env: go.env });
    const dir = tempModule({ 'm.go': LIB });
    const file = path.join(dir, 'm.go');
    c.open(file);
    await c.settled(file);
    c.change(file, LIB + '\nfunc Unsaved() *int { x := 1; return &x }\n');
    const overlayArg = () => /-overlay=(\S+)/.exec(fs.existsSync(go!.argsFile) ? fs.readFileSync(go!.argsFile, 'utf8') : '')?.[1];
    await waitUntil('a run with -overlay', () => overlayArg() !== undefined);
    await waitUntil('the hanging build is up', () => fs.existsSync(go!.ready));
    const overlayDir = path.dirname(overlayArg()!);
    assert.ok(fs.existsSync(overlayDir));
    // The server, the reaper, the hanging go and its two children (one through a nested shell).
    await waitUntil('the whole tree is up', () => marked(go!.mark).length >= 6);
    const exited = new Promise<string | null>((resolve) => c.proc.on('exit', (_code, signal) => resolve(signal)));
    c.proc.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    c.conn.dispose();
    assert.deepEqual(await leftAfter(go.mark, 10_000), [], 'processes left after the server was killed');
    assert.equal(fs.existsSync(overlayDir), false, 'the overlay copy of the user\'s source is removed');
    assert.deepEqual(ourTempDirs(c.proc.pid!), []);
  });
});
