// Signal over noise, measured on real modules: squiggles per 1,000 lines before (every heap finding drawn)
// and after the presentation rules, per rule; and nothing lost: every finding is in exactly one item, in
// the Escapes view's data and in the CLI's --all.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage } from '../../core/analysis/analyzePackage';
import { loadGoParser } from '../../core/locate/goParser';
import { SourceCache } from '../../core/locate/sourceCache';
import { HEAP_KINDS, isParamSummary, type Finding } from '../../core/model';
import { sourceContext } from '../../core/present/codeContext';
import { countFindings, escapesTree } from '../../core/present/escapesTree';
import { findingCounts, present, type Presentation } from '../../core/present/present';
import { DEFAULT_PRESENT, PRESENT_RULES } from '../../core/present/rules';
import { CORPUS, CORPUS_DIR } from '../helpers/corpus';
import { GOROOT } from '../helpers/goEnv';

const STD = ['net/http', 'encoding/json', 'fmt', 'text/template', 'go/parser'];

interface Measured { pkg: string; lines: number; before: number; after: number; hints: number; signatures: number; findings: number; byRule: Map<string, number> }

function goFiles(dir: string, importPath: string): string[] {
  const out = execFileSync('go', ['list', '-f', '{{.Dir}}\n{{range .GoFiles}}{{.}}\n{{end}}{{range .CgoFiles}}{{.}}\n{{end}}', importPath], { cwd: dir, encoding: 'utf8' });
  const [pkgDir, ...names] = out.trim().split('\n');
  return names.filter(Boolean).map((n) => path.join(pkgDir, n));
}

/** What the editor drew before: every heap finding; boxings that do not allocate as (uncounted) hints. */
function drawnBefore(f: Finding): boolean {
  return HEAP_KINDS.has(f.kind) && f.suppressed === undefined && (f.allocates || isParamSummary(f));
}

function measure(pkg: string, files: string[], findings: Finding[], p: Presentation): Measured {
  const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
  const byRule = new Map<string, number>();
  for (const i of p.items) for (const r of i.rules) byRule.set(r, (byRule.get(r) ?? 0) + i.members.length);
  const inFiles = new Set(files);
  const generated = (f: Finding) => /^\/\/ Code generated .* DO NOT EDIT\.$/m.test(fs.readFileSync(f.file, 'utf8'));
  return {
    pkg, lines, findings: findings.length,
    before: findings.filter((f) => inFiles.has(f.file) && drawnBefore(f) && !generated(f)).length,
    after: p.squiggles.filter((i) => inFiles.has(i.finding.file)).length,
    hints: p.hints.filter((i) => inFiles.has(i.finding.file)).length,
    signatures: p.signatures.filter((i) => inFiles.has(i.finding.file)).length,
    byRule,
  };
}

const per1k = (n: number, lines: number) => (n * 1000 / lines).toFixed(1);

describe('signal over noise on real modules', function () {
  this.timeout(1_800_000);
  let sources: SourceCache;
  const rows: Measured[] = [];
  before(async () => { sources = new SourceCache(await loadGoParser(), 2000); });

  const check = (pkg: string, dir: () => string, packages: string[] | undefined, corpus: boolean) => {
    it(`${pkg}: every finding is in one item, in the Escapes view and counted once`, async () => {
      const r = await analyzePackage({ dir: dir(), packages, sources, all: true, timeoutMs: 1_200_000 });
      assert.deepEqual(r.errors, []);
      const ctx = sourceContext((p) => sources.peek(p) ?? sources.get(p));
      const p = present(r.findings, DEFAULT_PRESENT, ctx);
      // Nothing lost: every finding is a member of exactly one item…
      const seen = new Set<Finding>();
      for (const i of p.items) for (const m of i.members) { assert.ok(!seen.has(m), `twice: ${m.message}`); seen.add(m); }
      assert.equal(seen.size, r.findings.length);
      const c = findingCounts(p);
      assert.equal(c.squiggle + c.hint + c.signature + c.hidden, r.findings.length);
      // …and reachable in the Escapes view, whatever it is grouped by.
      for (const g of ['location', 'cause', 'tier'] as const) {
        const t = escapesTree([{ name: pkg, dir: dir(), items: p.items }], g, { show: 'all' });
        assert.equal(countFindings(t.roots), r.findings.length, `view grouped by ${g}`);
        assert.equal(t.shown, r.findings.length);
      }
      // No line carries two squiggles with the same words.
      const lines = new Set<string>();
      for (const i of p.squiggles) {
        const k = `${i.finding.file}:${i.range.start.line}:${i.message}`;
        assert.ok(!lines.has(k), `duplicate squiggle ${k}`);
        lines.add(k);
      }
      const m = measure(pkg, goFiles(corpus ? CORPUS_DIR : dir(), corpus ? pkg : '.'), r.findings, p);
      (m as Measured & { corpus?: boolean }).corpus = corpus;
      rows.push(m);
      console.log(`        ${pkg}: ${m.lines} lines, squiggles ${m.before} → ${m.after} (${per1k(m.before, m.lines)} → ${per1k(m.after, m.lines)} per 1,000 lines), ` +
        `${m.hints} hints, ${m.signatures} parameter marks`);
    });
  };
  for (const pkg of CORPUS) check(pkg, () => CORPUS_DIR, [pkg], true);
  for (const pkg of STD) check(pkg, () => path.join(GOROOT, 'src', pkg), undefined, false);

  it('third-party library code: at most 40 squiggles per 1,000 lines by default; the table per rule', () => {
    assert.equal(rows.length, CORPUS.length + STD.length);
    const table = (list: Measured[], name: string) => {
      const lines = list.reduce((n, r) => n + r.lines, 0);
      const before = list.reduce((n, r) => n + r.before, 0);
      const after = list.reduce((n, r) => n + r.after, 0);
      console.log(`        ${name}: ${lines} lines; squiggles per 1,000 lines ${per1k(before, lines)} before → ${per1k(after, lines)} after`);
      for (const rule of PRESENT_RULES) {
        const n = list.reduce((s, r) => s + (r.byRule.get(rule.id) ?? 0), 0);
        console.log(`          ${rule.id.padEnd(16)} ${String(n).padStart(6)} findings (${per1k(n, lines)} per 1,000 lines)`);
      }
      return after * 1000 / lines;
    };
    const corpus = rows.filter((r) => (r as Measured & { corpus?: boolean }).corpus);
    const afterCorpus = table(corpus, 'corpus (third-party modules)');
    table(rows.filter((r) => !(r as Measured & { corpus?: boolean }).corpus), 'standard library');
    assert.ok(afterCorpus <= 40, `${afterCorpus.toFixed(1)} squiggles per 1,000 lines`);
  });
});
