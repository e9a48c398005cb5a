// What a user meets on a first day (issue 27), through the language server over stdio against the real compiler.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StatusParams } from '../../server/protocol';
import { tempDir } from '../helpers/goEnv';
import { LspClient } from '../helpers/lspClient';

const COUNT = `package m

import "fmt"

func Count(n int) string { return fmt.Sprint(n) }
`;

describe('first day (stdio)', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('offers the verified strconv fix in a package that is the module root (go.mod beside the file)', async () => {
    c = await LspClient.start();
    const { file, uri } = await c.openInModule({ 'count.go': COUNT });
    const d = c.diagnostics.get(uri)!.find((x) => x.range.start.line === 4)!;
    assert.ok(d, 'a finding on the fmt.Sprint line');
    await c.waitFor(() => c!.status(file)?.fixes !== undefined, 'fix verification');
    const actions = await c.codeActions(file, d.range, [d]);
    assert.ok(actions.some((a) => a.title === 'Use strconv.Itoa(n) — removes 1 heap allocation'), actions.map((a) => a.title).join('; '));
  });

  it('publishes nothing for the standard library (GOROOT) or the module cache, and says why in the status', async () => {
    const modcache = tempDir();
    const cached = path.join(modcache, 'example.com', 'dep@v1.0.0', 'dep.go');
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.writeFileSync(cached, 'package dep\n\nfunc New() *int { x := 1; return &x }\n');
    fs.writeFileSync(path.join(modcache, 'example.com', 'dep@v1.0.0', 'go.mod'), 'module example.com/dep\n\ngo 1.24\n');
    c = await LspClient.start(() => ({ env: { GOMODCACHE: modcache } }));
    const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
    // compress/flate allocates: analysed, it would fill the Problems panel.
    for (const [file, why] of [[path.join(goroot, 'src', 'compress', 'flate', 'deflate.go'), /GOROOT/], [cached, /module cache/]] as const) {
      const uri = c.open(file);
      const s: StatusParams = await c.waitFor(() => c!.status(file), `status of ${file}`);
      assert.equal(s.state, 'excluded');
      assert.match(s.message ?? '', why);
      assert.equal(s.runs, 0, 'no go run');
      assert.deepEqual(c.diagnostics.get(uri), [], 'cleared, never drawn');
      c.close(file);
    }
  });

  it('saving .escapelens.json re-analyses the open packages it governs (no Go file saved)', async () => {
    c = await LspClient.start();
    const { dir, file, uri } = await c.openInModule({ 'count.go': COUNT });
    assert.deepEqual(c.diagnostics.get(uri)!.map((d) => d.severity), [3], 'information by default');
    const runs = c.status(file)!.runs;
    const policy = path.join(dir, '.escapelens.json');
    fs.writeFileSync(policy, JSON.stringify({ rules: [{ tier: 'L3', action: 'fail' }] }));
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(policy).href, type: 1 }] });
    await c.waitFor(() => c!.diagnostics.get(uri)?.[0]?.severity === 1, 'the policy applied');
    assert.ok(c.status(file)!.runs > runs, 'analysed again');
    fs.writeFileSync(policy, JSON.stringify({ rules: [{ tier: 'L3', action: 'warn' }] }));
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(policy).href, type: 2 }] });
    await c.waitFor(() => c!.diagnostics.get(uri)?.[0]?.severity === 2, 'the edited policy applied');
  });
});
