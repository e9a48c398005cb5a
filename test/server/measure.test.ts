// Measurement through the language server, as an editor drives it: lenses above benchmarks, the measure
// command, figures on hovers and function lenses, before → after on a re-run, nothing when untrusted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver';
import { MEASURE_COMMAND } from '../../server/protocol';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';
import { LspClient } from '../helpers/lspClient';

const lenses = (c: LspClient, file: string): Promise<CodeLens[]> =>
  c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: pathToFileURL(file).href } });
const titles = async (c: LspClient, file: string) => (await lenses(c, file)).map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);

async function poll<T>(what: string, fn: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const TABLE = `package t

import "testing"

var sink []byte

func BenchmarkTable(b *testing.B) {
	for _, n := range []int{16, 1024} {
		b.Run("size="+itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink = make([]byte, n)
			}
		})
	}
}

func itoa(n int) string {
	if n == 16 {
		return "16"
	}
	return "1024"
}
`;

describe('measure: language server', () => {
  let c: LspClient | undefined;
  const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('go-escape-lens-bench-')));
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('measures from a lens, shows B/op on hovers and lenses, and before → after on the next run', async () => {
    const dir = tempDir();
    fs.cpSync(path.join(REPO, 'fixtures', 'measure'), dir, { recursive: true });
    const alloc = path.join(dir, 'alloc.go');
    const test = path.join(dir, 'alloc_test.go');
    c = await LspClient.start();
    c.open(alloc);
    c.open(test);
    await c.settled(test);
    assert.deepEqual(await titles(c, test), [
      '1: measure allocations of all benchmarks', '12: measure allocations', '22: measure allocations', '29: measure allocations',
    ]);
    const lens = (await lenses(c, test))[1];
    assert.deepEqual(lens.command?.arguments, [pathToFileURL(test).href, 'BenchmarkBoth']);
    await c.conn.sendRequest('workspace/executeCommand', { command: lens.command!.command, arguments: lens.command!.arguments });
    await poll('measured lens', async () => (await titles(c!, test)).find((t) => t.startsWith('12: BenchmarkBoth: 72 B/op')));
    assert.ok((await titles(c, test)).includes('12: BenchmarkBoth: 72 B/op, 2 allocs/op · findings explain 100% · measure again'));
    // Box is inlined into the benchmark: its boxing is charged where the compiler reports the inlined copy.
    const testLines = fs.readFileSync(test, 'utf8').split('\n');
    const boxLine = testLines.findIndex((l) => l.includes('sink = Box(i + 1000)'));
    const hover = await c.hover(test, boxLine, testLines[boxLine].indexOf('Box(') + 1);
    assert.match((hover!.contents as { value: string }).value, /\*\*Measured:\*\* 8 B\/op, 1 allocs\/op in BenchmarkBoth/);

    // Edit (the benchmark no longer boxes), save, measure again: before → after until the next run.
    c.save(test, fs.readFileSync(test, 'utf8').replace('\t\tsink = Box(i + 1000)\n', ''));
    await c.settled(test, 2);
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [pathToFileURL(test).href] });
    await poll('before → after', async () => (await titles(c!, test)).find((t) => t.includes('72 → 64 B/op, 2 → 1 allocs/op')));
    const edited = fs.readFileSync(test, 'utf8').split('\n');
    const block = edited.findIndex((l) => l.includes('sink = NewBlock()'));
    const h2 = await c.hover(test, block, edited[block].indexOf('NewBlock(') + 1);
    assert.match((h2!.contents as { value: string }).value, /\*\*Measured:\*\* 64 → 64 B\/op, 1 → 1 allocs\/op in BenchmarkBoth/);
  });

  it('runs in the background with cancellable progress, one run per package at a time', async () => {
    const dir = tempDir();
    fs.cpSync(path.join(REPO, 'fixtures', 'measure'), dir, { recursive: true });
    const test = path.join(dir, 'alloc_test.go');
    c = await LspClient.start(() => ({}), {}, undefined, { window: { workDoneProgress: true } });
    const progress: { token: string | number; value: { kind: string; title?: string; message?: string; cancellable?: boolean } }[] = [];
    c.conn.onNotification('$/progress', (p: (typeof progress)[number]) => progress.push(p));
    const infos: string[] = [];
    c.conn.onNotification('window/showMessage', (p: { message: string }) => infos.push(p.message));
    c.conn.onRequest('window/showMessageRequest', (p: { message: string }) => { infos.push(p.message); return null; });
    c.open(test);
    await c.settled(test);
    const uri = pathToFileURL(test).href;
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [uri] });
    const begin = await c.waitFor(() => progress.find((p) => p.value.kind === 'begin' && p.value.title?.startsWith('Measuring')), 'progress begin');
    assert.equal(begin.value.title, 'Measuring benchmarks of ' + path.basename(dir));
    assert.equal(begin.value.cancellable, true);
    assert.ok((await titles(c, test)).every((t) => t.endsWith('measuring allocations…')));
    // A second request for the same package while the first runs: refused, not queued.
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [uri, 'BenchmarkLoop'] });
    await c.waitFor(() => infos.find((m) => /already measuring/.test(m)), 'already measuring');
    assert.equal(progress.filter((p) => p.value.kind === 'begin' && p.value.title?.startsWith('Measuring')).length, 1);
    // Cancel from the progress UI: the run ends, nothing is kept, no temp files are left.
    await c.waitFor(() => progress.find((p) => p.value.kind === 'report' && p.token === begin.token), 'a progress report');
    void c.conn.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
    await c.waitFor(() => progress.find((p) => p.value.kind === 'end' && p.token === begin.token), 'progress end');
    await poll('lenses back', async () => (await titles(c!, test)).includes('12: measure allocations') || undefined);
    assert.deepEqual(infos.filter((m) => /failed/.test(m)), []);
    assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('go-escape-lens-bench-') && !before.has(n)), []);
  });

  it('shows each leaf of a table-driven benchmark on its b.Run, and again after a restart while the code is unchanged', async () => {
    const dir = tempModule({ 't_test.go': TABLE });
    const test = path.join(dir, 't_test.go');
    // The user's cache keeps the figures (under a key of this temp dir's path: no other run shares it).
    c = await LspClient.start();
    c.open(test);
    await c.settled(test);
    assert.deepEqual(await titles(c, test), ['1: measure allocations of all benchmarks', '7: measure allocations', '9: measure allocations of these sub-benchmarks']);
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [pathToFileURL(test).href] });
    const measured = ['1: measure allocations of all benchmarks', '7: 2 sub-benchmarks measured · measure again',
      '9: size=16: 16 B/op, 1 allocs/op · size=1024: 1,024 B/op, 1 allocs/op'];
    let last: string[] = [];
    await poll('per-leaf lenses', async () => {
      last = await titles(c!, test);
      return JSON.stringify(last) === JSON.stringify(measured) || undefined;
    }, 60_000).catch((e: Error) => { throw new Error(`${e.message}: ${JSON.stringify(last)}\n${c!.logs.join('\n')}`); });
    await c.stop();
    c = await LspClient.start();
    c.open(test);
    await c.settled(test);
    assert.deepEqual(await titles(c, test), measured);
  });

  it('says so where the lens would be when the package has no benchmarks', async () => {
    c = await LspClient.start();
    const dir = tempModule({ 'a.go': 'package a\n\nfunc F() *int { return new(int) }\n', 'a_test.go': 'package a\n\nimport "testing"\n\nfunc TestF(t *testing.T) { F() }\n' });
    const file = path.join(dir, 'a_test.go');
    c.open(file);
    await c.settled(file);
    const l = await lenses(c, file);
    assert.equal(l.length, 1);
    assert.match(l[0].command!.title, /no benchmarks in this package .* heap profile \(goEscapeLens\.heapProfile\)/);
    assert.deepEqual(l[0].command!.arguments, ['goEscapeLens.heapProfile']);
  });

  it('offers nothing and runs nothing in an untrusted workspace', async () => {
    c = await LspClient.start(() => ({}), { trusted: false });
    const dir = tempDir();
    fs.cpSync(path.join(REPO, 'fixtures', 'measure'), dir, { recursive: true });
    const file = path.join(dir, 'alloc_test.go');
    c.open(file);
    await c.waitFor(() => c!.status(file), 'status');
    assert.deepEqual(await lenses(c, file), []);
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [pathToFileURL(file).href, 'BenchmarkBoth'] });
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(await lenses(c, file), []);
    assert.equal(c.status(file)!.runs, 0);
  });
});
