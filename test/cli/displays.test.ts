// --json and --sarif say how the editor shows each finding: on one package, the language server's
// squiggles are exactly the CLI's `display: "squiggle"` findings, its hints the `hint` ones, and every
// finding carries a display, the rule that decided it and its item.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRESENT_RULES } from '../../core/present/rules';
import { LspClient } from '../helpers/lspClient';
import { REPO, tempDir } from '../helpers/goEnv';

const CLI = path.join(REPO, 'dist', 'cli.js');

/** Code for the rules beside fixtures/signal's: constructors, reused and caller buffers, error branches, a switch. */
const RULES = `package signal

import "strconv"

type Buf struct{ b []byte }

func NewBuf() *Buf { return &Buf{b: make([]byte, 0, 64)} }

func (x *Buf) Put(n int) { x.b = strconv.AppendInt(x.b[:0], int64(n), 10) }

func AppendName(dst []byte, name string) []byte { return append(dst, name...) }

func Names(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func Level(l int) []byte {
	switch l {
	case 0:
		return []byte("debug")
	default:
		return []byte("info")
	}
}
`;

interface JsonFinding { file: string; range: { start: { line: number; character: number } }; message: string; display: string; rule: string; item: number; severity: string }

const key = (f: { file: string; range: { start: { line: number; character: number } }; message: string }) =>
  `${path.basename(f.file)}:${f.range.start.line}:${f.range.start.character}:${f.message}`;

describe('the JSON says what the editor shows', function () {
  let c: LspClient | undefined;
  after(async () => { await c?.stop(); });

  it('the editor\'s squiggles are exactly the JSON\'s squiggle findings, its hints the hint ones', async () => {
    const dir = path.join(tempDir(), 'signal');
    fs.cpSync(path.join(REPO, 'fixtures', 'signal'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'rules.go'), RULES);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => path.join(dir, f));

    const r = spawnSync(process.execPath, [CLI, '--json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; findings: JsonFinding[] };
    assert.equal(doc.schemaVersion, 2);
    const rules = new Set(PRESENT_RULES.map((x) => x.id));
    for (const f of doc.findings) {
      assert.ok(['squiggle', 'hint', 'signature', 'hidden', 'grouped'].includes(f.display), `${key(f)}: ${f.display}`);
      assert.ok(rules.has(f.rule), `${key(f)}: rule ${f.rule}`);
      assert.ok(Number.isInteger(f.item) && f.item >= 1);
    }
    // Each item has one drawn finding: the others of its number are `grouped`.
    const byItem = new Map<number, JsonFinding[]>();
    for (const f of doc.findings) byItem.set(f.item, [...(byItem.get(f.item) ?? []), f]);
    for (const [n, list] of byItem) assert.equal(list.filter((f) => f.display !== 'grouped').length, 1, `item ${n}`);

    c = await LspClient.start();
    const editor = { squiggle: new Set<string>(), hint: new Set<string>() };
    const uris = files.map((f) => c!.open(f));
    await c.settled(files[0]);
    // Every open file gets its diagnostics once the package's analysis is published (an empty list included).
    await c.waitFor(() => (uris.every((u) => c!.diagnostics.has(u)) ? true : undefined), 'diagnostics of every file');
    for (const uri of uris) {
      for (const d of c.diagnostics.get(uri) ?? []) {
        const f = d.data as { file?: string; range: JsonFinding['range']; message: string } | undefined;
        if (!f?.file) continue; // contract diagnostics carry no finding
        editor[d.severity === 4 ? 'hint' : 'squiggle'].add(key({ ...f, file: f.file }));
      }
    }
    const json = (display: string) => new Set(doc.findings.filter((f) => f.display === display).map(key));
    assert.ok(editor.squiggle.size >= 5, [...editor.squiggle, '--', ...editor.hint, '--', ...json('squiggle')].join('\n'));
    assert.deepEqual([...editor.squiggle].sort(), [...json('squiggle')].sort());
    assert.deepEqual([...editor.hint].sort(), [...json('hint')].sort());
    // The rules of this file decided what they are written for.
    const at = (text: string) => doc.findings.filter((f) => f.file.endsWith('rules.go') && RULES.split('\n')[f.range.start.line]?.includes(text) && f.display !== 'hidden');
    assert.ok(at('func NewBuf').every((f) => f.display === 'hint' && f.rule === 'constructor'));
    assert.ok(at('return append(dst').some((f) => f.rule === 'conditional-append'));
    assert.ok(at('out = append(out').some((f) => f.display === 'squiggle'));
    assert.equal(new Set(at('return []byte(').map((f) => f.item)).size, 1, 'the cases of one switch are one item');
    console.log(`        ${editor.squiggle.size} squiggles and ${editor.hint.size} hints in the editor; ${doc.findings.length} findings in the JSON`);
  });

  it('SARIF results carry the display, the rule and the item', () => {
    const dir = path.join(tempDir(), 'signal');
    fs.cpSync(path.join(REPO, 'fixtures', 'signal'), dir, { recursive: true });
    const out = path.join(tempDir(), 'out.sarif');
    const r = spawnSync(process.execPath, [CLI, '--sarif', out, '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const sarif = JSON.parse(fs.readFileSync(out, 'utf8')) as { runs: { results: { properties: Record<string, unknown> }[] }[] };
    const results = sarif.runs[0].results.filter((x) => x.properties.kind !== undefined);
    assert.ok(results.length > 0);
    for (const x of results) {
      assert.ok(typeof x.properties.display === 'string' && typeof x.properties.displayRule === 'string' && typeof x.properties.item === 'number', JSON.stringify(x.properties));
    }
    assert.ok(results.some((x) => x.properties.display === 'squiggle'));
  });
});
