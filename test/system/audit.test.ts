// The strict audit (issue 22): 80 heap findings of the real-code corpus drawn with a fixed seed, each
// judged by hand in the order of docs/architecture.md (tiers.md) with the code at the finding read, the
// verdicts committed in fixtures/audit/verdicts.json. The test recomputes our cause and tier for each
// sampled finding and holds the agreement. AUDIT_DUMP=1 prints the sample with its code and flow, for
// judging a new sample.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage } from '../../core/analysis/analyzePackage';
import { cause } from '../../core/classify/causes';
import { loadGoParser } from '../../core/locate/goParser';
import { SourceCache } from '../../core/locate/sourceCache';
import type { Finding } from '../../core/model';
import { auditSample, FRESH_SEED } from '../helpers/auditSample';
import { CORPUS, CORPUS_DIR } from '../helpers/corpus';
import { REPO } from '../helpers/goEnv';

// oursWhenJudged: the cause we gave when the finding was judged (before the rules were fixed after this audit).
interface Verdict { key: string; oursWhenJudged: string; oursTierWhenJudged: string | null; right: string; rightTier: string | null; reason: string }

const VERDICTS = path.join(REPO, 'fixtures', 'audit', 'verdicts.json');
const FRESH = path.join(REPO, 'fixtures', 'audit', 'verdicts-fresh.json');

describe('strict audit of 80 sampled corpus findings', function () {
  this.timeout(1_800_000);
  let sample: Array<{ key: string; finding: Finding }>;
  let fresh: Array<{ key: string; finding: Finding }>;
  before(async () => {
    const sources = new SourceCache(await loadGoParser());
    const byPkg = new Map<string, Finding[]>();
    for (const pkg of CORPUS) {
      const r = await analyzePackage({ dir: CORPUS_DIR, packages: [pkg], sources, timeoutMs: 600_000 });
      assert.deepEqual(r.errors, []);
      byPkg.set(pkg, r.findings);
    }
    sample = auditSample(byPkg);
    fresh = auditSample(byPkg, 80, FRESH_SEED);
    const dumped = process.env.AUDIT_DUMP === 'fresh' ? fresh : process.env.AUDIT_DUMP ? sample : [];
    for (const { key, finding: f } of dumped) console.log(dump(key, f));
  });

  // The figures reached (≥ 95 %, the issue's bar): on the first sample after the rules were fixed on
  // it, 79 causes and 79 tiers of 80; on the fresh sample, judged after those fixes, 75 and 77 before the
  // general fixes it showed (an import alias, a return on the value's line, a folded typed constant).
  it('agrees with the hand verdicts on 79 of 80 causes and 79 of 80 tiers (≥ 95 %)', () => {
    agree(sample, VERDICTS, 79, 79);
  });

  it('agrees on a fresh sample (another seed) on 78 of 80 causes and 79 of 80 tiers', () => {
    agree(fresh, FRESH, 78, 79);
  });
});

function agree(sample: Array<{ key: string; finding: Finding }>, file: string, minCauses: number, minTiers: number): void {
  const verdicts: Verdict[] = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byKey = new Map(verdicts.map((v) => [v.key, v]));
  let causes = 0, tiers = 0;
  const wrong: string[] = [];
  for (const { key, finding: f } of sample) {
    const v = byKey.get(key);
    assert.ok(v, `no verdict for the sampled finding ${key}`);
    if (f.cause === v.right) causes++; else wrong.push(`${key}: ours ${f.cause}, right ${v.right} (${v.reason})`);
    if (f.tier === v.rightTier) tiers++;
  }
  console.log(`        ${path.basename(file)}: causes ${causes}/${sample.length}, tiers ${tiers}/${sample.length}\n${wrong.map((w) => `          ${w}`).join('\n')}`);
  assert.ok(causes >= minCauses, wrong.join('\n'));
  assert.ok(tiers >= minTiers, wrong.join('\n'));
  // Each verdict's right tier is its right cause's tier: the table, not the judge, gives tiers.
  for (const v of verdicts) assert.equal(v.rightTier, cause(v.right).tier, v.key);
}

function dump(key: string, f: Finding): string {
  const lines = fs.readFileSync(f.file, 'utf8').split('\n');
  const at = f.pos.line - 1;
  const code = lines.slice(Math.max(0, at - 3), at + 3).map((l, i) => `${Math.max(0, at - 3) + i + 1 === f.pos.line ? '>' : ' '} ${l}`).join('\n');
  const flow = f.flow.map((s) => `    ${s.why}: ${s.where} (${s.line})`).join('\n');
  return `=== ${key}\n  ours: ${f.cause} ${f.tier} allocates=${f.allocates}${f.inlinedFrom ? ` inlined ${f.inlinedFrom}` : ''}\n${code}\n${flow}\n`;
}
