// Real code: how many call-argument / dynamic-call findings of the standard library and of the corpus
// modules (test/helpers/corpus.ts) now have a path that reaches a sink. Printed, per package and in all;
// every path either reaches a sink or says in words where and why it stopped.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { DeepCache } from '../../../core/deep/cache';
import { explainAll } from '../../../core/deep/explainAll';
import type { DeepPath } from '../../../core/model/deep';
import { isDeepCandidate } from '../../../core/deep/walk';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding } from '../../../core/model';
import { CORPUS, CORPUS_DIR } from '../../helpers/corpus';
import { GOROOT } from '../../helpers/goEnv';

const STD = ['net/http', 'encoding/json', 'fmt', 'text/template', 'go/parser'];
const CAUSES = new Set(['call-argument', 'dynamic-call']);

interface Tally { findings: number; candidates: number; sink: number; byStop: Record<string, number>; bySink: Record<string, number> }

function tally(findings: Finding[], paths: Map<Finding, DeepPath>): Tally {
  const t: Tally = { findings: findings.length, candidates: 0, sink: 0, byStop: {}, bySink: {} };
  for (const f of findings) {
    const d = paths.get(f);
    if (!d) continue;
    t.candidates++;
    t.byStop[d.stop] = (t.byStop[d.stop] ?? 0) + 1;
    if (d.sink) { t.sink++; t.bySink[d.sink.kind] = (t.bySink[d.sink.kind] ?? 0) + 1; }
  }
  return t;
}

describe('deep paths on real code', function () {
  let sources: SourceCache;
  const cache = new DeepCache();
  const all: Tally[] = [];
  const notes: string[] = [];
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  const targets = [
    ...STD.map((p) => ({ name: p, dir: path.join(GOROOT, 'src', p), packages: undefined as string[] | undefined })),
    ...CORPUS.map((p) => ({ name: p, dir: CORPUS_DIR, packages: [p] })),
  ];
  for (const t of targets) {
    it(t.name, async () => {
      const r = await analyzePackage({ dir: t.dir, packages: t.packages, sources, timeoutMs: 600_000 });
      assert.deepEqual(r.errors, []);
      const mine = r.findings.filter((f) => CAUSES.has(f.cause) && f.suppressed === undefined);
      const paths = await explainAll(mine, { dir: t.dir, cache, timeoutMs: 600_000 });
      const s = tally(mine, paths);
      all.push(s);
      for (const [f, d] of paths) {
        // Honest: a path that reaches no sink says where and why it stopped.
        assert.ok(d.sink || d.note, `${f.message}: neither a sink nor a note`);
        assert.notEqual(d.stop, 'error', `${f.message}: ${d.note}`);
        if (!d.sink && notes.length < 400) notes.push(d.note!);
      }
      assert.equal(paths.size, mine.filter(isDeepCandidate).length);
      console.log(`        ${t.name}: ${s.findings} call-argument/dynamic-call findings, ${s.candidates} end at a call, ` +
        `${s.sink} reach a sink (${pct(s.sink, s.findings)} of all, ${pct(s.sink, s.candidates)} of those at a call); ` +
        `stops ${JSON.stringify(s.byStop)}; sinks ${JSON.stringify(s.bySink)}`);
    });
  }

  after(() => {
    const sum = (k: 'findings' | 'candidates' | 'sink') => all.reduce((n, t) => n + t[k], 0);
    console.log(`        all: ${sum('sink')} of ${sum('findings')} call-argument/dynamic-call findings reach a sink (${pct(sum('sink'), sum('findings'))}); ` +
      `${sum('sink')} of ${sum('candidates')} whose path ends at a call (${pct(sum('sink'), sum('candidates'))}); ${cache.runs} go commands`);
    const reasons = new Map<string, number>();
    for (const n of notes) {
      const k = n.replace(/\S+\.go:\d+/g, 'F').replace(/[\w./*()]+\.\w+/g, 'X').slice(0, 70);
      reasons.set(k, (reasons.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`          not reached (${n}): ${k}`);
  });
});

function pct(a: number, b: number): string {
  return b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`;
}
