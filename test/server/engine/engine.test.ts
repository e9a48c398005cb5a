// The engine driven through an in-memory host (no LSP, no editor): real fixture files, the real go
// compiler. What the editor would see is what the host records: diagnostics per publish, statuses in
// order, log lines.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SourceCache } from '../../../core/locate/sourceCache';
import { Engine } from '../../../server/engine/engine';
import { SettingsCache } from '../../../server/settings';
import { REPO, tempModule } from '../../helpers/goEnv';
import { MemoryHost } from './memoryHost';

const RETURNED = path.join(REPO, 'fixtures', 'sample', 'returned', 'returned.go');

const ORDER = `package m

type Order struct{ ID int }

func NewOrder(id int) *Order {
	return &Order{ID: id}
}
`;

function engineFor(host: MemoryHost, settings: Record<string, unknown> = {}, trusted = true): Engine {
  // Fix verification runs more builds; these tests are about analysis and publishing.
  return new Engine(host, new SettingsCache(async () => ({ quickFixes: false, ...settings })), new SourceCache(), trusted);
}

const span = (d: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }) =>
  `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

describe('engine (in-memory host)', function () {
  it('analyses an opened fixture file: its escapes published as diagnostics, then the status done', async () => {
    const host = new MemoryHost();
    const engine = engineFor(host);
    const uri = host.open(RETURNED);
    await engine.onEvent(uri, 'open');
    const diags = host.diagnostics(uri)!;
    // fixtures/sample/returned/escapes.golden, in 0-based LSP positions.
    assert.deepEqual(diags.map(span), ['10:8-10:22', '15:1-15:2', '21:8-21:19', '26:8-26:17']);
    assert.deepEqual(diags.map((d) => d.message.split(' — ')[0]), [
      '&Order{...} escapes to heap', 'moved to heap: n', 'a + "-" + b escapes to heap', '([]byte)(s) escapes to heap',
    ]);
    assert.ok(diags.every((d) => d.source === 'Go Escape Lens' && /\(L1 /.test(d.message)), diags.map((d) => d.message).join('\n'));
    assert.deepEqual(diags.map((d) => d.code), ['returned-value', 'returned-address', 'returned-value', 'returned-value']);
    // Analysing, then done with the counts; the diagnostics are out before the status that says so.
    const states = host.statuses(uri).map((s) => s.state);
    assert.deepEqual(states, ['analysing', 'done']);
    const done = host.statuses(uri).at(-1)!;
    assert.equal(done.heap[uri], 4);
    assert.equal(done.runs, 1);
    assert.equal(done.running, 0);
    assert.equal(done.stale, false);
    const order = host.events.filter((e) => e.kind !== 'log').map((e) => (e.kind === 'status' ? e.params.state : e.kind));
    assert.deepEqual(order, ['analysing', 'publish', 'done']);
    assert.match(host.logs().join('\n'), /published -?\d+ ms after go exited .*longest event-loop stall \d+ ms/);
    // The editor's questions are answered from the same analysis.
    const text = host.documents()[0].text;
    assert.equal(engine.findingsFor(uri, text).length, 4);
    assert.deepEqual(engine.itemsOnLine(uri, text, 15).items.map((i) => i.finding.message), ['moved to heap: n']);
    assert.deepEqual(engine.findingsOnLines(uri, text, { start: { line: 21 }, end: { line: 21 } }).map((f) => f.cause), ['returned-value']);
    assert.equal(engine.packageFindings(path.dirname(RETURNED)).length, 4);
  });

  it('a broken build keeps the last good findings still in place, marked stale; the next good build replaces them', async () => {
    const host = new MemoryHost();
    const engine = engineFor(host);
    const dir = tempModule({ 'm.go': ORDER + '\nfunc G() *int { g := 1; return &g }\n' });
    const file = path.join(dir, 'm.go');
    const uri = host.open(file);
    await engine.onEvent(uri, 'open');
    assert.equal(host.diagnostics(uri)!.length, 2);
    // Half-typed: G's body edited (its finding's text is gone), a broken line added; NewOrder untouched.
    host.save(file, ORDER + '\nfunc G() *int { h := 1; return &h }\nfunc Broken() int { return nope }\n');
    await engine.onEvent(uri, 'save');
    const failed = host.statuses(uri).at(-1)!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.message, 'build failed: m.go:10:28: undefined: nope');
    assert.equal(failed.stale, true);
    assert.deepEqual(host.diagnostics(uri)!.map((d) => d.message.split(' — ')[0]), ['&Order{...} escapes to heap']);
    const text = host.documents()[0].text;
    assert.equal(engine.itemsOnLine(uri, text, 5).stale, true);
    host.save(file, ORDER);
    await engine.onEvent(uri, 'save');
    assert.equal(host.statuses(uri).at(-1)!.state, 'done');
    assert.equal(host.statuses(uri).at(-1)!.stale, false);
    assert.deepEqual(host.diagnostics(uri)!.map(span), ['5:8-5:22']);
    assert.equal(engine.itemsOnLine(uri, ORDER, 5).stale, false);
  });

  it('closing the last file of a package clears its diagnostics and forgets its findings', async () => {
    const host = new MemoryHost();
    const engine = engineFor(host);
    const dir = tempModule({ 'm.go': ORDER });
    const uri = host.open(path.join(dir, 'm.go'));
    await engine.onEvent(uri, 'open');
    assert.equal(host.diagnostics(uri)!.length, 1);
    host.close(uri);
    engine.onClose(uri);
    assert.deepEqual(host.diagnostics(uri), []);
    assert.deepEqual(engine.packageFindings(dir), []);
    assert.deepEqual(engine.findingsFor(uri, ORDER), []);
  });

  it('saves in the same turn coalesce into one run', async () => {
    const host = new MemoryHost();
    const engine = engineFor(host);
    const dir = tempModule({ 'a.go': ORDER, 'b.go': 'package m\n\nfunc B() *int { b := 1; return &b }\n' });
    const a = host.open(path.join(dir, 'a.go'));
    const b = host.open(path.join(dir, 'b.go'));
    // "Save All": both saves arrive back to back.
    await Promise.all([engine.onEvent(a, 'save'), engine.onEvent(b, 'save'), engine.onEvent(a, 'save')]);
    assert.equal(host.statuses(a).at(-1)!.runs, 1);
    assert.deepEqual(host.statuses(a).map((s) => s.state), ['analysing', 'done']);
    assert.equal(host.diagnostics(a)!.length, 1);
    assert.equal(host.diagnostics(b)!.length, 1);
  });

  it('a save while an analysis runs cancels it: only the newer one publishes', async () => {
    const host = new MemoryHost();
    const engine = engineFor(host);
    const dir = tempModule({ 'm.go': ORDER });
    const file = path.join(dir, 'm.go');
    const uri = host.open(file);
    let second: Promise<void> | undefined;
    host.onStatus = (s) => {
      if (s.state === 'analysing' && s.runs === 1 && !second) {
        host.save(file, ORDER + '\nfunc G() *int { g := 1; return &g }\n');
        second = engine.onEvent(uri, 'save');
      }
    };
    await engine.onEvent(uri, 'open');
    await second;
    assert.equal(host.statuses(uri).at(-1)!.runs, 2);
    assert.equal(host.publishes(uri).length, 1, 'the cancelled run published nothing');
    assert.deepEqual(host.diagnostics(uri)!.map(span), ['5:8-5:22', '8:16-8:17']);
    assert.equal(host.statuses(uri).filter((s) => s.state === 'done').length, 1);
  });

  it('runs nothing in an untrusted workspace: status off, no diagnostics', async () => {
    const host = new MemoryHost();
    const engine = engineFor(host, {}, false);
    const dir = tempModule({ 'm.go': ORDER });
    const uri = host.open(path.join(dir, 'm.go'));
    await engine.onEvent(uri, 'open');
    const s = host.statuses(uri).at(-1)!;
    assert.equal(s.state, 'off');
    assert.equal(s.message, 'untrusted workspace: nothing runs');
    assert.equal(s.runs, 0);
    assert.deepEqual(host.diagnostics(uri), []);
  });
});
