// What the language server draws by default (core/present through LSP), against the real compiler on
// fixtures/signal: one squiggle per fmt call, cold code as hints, parameter summaries as inlay hints at
// the signature, the caller told which parameter keeps its value, the Escapes view holding every finding,
// and the first lightbulb after a save waiting for its fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InlayHint } from 'vscode-languageserver';
import { countFindings } from '../../core/present/escapesTree';
import type { EscapesResult } from '../../server/protocol';
import { LspClient } from '../helpers/lspClient';
import { REPO, tempDir } from '../helpers/goEnv';

const FIXTURE = path.join(REPO, 'fixtures', 'signal');

function copyFixture(): string {
  const dir = path.join(tempDir(), 'signal');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function lineOf(file: string, text: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
}

describe('presentation in the language server', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('draws allocations of ordinary code as squiggles, one per fmt call, cold code as hints, no summaries', async () => {
    c = await LspClient.start();
    const dir = copyFixture();
    const file = path.join(dir, 'writer.go');
    const uri = c.open(file);
    await c.settled(file);
    const diags = c.diagnostics.get(uri)!;
    const squiggles = diags.filter((d) => d.severity !== 4);
    const hints = diags.filter((d) => d.severity === 4);
    // Parameter summaries are never diagnostics.
    assert.deepEqual(diags.filter((d) => /leaking param/.test(d.message)), []);
    // The four operands of one Printf: one squiggle under `fmt.Printf`.
    const printf = lineOf(file, 'fmt.Printf(');
    const onPrintf = squiggles.filter((d) => d.range.start.line === printf);
    assert.equal(onPrintf.length, 1);
    assert.equal(onPrintf[0].message, '4 values boxed for fmt.Printf (1 without allocating) (L3 dynamic)');
    assert.deepEqual(onPrintf[0].range, { start: { line: printf, character: 1 }, end: { line: printf, character: 11 } });
    // panic, log and error construction: hints only.
    for (const text of ['panic(fmt.Sprintf', 'log.Printf(', 'fmt.Errorf(', 'errors.New(']) {
      const line = lineOf(file, text);
      assert.ok(hints.some((d) => d.range.start.line === line), `a hint on ${text}`);
      assert.ok(!squiggles.some((d) => d.range.start.line === line), `no squiggle on ${text}`);
    }
    // A multi-line literal is squiggled on its first line, up to the brace.
    const lit = lineOf(file, 'return &Writer{');
    const d = squiggles.find((x) => x.range.start.line === lit)!;
    assert.deepEqual(d.range, { start: { line: lit, character: 8 }, end: { line: lit, character: 15 } });
    // Nothing is drawn faded as unused code; no line carries the same words twice.
    assert.ok(diags.every((x) => x.tags === undefined));
    assert.equal(new Set(diags.map((x) => `${x.range.start.line}:${x.message}`)).size, diags.length);
    // The status bar's count is the Problems panel's (squiggles of this file); hints counted apart.
    const s = c.status(file)!;
    assert.equal(s.heap[uri], squiggles.length);
    assert.equal(s.hints![uri], hints.length);
    assert.ok(s.findings![uri] > squiggles.length + hints.length, 'the file holds more findings than it draws');
    console.log(`        writer.go: ${squiggles.length} squiggles, ${hints.length} hints, ${s.findings![uri]} findings`);
  });

  it('shows parameter summaries once, at the signature, and names the leaking parameter in the caller\'s hover', async () => {
    c = await LspClient.start();
    const dir = copyFixture();
    const file = path.join(dir, 'writer.go');
    const uri = c.open(file);
    await c.settled(file);
    const hints: InlayHint[] = await c.conn.sendRequest('textDocument/inlayHint', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } },
    });
    const sig = lineOf(file, 'func (w *Writer) Write(p []byte)');
    const onWrite = hints.filter((h) => h.position.line === sig);
    assert.equal(onWrite.length, 1, 'one mark on Write\'s signature');
    // `sink = p` with `var sink any`: the slice is boxed into an interface to be stored (rule 10 before 16).
    assert.equal(onWrite[0].label, 'leaks (into an interface)');
    assert.equal(onWrite[0].position.character, 'func (w *Writer) Write(p'.length);
    const report = lineOf(file, 'func Report(');
    assert.deepEqual(hints.filter((h) => h.position.line === report).map((h) => h.label), ['leaks (into an interface)', 'content leaks (stored)']);
    // A receiver whose content leaks: on hover, not as a mark.
    const keep = lineOf(file, 'func (w *Writer) Keep()');
    assert.deepEqual(hints.filter((h) => h.position.line === keep), []);
    assert.match(((await c.hover(file, keep, 6))!.contents as { value: string }).value, /\*\*parameter `w`\*\* · L2 call context · what the parameter points to leaks/);
    // The caller's finding says whose parameter keeps the buffer.
    const flush = lineOf(file, 'buf := make([]byte, n)');
    const hover = await c.hover(file, flush, 10);
    const md = (hover!.contents as { value: string }).value;
    assert.match(md, /`buf` escapes because `\(\*Writer\)\.Write`'s parameter `p` leaks \(writer\.go:21\)/);
    // Read top to bottom, nothing of the compiler's temporaries.
    assert.doesNotMatch(md, /spill|assign-pair|~r0|fmt\.a :=|\(\*Writer\)\.Write\(w, buf\)/);
    assert.match(md, /passed to `w\.Write`/);
    const order = ['The value is passed to a function', '**Path**', '**What helps:**'].map((t) => md.indexOf(t));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), md);
    // Hovering the parameter itself explains the summary.
    const p = await c.hover(file, sig, 'func (w *Writer) Write('.length);
    assert.match((p!.contents as { value: string }).value, /\*\*parameter `p`\*\* · L2 call context/);
  });

  it('the Escapes view holds every finding of the package, grouped and filtered, with counts on every node', async () => {
    c = await LspClient.start();
    const dir = copyFixture();
    const file = path.join(dir, 'writer.go');
    c.open(file);
    await c.settled(file);
    const ask = (groupBy: 'location' | 'cause' | 'tier', filter = {}) =>
      c!.conn.sendRequest('goEscapeLens/escapes', { groupBy, filter }) as Promise<EscapesResult>;
    let changes = 0;
    c.conn.onNotification('goEscapeLens/escapesChanged', () => { changes++; });
    const first = await ask('location');
    assert.deepEqual(first.roots[0].children!.map((n) => n.label).filter((l) => !path.isAbsolute(l)), ['writer.go'], 'open files only so far');
    // The first request makes the package analysed whole: other.go, not open, appears, and the view is told.
    await c.waitFor(() => changes > 0, 'escapesChanged');
    let t = first;
    for (const end = Date.now() + 60_000; Date.now() < end;) {
      t = await ask('location');
      if (t.roots[0].children!.some((n) => n.label === 'other.go')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Findings in code inlined from other packages (log.Printf's own summary) are listed too, by absolute path.
    const files = t.roots[0].children!.map((n) => n.label).filter((l) => !path.isAbsolute(l)).sort();
    assert.deepEqual(files, ['other.go', 'writer.go']);
    assert.equal(countFindings(t.roots), t.total);
    assert.equal(t.shown, t.total);
    assert.equal(t.roots[0].count, t.total);
    for (const f of t.roots[0].children!) assert.equal(f.count, f.children!.reduce((n, x) => n + x.count, 0));
    const byCause = await ask('cause');
    assert.equal(countFindings(byCause.roots), t.total);
    assert.ok(byCause.roots[0].children!.some((n) => n.kind === 'cause' && /interface-conversion/.test(n.label)));
    const byTier = await ask('tier', { show: 'allocating', tiers: ['L1'] });
    assert.ok(byTier.shown < byTier.total);
    assert.deepEqual(byTier.roots[0].children!.map((n) => n.label), ['L1 syntax']);
    // A grouped call shows its members; each member opens its own range.
    const group = JSON.stringify(t).includes('4 values boxed for fmt.Printf');
    assert.ok(group);
    console.log(`        Escapes view: ${t.total} findings in ${files.length} files; L1 allocating: ${byTier.shown}`);
  });

  it('"Show escape path (2 steps)" peeks exactly the two steps the hover shows', async () => {
    c = await LspClient.start();
    const dir = copyFixture();
    const file = path.join(dir, 'writer.go');
    const uri = c.open(file);
    await c.settled(file);
    const line = lineOf(file, 'buf := make([]byte, n)');
    const diag = c.diagnostics.get(uri)!.find((d) => d.range.start.line === line)!;
    const show = (await c.codeActions(file, diag.range, [diag])).find((a) => a.command?.command === 'goEscapeLens.showEscapePath')!;
    assert.match(show.title, /\(2 steps\)$/);
    const locations = show.command!.arguments![2] as { range: { start: { line: number } } }[];
    assert.deepEqual(locations.map((l) => l.range.start.line), [line, line + 1]);
  });

  it('the first lightbulb after the diagnostics waits for its fix being verified', async () => {
    c = await LspClient.start();
    const dir = path.join(tempDir(), 'fmtbox');
    fs.cpSync(path.join(REPO, 'fixtures', 'fixes'), path.dirname(dir) + '/fixes', { recursive: true });
    const file = path.join(path.dirname(dir), 'fixes', 'fmtbox', 'fmtbox.go');
    const uri = c.open(file);
    const diags = await c.waitFor(() => c!.diagnostics.get(uri)?.length ? c!.diagnostics.get(uri) : undefined, 'diagnostics');
    const line = lineOf(file, 'fmt.Sprintf("%d", n)');
    const diag = diags.find((d) => d.range.start.line === line)!;
    // Asked at once: verification is still running (no fixes in the status yet), the answer waits for it.
    const before = c.status(file)?.fixes;
    const actions = await c.codeActions(file, diag.range, [diag]);
    assert.equal(before, undefined, 'asked before the verification finished');
    assert.ok(actions.some((a) => a.title.startsWith('Use strconv.Itoa(n)')), actions.map((a) => a.title).join('; '));
    // A spot with nothing pending answers at once (no fix to wait for).
    const other = await c.codeActions(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(other, []);
    assert.equal(pathToFileURL(file).href, uri);
  });
});
