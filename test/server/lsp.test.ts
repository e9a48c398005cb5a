// The language server over stdio, driven by a real JSON-RPC client against the real compiler.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';
import { profiledModule } from '../helpers/heapProfile';

const ORDER = `package m

type Order struct{ ID int }

func NewOrder(id int) *Order {
	return &Order{ID: id}
}
`;

describe('language server (stdio)', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('publishes exact ranges, messages, codes and flows on open, and explains them on hover', async () => {
    c = await LspClient.start();
    const file = path.join(REPO, 'fixtures/sample/returned/returned.go');
    const uri = c.open(file);
    await c.settled(file);
    const diags = c.diagnostics.get(uri)!;
    const d = diags.find((x) => x.code === 'returned-value' && x.range.start.line === 10)!;
    assert.deepEqual(d.range, { start: { line: 10, character: 8 }, end: { line: 10, character: 22 } });
    assert.equal(d.message, '&Order{...} escapes to heap — allocation is returned (L1 syntax)');
    assert.equal(d.source, 'Go Escape Lens');
    assert.equal(d.severity, 3);
    assert.match(d.codeDescription!.href, /docs\/causes\.md#cause-returned-value$/);
    assert.equal((d.data as { tier: string }).tier, 'L1');
    assert.equal((d.data as { message: string }).message, '&Order{...} escapes to heap');
    // The path is in the hover, once: not repeated as related information.
    assert.equal(d.relatedInformation, undefined);
    assert.equal(d.tags, undefined);
    const moved = diags.find((x) => x.code === 'returned-address')!;
    assert.deepEqual(moved.range, { start: { line: 15, character: 1 }, end: { line: 15, character: 2 } });

    const hover = await c.hover(file, 10, 12);
    const md = (hover!.contents as { value: string }).value;
    // The diagnostic's message says what it is; the hover goes on from there: why, path, what helps.
    assert.match(md, /^This allocation is returned to the caller/);
    assert.doesNotMatch(md, /escapes to heap — /);
    // The compiler's `spill` of the literal itself is left out: the path starts at the return.
    assert.match(md, /\*\*Path\*\*\n\n1\. \[returned\.go:11\]\(file:\/\/.*returned\.go#L11,2\) `return &Order\{\.\.\.\}` — returned/);
    assert.match(md, /\*\*What helps:\*\*/);
    assert.equal(await c.hover(file, 2, 0), null);
    assert.equal(c.status(file)!.heap[uri], diags.length);
  });

  it('ten saves within a second end in one consistent result, one go process at a time', async () => {
    c = await LspClient.start();
    const { dir, file, uri } = await c.openInModule({ 'm.go': ORDER });
    for (let i = 0; i < 10; i++) {
      c.save(file, ORDER + `\nfunc F${i}() *int { v${i} := ${i}; return &v${i} }\n`);
      await new Promise((r) => setTimeout(r, 90));
    }
    const final = await c.waitFor(() => {
      const d = c!.diagnostics.get(uri);
      return d?.some((x) => x.message.startsWith('moved to heap: v9')) ? d : undefined;
    }, 'the last save analysed');
    await c.settled(file);
    assert.deepEqual(final.map((d) => d.message.split(' — ')[0]).sort(), ['&Order{...} escapes to heap', 'moved to heap: v9']);
    assert.ok(c.statuses.filter((s) => s.dir === dir).every((s) => s.running <= 1), 'never two go processes for one package');
    const runs = c.status(file)!.runs;
    assert.ok(runs <= 11, `${runs} runs for 11 requests`);
  });

  it('one compiler run per save for a package with several open files, published to each', async () => {
    c = await LspClient.start();
    const dir = tempModule({ 'a.go': ORDER, 'b.go': 'package m\n\nfunc B() *int { b := 1; return &b }\n' });
    const a = path.join(dir, 'a.go');
    const b = path.join(dir, 'b.go');
    const ua = c.open(a);
    const ub = c.open(b);
    await c.settled(a);
    const runs = c.status(a)!.runs;
    assert.ok(runs <= 2, `opening two files ran ${runs} analyses`);
    c.save(b, 'package m\n\nfunc B() *int { b2 := 1; return &b2 }\n');
    await c.waitFor(() => c!.diagnostics.get(ub)?.some((d) => d.message.startsWith('moved to heap: b2')), 'b re-analysed');
    await c.settled(a);
    assert.equal(c.status(a)!.runs, runs + 1, 'one run for the save');
    assert.deepEqual(c.diagnostics.get(ua)!.map((d) => d.message.split(' — ')[0]), ['&Order{...} escapes to heap']);
    assert.deepEqual(c.status(a)!.uris.sort(), [ua, ub].sort());
  });

  it('onSave: a buffer edited since its last save gets no squiggles at moved places', async () => {
    c = await LspClient.start();
    const B = 'package m\n\nfunc B() *int { b := 1; return &b }\n';
    const dir = tempModule({ 'a.go': ORDER, 'b.go': B });
    const a = path.join(dir, 'a.go');
    const b = path.join(dir, 'b.go');
    c.open(a);
    const ub = c.open(b);
    await c.settled(b);
    assert.equal(c.diagnostics.get(ub)![0].range.start.line, 2);
    // Unsaved edit in b.go shifts its code down a line; then a.go is saved and the package re-analysed.
    c.change(b, 'package m\n\n// new line\nfunc B() *int { b := 1; return &b }\n');
    const n = c.publishCount.get(ub)!;
    c.save(a, ORDER + '\n');
    await c.waitFor(() => c!.publishCount.get(ub)! > n, 'republish of b.go');
    assert.deepEqual(c.diagnostics.get(ub), [], 'the disk version\'s range would now point at the comment');
  });

  it('a compile error keeps the last good squiggles whose text is in place, marked stale; the next good build replaces them', async () => {
    c = await LspClient.start();
    const { file, uri } = await c.openInModule({ 'm.go': ORDER + '\nfunc G() *int { g := 1; return &g }\n' });
    assert.equal(c.diagnostics.get(uri)!.length, 2);
    // Half-typed: G's body edited (its finding's text is gone), a broken line added; NewOrder untouched.
    c.save(file, ORDER + '\nfunc G() *int { h := 1; return &h }\nfunc Broken() int { return nope }\n');
    const failed = await c.waitFor(() => c!.status(file)?.state === 'failed' && c!.status(file), 'build failure');
    assert.equal(failed.message, 'build failed: m.go:10:28: undefined: nope');
    assert.equal(failed.stale, true);
    assert.deepEqual(c.diagnostics.get(uri)!.map((d) => d.message.split(' — ')[0]), ['&Order{...} escapes to heap']);
    // Told apart at a glance (issue 27): one severity lower (information squiggles become hint dots), and said.
    assert.deepEqual(c.diagnostics.get(uri)!.map((d) => [d.severity, d.message.endsWith(' · stale: last good build')]), [[4, true]]);
    const md = (await c.hover(file, 5, 12))!.contents as { value: string };
    assert.match(md.value, /From the last successful build/);
    c.save(file, ORDER);
    await c.waitFor(() => c!.status(file)?.state === 'done', 'recovery');
    assert.equal(c.diagnostics.get(uri)!.length, 1);
    assert.deepEqual(c.diagnostics.get(uri)!.map((d) => [d.severity, /stale/.test(d.message)]), [[3, false]]);
    assert.equal(c.status(file)!.stale, false);
    assert.doesNotMatch(((await c.hover(file, 5, 12))!.contents as { value: string }).value, /last successful build/);
  });

  it('a missing go command gives one clear message naming the setting, and no retry loop', async () => {
    c = await LspClient.start(() => ({ goCommand: '/nonexistent/go' }));
    const dir = tempModule({ 'm.go': ORDER });
    const file = path.join(dir, 'm.go');
    c.open(file);
    await c.waitFor(() => c!.errors.length > 0, 'error message');
    assert.match(c.errors[0], /\/nonexistent\/go" was not found.*goEscapeLens\.goCommand/);
    assert.equal(c.status(file)!.state, 'failed');
    c.save(file, ORDER + '\n');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.errors.length, 1, 'not repeated on every save');
    assert.equal(c.status(file)!.runs, 1, 'not run again until the settings change');
    // Fixing the setting brings analysis back.
    c.settingsFor = () => ({});
    c.configChanged();
    await c.waitFor(() => c!.status(file)?.state === 'done', 'analysis after the fix');
  });

  it('a settings change re-analyses with the new settings (non-escaping hints on, severity)', async () => {
    let settings: Record<string, unknown> = {};
    c = await LspClient.start(() => settings);
    const dir = tempModule({ 'm.go': ORDER + '\nfunc G() int { p := new(int); return *p }\n' });
    const file = path.join(dir, 'm.go');
    const uri = c.open(file);
    await c.settled(file);
    assert.equal(c.diagnostics.get(uri)!.length, 1);
    settings = { showNonEscaping: true, severity: { L1: 'warning' } };
    c.configChanged();
    await c.waitFor(() => (c!.diagnostics.get(uri)?.length ?? 0) > 1, 'hints after the change');
    const diags = c.diagnostics.get(uri)!;
    assert.equal(diags.find((d) => d.code === 'returned-value')!.severity, 2);
    assert.ok(diags.some((d) => d.code === 'stack' && d.severity === 4));
  });

  it('onType: analyses unsaved buffers through -overlay, nothing written to disk', async () => {
    c = await LspClient.start(() => ({ run: 'onType', debounceMs: 50 }));
    const { file, uri } = await c.openInModule({ 'm.go': ORDER });
    c.change(file, ORDER + '\nfunc Typed() *int { t := 1; return &t }\n');
    await c.waitFor(() => c!.diagnostics.get(uri)?.some((d) => d.message.startsWith('moved to heap: t')), 'unsaved analysis');
    assert.equal(fs.readFileSync(file, 'utf8'), ORDER);
  });

  it('hover ignores findings whose text was edited since the analysis (no stale explanations)', async () => {
    c = await LspClient.start();
    const dir = tempModule({ 'm.go': ORDER });
    const file = path.join(dir, 'm.go');
    c.open(file);
    await c.settled(file);
    assert.ok(await c.hover(file, 5, 10));
    c.change(file, ORDER.replace('&Order{ID: id}', 'nil           '));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await c.hover(file, 5, 10), null);
  });

  it('while a save is analysed, hovers and lightbulbs answer at once from the last result', async () => {
    c = await LspClient.start(() => ({ quickFixes: false }));
    const { file, uri } = await c.openInModule({ 'm.go': ORDER });
    const before = c.publishCount.get(uri)!;
    const d = c.diagnostics.get(uri)!.find((x) => x.message.startsWith('&Order{...} escapes to heap'))!;
    c.save(file, ORDER + '\nfunc G() *int { g := 1; return &g }\n');
    const [hover, actions] = await Promise.all([c.hover(file, 5, 10), c.codeActions(file, d.range, [d])]);
    assert.equal(c.publishCount.get(uri), before, 'answered before the new analysis published');
    assert.match(JSON.stringify(hover?.contents), /Order/);
    assert.ok(actions.some((a) => /Show escape path|escape:ok|Suppress/i.test(a.title)), actions.map((a) => a.title).join('; '));
    await c.waitFor(() => c!.diagnostics.get(uri)?.some((x) => x.message.startsWith('moved to heap: g')), 'the save analysed');
    assert.match(JSON.stringify((await c.hover(file, 5, 10))?.contents), /Order/, 'the same finding after the new result');
  });

  it('with a heap profile, hovers say what was allocated on the line, and the costliest lines are warnings', async () => {
    const { dir, profile } = profiledModule();
    c = await LspClient.start(() => ({ heapProfile: profile }));
    const file = path.join(dir, 'p.go');
    c.open(file);
    await c.settled(file);
    const hover = await c.hover(file, 6, 24);
    assert.match((hover!.contents as { value: string }).value,
      /\*\*Cost \(heap profile\):\*\* [\d.]+ (KiB|MiB) in [\d,]+ objects on this line \([\d.]+% of the profile\)/);
    const d = c.diagnostics.get(pathToFileURL(file).href)!.find((x) => x.range.start.line === 6)!;
    assert.equal(d.severity, 2, 'promoted to a warning: the line holds more than 1% of the profile');
    // After the background verification of Label's strconv fix (which parses a rewritten p.go with one
    // more import line), the path still reads the file as it is.
    await c.waitFor(() => c!.status(file)?.fixes !== undefined, 'fix verification');
    const again = ((await c.hover(file, 6, 24))!.contents as { value: string }).value;
    assert.match(again, /`return &T\{\}` — returned/);
  });

  it('in an untrusted workspace nothing runs', async () => {
    c = await LspClient.start(() => ({}), { trusted: false });
    const dir = tempModule({ 'm.go': ORDER });
    const file = path.join(dir, 'm.go');
    const uri = c.open(file);
    const s = await c.waitFor(() => c!.status(file), 'status');
    assert.equal(s.state, 'off');
    assert.equal(s.runs, 0);
    assert.deepEqual(c.diagnostics.get(uri) ?? [], []);
  });

  it('closing a file clears its diagnostics', async () => {
    c = await LspClient.start();
    const { file, uri } = await c.openInModule({ 'm.go': ORDER });
    assert.equal(c.diagnostics.get(uri)!.length, 1);
    c.close(file);
    await c.waitFor(() => c!.diagnostics.get(uri)?.length === 0, 'cleared');
  });

  describe('hard cases', () => {
    it('a file outside any module is built in GOPATH mode', async () => {
      c = await LspClient.start();
      const dir = tempDir();
      const file = path.join(dir, 'loose.go');
      fs.writeFileSync(file, ORDER);
      const uri = c.open(file);
      const s = await c.settled(file);
      assert.equal(s.state, 'done', s.message);
      assert.equal(c.diagnostics.get(uri)!.length, 1);
    });

    it('a file excluded by build constraints says so, and gets the flags hint', async () => {
      c = await LspClient.start();
      const dir = tempModule({ 'm.go': ORDER, 'extra.go': '//go:build integration\n\npackage m\n\nfunc X() *int { x := 1; return &x }\n' });
      const file = path.join(dir, 'extra.go');
      const uri = c.open(file);
      const s = await c.settled(file);
      assert.deepEqual(c.diagnostics.get(uri), []);
      assert.match(s.message ?? '', /extra\.go excluded by build constraints.*goEscapeLens\.buildFlags/);
      await c.stop();
      c = await LspClient.start(() => ({ buildFlags: ['-tags=integration'] }));
      const uri2 = c.open(file);
      await c.settled(file);
      assert.equal(c.diagnostics.get(uri2)![0].message.split(' — ')[0], 'moved to heap: x');
    });

    it('cgo files are analysed and located in the .go source', async () => {
      c = await LspClient.start();
      const dir = tempModule({ 'c.go': 'package m\n\n// int add(int a, int b) { return a + b; }\nimport "C"\n\nfunc Add() *C.int { v := C.add(1, 2); return &v }\n' });
      const file = path.join(dir, 'c.go');
      const uri = c.open(file);
      const s = await c.settled(file);
      assert.equal(s.state, 'done', s.message);
      const d = c.diagnostics.get(uri)!.find((x) => x.message.startsWith('moved to heap: v'))!;
      assert.deepEqual(d.range, { start: { line: 5, character: 20 }, end: { line: 5, character: 21 } });
    });

    it('generated files get hints, not squiggles, unless asked for', async () => {
      c = await LspClient.start();
      const dir = tempModule({ 'gen.go': '// Code generated by hand. DO NOT EDIT.\n\n' + ORDER.replace('package m\n', 'package m\n') });
      const file = path.join(dir, 'gen.go');
      const uri = c.open(file);
      await c.settled(file);
      assert.deepEqual(c.diagnostics.get(uri)!.map((d) => d.severity), [4]);
      assert.equal(c.status(file)!.heap[uri], 0, 'no squiggle');
      assert.equal(c.status(file)!.hints![uri], 1, 'a hint');
      assert.equal(c.status(file)!.findings![uri], 1, 'still counted');
    });

    it('go.work workspaces and multi-root settings per folder', async () => {
      const root = tempDir();
      for (const m of ['a', 'b']) {
        fs.mkdirSync(path.join(root, m));
        fs.writeFileSync(path.join(root, m, 'go.mod'), `module example.com/${m}\n\ngo 1.24\n`);
        fs.writeFileSync(path.join(root, m, 'm.go'), ORDER);
      }
      fs.writeFileSync(path.join(root, 'go.work'), 'go 1.24\n\nuse (\n\t./a\n\t./b\n)\n');
      c = await LspClient.start((scope) => (scope.includes('/a/') ? { severity: { L1: 'error' } } : {}), {}, root);
      const fa = path.join(root, 'a', 'm.go');
      const fb = path.join(root, 'b', 'm.go');
      const ua = c.open(fa);
      const ub = c.open(fb);
      await c.settled(fa);
      await c.settled(fb);
      assert.equal(c.diagnostics.get(ua)![0].severity, 1);
      assert.equal(c.diagnostics.get(ub)![0].severity, 3);
    });

    it('vendored code is not analysed', async () => {
      c = await LspClient.start();
      const dir = tempModule({ 'vendor/example.com/v/v.go': ORDER });
      const file = path.join(dir, 'vendor/example.com/v/v.go');
      const uri = c.open(file);
      const s = await c.waitFor(() => c!.status(file), 'status');
      assert.equal(s.state, 'excluded');
      assert.equal(s.runs, 0);
      assert.deepEqual(c.diagnostics.get(uri), [], 'cleared, never drawn');
    });

    it('more findings than VS Code draws: the most relevant 500 first', async () => {
      c = await LspClient.start();
      const funcs: string[] = [];
      for (let i = 0; i < 300; i++) funcs.push(`func B${i}(n int) { fmt.Println(n) }`); // L3 interface conversions
      for (let i = 0; i < 300; i++) funcs.push(`func A${i}() *int { v := ${i}; return &v }`); // L1 returned addresses
      const dir = tempModule({ 'many.go': `package m\n\nimport "fmt"\n\n${funcs.join('\n')}\n` });
      const file = path.join(dir, 'many.go');
      const uri = c.open(file);
      await c.settled(file);
      const diags = c.diagnostics.get(uri)!;
      assert.equal(diags.length, 500);
      assert.equal(diags.filter((d) => d.code === 'returned-address').length, 300, 'every L1 finding kept');
      assert.equal(c.status(file)!.heap[uri], 600, 'the status counts all');
    });
  });
});
