// Contracts and the policy in the editor, through the language server over stdio (real compiler):
// severities agree with the CLI's policy actions, broken contracts are errors with their directive.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Diagnostic } from 'vscode-languageserver';
import { LspClient } from '../helpers/lspClient';
import * as fs from 'node:fs';
import { REPO, tempDir } from '../helpers/goEnv';

const SEVERITY: Record<string, number> = { fail: 1, warn: 2, log: 3 };

function cliActions(pkg: string): { line: number; policy: string }[] {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), '--json', pkg], { cwd: REPO, encoding: 'utf8' });
  return JSON.parse(r.stdout).findings.map((f: { range: { start: { line: number } }; policy: string }) => ({ line: f.range.start.line, policy: f.policy }));
}

describe('contracts and policy in the editor (LSP)', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('takes severities from the project policy, the same actions the CLI exits on', async () => {
    const client = c = await LspClient.start();
    const severities = new Map<string, number[]>();
    for (const pkg of ['logonly', 'handler', 'dynamic']) {
      const dir = path.join(REPO, 'fixtures/policy', pkg);
      const file = path.join(dir, `${pkg}.go`);
      const uri = client.open(file);
      await client.settled(file);
      const diags: Diagnostic[] = client.diagnostics.get(uri)!;
      severities.set(pkg, diags.map((d) => d.severity!).sort());
      const expected = cliActions(dir);
      assert.ok(expected.length > 0);
      assert.deepEqual(diags.map((d) => [d.range.start.line, d.severity]).sort(), expected.map((e) => [e.line, SEVERITY[e.policy]]).sort(), pkg);
    }
    assert.deepEqual(severities.get('handler'), [1, 2], 'warn in Prepare, escalated to error in ServeHTTP');
    assert.deepEqual(severities.get('logonly'), [3], 'L1 logged: information');
    assert.deepEqual(severities.get('dynamic'), [1], 'L3 fails: error');
  });

  it('a tier setting changed from its default overrides the policy (personal override)', async () => {
    c = await LspClient.start(() => ({ severity: { L2: 'hint' } }));
    const file = path.join(REPO, 'fixtures/policy/handler/handler.go');
    const uri = c.open(file);
    await c.settled(file);
    assert.deepEqual(c.diagnostics.get(uri)!.map((d) => d.severity), [4, 4]);
  });

  it('a broken contract is an error at the violating site, related to its directive, explained on hover', async () => {
    c = await LspClient.start();
    const file = path.join(REPO, 'fixtures/contracts/noheap/noheap.go');
    const uri = c.open(file);
    await c.settled(file);
    const diags = c.diagnostics.get(uri)!;
    const broken = diags.filter((d) => d.code === 'contract-noheap');
    // Four by the functions' own allocations, and Allowed by what fmt.Sprint's compiled code allocates.
    assert.equal(broken.length, 5);
    const direct = broken.find((d) => d.range.start.line === 16)!;
    assert.equal(direct.severity, 1);
    assert.deepEqual(direct.range, { start: { line: 16, character: 8 }, end: { line: 16, character: 26 } });
    assert.match(direct.message, /^Contract broken \(\/\/escape:noheap\): Direct must not allocate, but &Point\{\.\.\.\} escapes to heap/);
    assert.equal(direct.relatedInformation![0].message, 'contract: //escape:noheap');
    assert.deepEqual(direct.relatedInformation![0].location.range, { start: { line: 14, character: 0 }, end: { line: 14, character: 15 } });
    assert.ok(direct.relatedInformation!.length >= 2, 'the path that broke it follows the directive');
    assert.match(direct.codeDescription!.href, /docs\/contracts\.md#rule-contract-noheap$/);
    // The finding itself is still there, under its cause.
    assert.ok(diags.some((d) => d.range.start.line === 16 && d.code !== 'contract-noheap'));
    const warnings = diags.filter((d) => d.code === 'contract-directive');
    assert.deepEqual(warnings.map((d) => [d.range.start.line, d.severity]), [[59, 2], [62, 2], [67, 2]]);

    const hover = await c.hover(file, 16, 12);
    const md = (hover!.contents as { value: string }).value;
    assert.match(md, /^\*\*Contract broken\*\* · allocation contract broken \(\/\/escape:noheap\)\n\n`\/\/escape:noheap` \(\[noheap\.go:15\]\(file:\/\/.*noheap\.go#L15\)\) promises: `Direct` must not allocate\./);
    assert.match(md, /Broken by `&Point\{\.\.\.\} escapes to heap` \(L2 call context\), explained below\./);
    // Then the finding's own hover (issue 8: its "what" line is the diagnostic's message, not repeated).
    assert.match(md, /\n\n---\n\n[\s\S]*\*\*What helps:\*\*[\s\S]*`&Point\{\.\.\.\} escapes to heap` in `Direct`/, 'then the finding\'s own hover');
    // Issue 27: the allocation is explained once (the contract's message leaves the cause to the finding's),
    // with one "What helps" that ends with what the contract allows.
    const causeTitle = / — (.+) \(L2 call context\)$/.exec(diags.find((d) => d.range.start.line === 16 && d.code !== 'contract-noheap')!.message)![1];
    assert.ok(!direct.message.includes(causeTitle), direct.message);
    assert.equal(md.split(causeTitle).length - 1, 0, 'the cause title is in the finding\'s message, not again in the hover');
    assert.equal(md.split('The value is assigned into a field').length - 1, 1, 'one explanation');
    assert.equal(md.split('**What helps:**').length - 1, 1, 'one What helps');
    assert.match(md, /\*\*What helps:\*\*[^\n]*\n\n_For the contract:_ Remove the allocation/);
    // A clean noheap function has no contract diagnostic.
    assert.ok(!broken.some((d) => d.range.start.line >= 31 && d.range.start.line <= 35));
  });

  it('offers "Allow <cause> in this contract" on a broken contract; applied and saved, the contract holds', async () => {
    c = await LspClient.start();
    const dir = tempDir();
    fs.cpSync(path.join(REPO, 'fixtures/contracts'), dir, { recursive: true });
    const file = path.join(dir, 'noheap/noheap.go');
    const uri = c.open(file);
    await c.settled(file);
    const direct = c.diagnostics.get(uri)!.find((d) => d.code === 'contract-noheap' && d.range.start.line === 16)!;
    const actions = await c.codeActions(file, direct.range, [direct]);
    const allow = actions.find((a) => /^Allow \S+ in this \/\/escape:noheap contract$/.test(a.title))!;
    assert.ok(allow, actions.map((a) => a.title).join(' | '));
    const [edit] = allow.edit!.changes![uri];
    const cause = /^Allow (\S+) /.exec(allow.title)![1];
    assert.deepEqual(edit, { range: { start: { line: 14, character: 0 }, end: { line: 14, character: 15 } }, newText: `//escape:noheap allow=${cause}` });
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[14] = edit.newText;
    c.save(file, lines.join('\n'));
    await c.waitFor(() => !c!.diagnostics.get(uri)!.some((d) => d.code === 'contract-noheap' && d.range.start.line === 16), 'the Direct contract holds');
    assert.equal(c.diagnostics.get(uri)!.filter((d) => d.code === 'contract-noheap').length, 4, 'the other contracts are still broken');
  });
});
