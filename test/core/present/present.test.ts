// The presentation rules (core/present) on real compiler output: paths in the user's words, test helpers'
// parameters, rules as data, the CLI mirroring the editor.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { sourceContext } from '../../../core/present/codeContext';
import { hoverMarkdown } from '../../../core/present/hoverText';
import { userPath } from '../../../core/present/pathWords';
import { findingCounts, present, presentAsync } from '../../../core/present/present';
import { DEFAULT_PRESENT, PRESENT_RULES } from '../../../core/present/rules';
import { GOROOT, REPO, tempModule } from '../../helpers/goEnv';

const KEEP = `package m

var sink any

func Keep(p *int) { sink = p }

func Use() {
	x := 1
	Keep(&x)
}
`;

const TEST = `package m

import "testing"

func TestLog(t *testing.T) {
	n := len(t.Name())
	t.Logf("n=%d", n)
}
`;

describe('presentation rules', function () {
  let sources: SourceCache;
  before(async () => { sources = new SourceCache(await loadGoParser()); });
  const ctx = () => sourceContext((p) => sources.peek(p) ?? sources.get(p));

  it('a step inside an inlined callee names the callee instead of showing its code at the call', async () => {
    const dir = tempModule({ 'm.go': KEEP });
    const r = await analyzePackage({ dir, sources });
    const x = r.findings.find((f) => f.message === 'moved to heap: x')!;
    const steps = userPath(x, ctx()).map((s) => s.text);
    assert.ok(steps.includes('inside `Keep`, inlined here'), steps.join(' | '));
    assert.ok(!steps.some((s) => /sink = p/.test(s)), 'not the callee\'s `sink = p` at the line of Keep(&x)');
    const p = present(r.findings, DEFAULT_PRESENT, ctx());
    const item = p.items.find((i) => i.finding === x)!;
    const md = hoverMarkdown(item, { ctx: ctx(), docUrl: (id) => `#${id}`, shownAsDiagnostic: false });
    assert.match(md, /^\*\*`x`\*\* · L\d/);
    assert.ok(md.split('\n').length <= 16, `short enough to read without scrolling:\n${md}`);
  });

  it('in slices (presentAsync) gives the same items in the same order as in one piece, and lets timers run', async () => {
    // net/http with every finding: thousands of items, so the sort runs in merged runs too.
    const r = await analyzePackage({ dir: path.join(GOROOT, 'src', 'net', 'http'), sources, all: true });
    const settings = { ...DEFAULT_PRESENT, showNonEscaping: true };
    const whole = present(r.findings, settings, ctx());
    assert.ok(whole.items.length > 5000, `${whole.items.length} items`);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const sliced = await presentAsync(r.findings, settings, ctx(), undefined, { sliceMs: 1 });
    clearInterval(timer);
    const view = (p: typeof whole) => p.items.map((i) => `${i.id} ${i.display} ${i.severity} ${i.rules.join(',')} ${i.members.length}`);
    assert.deepEqual(view(sliced), view(whole));
    assert.deepEqual(findingCounts(sliced), findingCounts(whole));
    assert.ok(ticks > 0, 'the event loop ran while presenting');
  });

  it('a testing.T parameter gets no mark, and t.Logf\'s operands are cold (hints)', async () => {
    const dir = tempModule({ 'm.go': KEEP, 'm_test.go': TEST });
    const r = await analyzePackage({ dir, sources, mode: 'test' });
    const p = present(r.findings, DEFAULT_PRESENT, ctx());
    const inTest = p.items.filter((i) => i.finding.file.endsWith('m_test.go'));
    assert.deepEqual(inTest.filter((i) => i.display === 'signature' || i.display === 'squiggle').map((i) => i.message), []);
    const n = inTest.find((i) => i.finding.message === 'n escapes to heap')!;
    assert.equal(n.display, 'hint');
    assert.ok(n.rules.includes('cold-logging'));
    const t = inTest.find((i) => i.finding.kind === 'leaking-param' && i.finding.subject === 't')!;
    assert.equal(t.display, 'hidden', 't is only in the view and the hover');
  });

  it('every rule an item carries is in the rule table, and the table documents each', async () => {
    const r = await analyzePackage({ dir: path.join(REPO, 'fixtures', 'signal'), sources, all: true });
    const p = present(r.findings, { ...DEFAULT_PRESENT, showNonEscaping: true }, ctx());
    const ids = new Set(PRESENT_RULES.map((x) => x.id));
    for (const i of p.items) for (const id of i.rules) assert.ok(ids.has(id), id);
    for (const rule of PRESENT_RULES) assert.ok(rule.setting && rule.does && rule.why, rule.id);
    const c = findingCounts(p);
    assert.equal(c.total, r.findings.length);
    // Turning a cold rule off makes its finding a squiggle again: each is a setting.
    const off = present(r.findings, { ...DEFAULT_PRESENT, cold: { ...DEFAULT_PRESENT.cold, panic: false } }, ctx());
    const panics = p.items.filter((i) => i.rules.includes('cold-panic')).length;
    assert.ok(panics > 0);
    assert.equal(off.squiggles.length, p.squiggles.length + panics);
  });

  it('the CLI prints what the editor draws by default, and everything with --all', () => {
    const dir = path.join(REPO, 'fixtures', 'signal');
    const cli = (...a: string[]) => spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), '--no-color', ...a, dir], { encoding: 'utf8' }).stdout;
    const def = cli();
    assert.match(def, /4 values boxed for fmt\.Printf/);
    assert.match(def, /\(hint: cold-panic\)/);
    assert.doesNotMatch(def, /leaking param/);
    assert.match(def, /shown as the editor does: \d+ squiggles, \d+ hints \(\d+ findings\); \d+ parameter marks at signatures; \d+ more with --all/);
    const all = cli('--all');
    assert.match(all, /leaking param: p/);
    assert.match(all, /"const" escapes to heap/);
  });
});
