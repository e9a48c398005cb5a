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
    const boxLine = fs.readFileSync(alloc, 'utf8').split('\n').findIndex((l) => l.includes('return n'));
    const hover = await c.hover(alloc, boxLine, 8);
    assert.match((hover!.contents as { value: string }).value, /\*\*Measured:\*\* 8 B\/op, 1 allocs\/op in BenchmarkBoth/);
    assert.ok((await titles(c, alloc)).includes('15: heap escapes here: 8 B/op, 1 allocs/op in BenchmarkBoth'));

    // Edit (the benchmark no longer boxes), save, measure again: before → after until the next run.
    c.save(test, fs.readFileSync(test, 'utf8').replace('\t\tsink = Box(i + 1000)\n', ''));
    await c.settled(test, 2);
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [pathToFileURL(test).href] });
    await poll('before → after', async () => (await titles(c!, test)).find((t) => t.includes('72 → 64 B/op, 2 → 1 allocs/op')));
    const block = fs.readFileSync(alloc, 'utf8').split('\n').findIndex((l) => l.includes('return &Block{}'));
    const h2 = await c.hover(alloc, block, 9);
    assert.match((h2!.contents as { value: string }).value, /\*\*Measured:\*\* 64 → 64 B\/op, 1 → 1 allocs\/op in BenchmarkBoth · 64 B\/op, 1 allocs\/op in BenchmarkLoop/);
    assert.ok((await titles(c, alloc)).includes('15: heap escapes here: 8 → 0 B/op, 1 → 0 allocs/op in BenchmarkBoth'));
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
    // An analysis that runs past a second reports its own progress too (a loaded machine): the measurement's is the one asked about.
    const begin = await c.waitFor(() => progress.find((p) => p.value.kind === 'begin' && p.value.title?.startsWith('Measuring')), 'progress begin');
    assert.equal(begin.value.title, 'Measuring benchmarks of ' + path.basename(dir));
    assert.equal(begin.value.cancellable, true);
    assert.ok((await titles(c, test)).every((t) => t.endsWith('measuring allocations…')));
    // A second request for the same package while the first runs: refused, not queued.
    await c.conn.sendRequest('workspace/executeCommand', { command: MEASURE_COMMAND, arguments: [uri, 'BenchmarkLoop'] });
    await c.waitFor(() => infos.find((m) => /already measuring/.test(m)), 'already measuring');
    const mine = (p: (typeof progress)[number]) => p.token === begin.token;
    assert.equal(progress.filter((p) => p.value.kind === 'begin' && p.value.title?.startsWith('Measuring')).length, 1);
    // Cancel from the progress UI: the run ends, nothing is kept, no temp files are left.
    await c.waitFor(() => progress.find((p) => mine(p) && p.value.kind === 'report'), 'a progress report');
    void c.conn.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
    await c.waitFor(() => progress.find((p) => mine(p) && p.value.kind === 'end'), 'progress end');
    await poll('lenses back', async () => (await titles(c!, test)).includes('12: measure allocations') || undefined);
    assert.deepEqual(infos.filter((m) => /failed/.test(m)), []);
    assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('go-escape-lens-bench-') && !before.has(n)), []);
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
