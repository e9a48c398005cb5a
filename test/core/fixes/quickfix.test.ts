// Quick fixes, applied as an editor applies them (through the LSP), then checked with the real tools:
// the package builds, gofmt -l is clean, go vet reports nothing new, and the targeted escape is gone.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import { LspClient } from '../../helpers/lspClient';
import { REPO, tempDir } from '../../helpers/goEnv';

interface Case { file: string; line: number; message: string; title: RegExp; expect: string }

const POSITIVE: Case[] = [
  { file: 'fmtbox/fmtbox.go', line: 11, message: 'n escapes to heap', title: /^Use strconv\.Itoa\(n\) — removes 1 heap allocation/, expect: 'return strconv.Itoa(n)' },
  { file: 'fmtbox/fmtbox.go', line: 16, message: 'n escapes to heap', title: /^Use strconv\.FormatInt\(n, 10\)/, expect: 'return strconv.FormatInt(n, 10)' },
  { file: 'fmtbox/fmtbox.go', line: 21, message: 'b escapes to heap', title: /^Use strconv\.FormatBool\(b\) — no boxing \(a bool does not allocate\)$/, expect: 'return strconv.FormatBool(b)' },
  { file: 'fmtbox/fmtbox.go', line: 26, message: 's escapes to heap', title: /^Use s — removes 1 heap allocation/, expect: 'return s' },
  { file: 'errs/errs.go', line: 12, message: '&errors.errorString{...} escapes to heap', title: /^Hoist to var errNotFound — one shared error value, 1 allocation less per call$/, expect: 'return errNotFound' },
  { file: 'errs/errs.go', line: 20, message: '&errors.errorString{...} escapes to heap', title: /^Hoist to var errBadInput/, expect: 'return errBadInput' },
];
const NEGATIVE: [string, number, string][] = [
  ['fmtbox/fmtbox.go', 35, 'l escapes to heap'],   // named type with a String method
  ['fmtbox/fmtbox.go', 40, 'f escapes to heap'],   // float: no exact strconv equivalent
  ['fmtbox/fmtbox.go', 45, 'a escapes to heap'],   // two values
  ['fmtbox/fmtbox.go', 50, 'n escapes to heap'],   // Fprintln
  ['errs/errs.go', 32, '&errors.errorString{...} escapes to heap'], // formats a value
  ['capture/capture.go', 6, 'moved to heap: x'],   // written after the goroutine captured it
];

function copyModule(name: string): string {
  const dir = path.join(tempDir(), name);
  fs.cpSync(path.join(REPO, 'fixtures', name), dir, { recursive: true });
  return dir;
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { code: r.status, out: (r.stdout + r.stderr).trim() };
}

function heapMessages(dir: string, file: string, fn: string): string[] {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), '--json', path.dirname(path.join(dir, file))], { encoding: 'utf8' });
  // Heap escapes and leaks; `leaking param: p to result` is no allocation (returning s instead of fmt.Sprint(s) adds one).
  return JSON.parse(r.stdout).findings
    .filter((f: { function?: string; kind: string }) => f.function === fn && f.kind !== 'leaking-param-result')
    .map((f: { message: string }) => f.message);
}

function applyAction(file: string, action: CodeAction): string {
  const text = fs.readFileSync(file, 'utf8');
  const edits = Object.values(action.edit!.changes!)[0] as TextEdit[];
  return TextDocument.applyEdits(TextDocument.create('file:///x.go', 'go', 1, text), edits);
}

async function actionsAt(c: LspClient, file: string, line: number, message: string): Promise<{ actions: CodeAction[]; diag: Diagnostic }> {
  const uri = c.open(file);
  await c.settled(file);
  await c.waitFor(() => c.status(file)?.fixes !== undefined, 'fix verification');
  const diag = c.diagnostics.get(uri)!.find((d) => d.range.start.line === line - 1 && d.message.startsWith(message));
  assert.ok(diag, `no diagnostic "${message}" on line ${line}: ${c.diagnostics.get(uri)!.map((d) => d.message).join('; ')}`);
  const actions = await c.codeActions(file, diag.range, [diag]);
  return { actions, diag };
}

// Fixes are offered on findings whether drawn or not; these tests find them through their diagnostics, so
// every finding is drawn on its own (a bool boxing does not allocate; fmt.Sprint(a, b) would be one group).
const EVERY_FINDING_DRAWN = () => ({ showNonAllocating: true, groupCalls: false });

describe('quick fixes', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  for (const k of POSITIVE) {
    it(`${k.file}:${k.line} ${k.message} → ${k.expect}`, async () => {
      const dir = copyModule('fixes');
      const file = path.join(dir, k.file);
      const vetBefore = run('go', ['vet', './...'], dir).out;
      c = await LspClient.start(EVERY_FINDING_DRAWN);
      const { actions } = await actionsAt(c, file, k.line, k.message);
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix, `no verified fix among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.match(fix.title, k.title);
      assert.ok(fix.title.length <= 80, `fits the quick-fix menu: ${fix.title} (${fix.title.length})`);
      assert.equal(fix.kind, 'quickfix');
      const fn = (c.diagnostics.get(c.open(file))!.find((d) => d.range.start.line === k.line - 1)!.data as { function: string }).function;
      const before = heapMessages(dir, k.file, fn);
      fs.writeFileSync(file, applyAction(file, fix));
      assert.ok(fs.readFileSync(file, 'utf8').includes(k.expect));
      assert.equal(run('go', ['build', './...'], dir).code, 0, 'builds');
      assert.equal(run('gofmt', ['-l', '.'], dir).out, '', 'gofmt-clean');
      assert.equal(run('go', ['vet', './...'], dir).out, vetBefore, 'go vet: nothing new');
      const after = heapMessages(dir, k.file, fn);
      assert.equal(after.filter((m) => m === k.message).length, before.filter((m) => m === k.message).length - 1, 'the escape is gone');
      assert.ok(after.every((m) => before.includes(m)), `no new escape in ${fn}: ${after.join('; ')}`);
    });
  }

  for (const [f, line, message] of NEGATIVE) {
    it(`no fix for ${f}:${line} ${message}`, async () => {
      c = await LspClient.start(EVERY_FINDING_DRAWN);
      const { actions } = await actionsAt(c, path.join(copyModule('fixes'), f), line, message);
      assert.deepEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), []);
      assert.ok(actions.some((a) => a.title.startsWith('Suppress on this line')), 'suppression is still offered');
    });
  }

  describe('loop variables (module go 1.21)', () => {
    it('copies a goroutine-captured loop variable per iteration; the title says what changes', async () => {
      const dir = copyModule('loopvar121');
      const file = path.join(dir, 'loopvar.go');
      c = await LspClient.start();
      const { actions } = await actionsAt(c, file, 9, 'moved to heap: i');
      const fix = actions.find((a) => a.isPreferred)!;
      assert.match(fix.title, /^Copy i per iteration \(i := i\) — each closure then sees its own i/);
      fs.writeFileSync(file, applyAction(file, fix));
      assert.match(fs.readFileSync(file, 'utf8'), /for i := 0; i < n; i\+\+ \{\n\t\ti := i\n\t\twg\.Add\(1\)/);
      assert.equal(run('go', ['build', './...'], dir).code, 0);
      assert.equal(run('gofmt', ['-l', '.'], dir).out, '');
      assert.doesNotMatch(run('go', ['vet', './...'], dir).out, /loopvar\.go:1[0-9]:.*loop variable i/);
      assert.ok(!heapMessages(dir, 'loopvar.go', 'Start').includes('moved to heap: i'));
    });

    it('range variables captured by deferred closures too', async () => {
      const dir = copyModule('loopvar121');
      c = await LspClient.start();
      const { actions } = await actionsAt(c, path.join(dir, 'loopvar.go'), 21, 'moved to heap: s');
      assert.match(actions.find((a) => a.isPreferred)!.title, /^Copy s per iteration/);
    });

    it('no copy when the body writes the loop variable', async () => {
      const dir = copyModule('loopvar121');
      c = await LspClient.start();
      const { actions } = await actionsAt(c, path.join(dir, 'loopvar.go'), 28, 'moved to heap: i');
      assert.deepEqual(actions.filter((a) => a.isPreferred), []);
    });

    it('not offered under Go 1.22 semantics', async () => {
      const dir = copyModule('loopvar121');
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/loopvar\n\ngo 1.22\n');
      c = await LspClient.start();
      const file = path.join(dir, 'loopvar.go');
      const uri = c.open(file);
      await c.settled(file);
      await c.waitFor(() => c!.status(file)?.fixes !== undefined, 'fix verification');
      assert.equal(c.status(file)!.fixes, 0, 'no loop-variable copy offered anywhere');
      assert.ok(!c.diagnostics.get(uri)!.some((d) => d.range.start.line === 8), 'per-iteration i no longer escapes');
    });
  });

  it('suppress on the line and for the function: applied, the finding is hidden and counted', async () => {
    const dir = copyModule('fixes');
    const file = path.join(dir, 'capture/capture.go');
    c = await LspClient.start();
    const { actions } = await actionsAt(c, file, 6, 'moved to heap: x');
    const line = actions.find((a) => a.title.startsWith('Suppress on this line'))!;
    const whole = actions.find((a) => a.title.startsWith('Suppress all findings in Race'))!;
    const edited = applyAction(file, line);
    assert.match(edited, /x := 0 \/\/escape:ignore TODO/);
    fs.writeFileSync(file, applyAction(file, whole));
    assert.equal(run('gofmt', ['-l', '.'], dir).out, '');
    c.save(file, fs.readFileSync(file, 'utf8'));
    const uri = c.open(file);
    await c.waitFor(() => c!.status(file)?.suppressed[uri] === 3 && c!.status(file), 'suppressed');
    assert.equal(c.status(file)!.heap[uri], 0);
    const cli = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), '--all', path.join(dir, 'capture')], { encoding: 'utf8' });
    assert.match(cli.stdout, /suppressed: TODO: why this allocation is acceptable/);
    assert.match(cli.stdout, /suppressed 3/);
  });

  it('onType: fixes are verified against the unsaved buffer', async () => {
    const dir = copyModule('fixes');
    const file = path.join(dir, 'errs/errs.go');
    c = await LspClient.start(() => ({ run: 'onType', debounceMs: 50 }));
    const uri = c.open(file);
    await c.settled(file);
    const unsaved = fs.readFileSync(file, 'utf8') + '\n// Typed is not saved yet.\nfunc Typed() error { return errors.New("typed") }\n';
    c.change(file, unsaved);
    const diag = await c.waitFor(() => c!.diagnostics.get(uri)?.find((d) => d.range.start.line === 35), 'the unsaved escape');
    await c.waitFor(() => c!.status(file)?.fixes !== undefined && c!.status(file)!.fixes! >= 3, 'verification of the buffer');
    const fix = (await c.codeActions(file, diag.range, [diag])).find((a) => a.isPreferred)!;
    assert.match(fix.title, /^Hoist to var errTyped/);
    const edited = TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, unsaved), Object.values(fix.edit!.changes!)[0] as TextEdit[]);
    fs.writeFileSync(file, edited);
    assert.equal(run('go', ['build', './...'], dir).code, 0);
    assert.equal(run('gofmt', ['-l', '.'], dir).out, '');
  });

  it('"Show escape path" lists the flow steps as locations', async () => {
    c = await LspClient.start();
    const file = path.join(REPO, 'fixtures/sample/returned/returned.go');
    const { actions } = await actionsAt(c, file, 11, '&Order{...} escapes to heap');
    const show = actions.find((a) => a.command?.command === 'goEscapeLens.showEscapePath')!;
    assert.match(show.title, /^Show escape path of &Order\{\.\.\.\} \(1 step\)/);
    const steps = show.command!.arguments![2] as { uri: string; range: { start: { line: number; character: number } } }[];
    assert.deepEqual(steps.map((s) => s.range.start), [{ line: 10, character: 1 }]);
  });
});

describe('quick fixes: groups, preallocation and fix-all', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('a grouped call ("2 values boxed for fmt.Sprintf") offers the concatenation and a suppression', async () => {
    const dir = copyModule('fixes');
    const file = path.join(dir, 'concat/concat.go');
    c = await LspClient.start();
    const { actions } = await actionsAt(c, file, 6, '2 values boxed for fmt.Sprintf');
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Use name + "-" + strconv.Itoa(id) — removes 2 boxing allocations', actions.map((a) => a.title).join(' | '));
    assert.equal(actions.filter((a) => a.title.startsWith('Suppress on this line')).length, 1, 'one suppression for the group');
    fs.writeFileSync(file, applyAction(file, fix!));
    assert.equal(run('go', ['build', './...'], dir).code, 0);
    assert.equal(run('gofmt', ['-l', '.'], dir).out, '');
    assert.deepEqual(heapMessages(dir, 'concat/concat.go', 'Key').filter((m) => /^(name|id) escapes/.test(m)), []);
  });

  it('preallocates a slice appended in a range loop, with the allocations per call measured in the title', async () => {
    const dir = copyModule('fixes');
    const file = path.join(dir, 'prealloc/prealloc.go');
    c = await LspClient.start(EVERY_FINDING_DRAWN);
    const { actions } = await actionsAt(c, file, 6, 'append escapes to heap');
    const fix = actions.find((a) => a.isPreferred);
    assert.match(fix?.title ?? '', /^Preallocate out — \d+ → 1 allocations per call \(measured\)$/, actions.map((a) => a.title).join(' | '));
    fs.writeFileSync(file, applyAction(file, fix!));
    assert.match(fs.readFileSync(file, 'utf8'), /\tvar out \[\]int\n\tout = slices\.Grow\(out, len\(xs\)\)\n\tfor _, x := range xs \{/);
    assert.equal(run('go', ['build', './...'], dir).code, 0);
    assert.equal(run('gofmt', ['-l', '.'], dir).out, '');
  });

  it('fix-all of one kind in a file: every error hoist applied at once builds, is gofmt-clean, and removes each escape', async () => {
    const dir = copyModule('fixes');
    const file = path.join(dir, 'errorf/errorf.go');
    c = await LspClient.start(EVERY_FINDING_DRAWN);
    const { actions } = await actionsAt(c, file, 13, '&errors.errorString{...} escapes to heap');
    const all = actions.find((a) => a.kind === 'quickfix' && a.title === 'Fix all 3 error hoists in this file (each proven)');
    assert.ok(all, actions.map((a) => `${a.kind}: ${a.title}`).join(' | '));
    assert.ok(actions.some((a) => a.kind === 'source.fixAll.goEscapeLens' && a.title === all.title), 'also a source action');
    fs.writeFileSync(file, applyAction(file, all));
    assert.equal(run('go', ['build', './...'], dir).code, 0);
    assert.equal(run('gofmt', ['-l', '.'], dir).out, '');
    for (const fn of ['Check', 'Limit', 'Reset']) {
      assert.ok(!heapMessages(dir, 'errorf/errorf.go', fn).includes('&errors.errorString{...} escapes to heap'), fn);
    }
    assert.ok(heapMessages(dir, 'errorf/errorf.go', 'State').includes('&errors.errorString{...} escapes to heap'), 'State is left alone');
  });
});
