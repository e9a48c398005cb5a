// Real code — std packages from GOROOT and popular third-party modules pinned in test/corpus — analysed by
// the live compiler. Per package the test prints the figures of issues 7 and 22 and holds them:
// every heap finding classified, one finding per range and words, no issue-22 pattern, no finding without a flow where the compiler printed
// one, exact ranges that say what the message names (≤ 0.5 % not), unsafe-pointer only where the user's
// line converts, ranges on the compiler's line. Causes are counted over all packages (README: precision).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage, type PackageAnalysis } from '../../core/analysis/analyzePackage';
import { loadGoParser } from '../../core/locate/goParser';
import { SourceCache } from '../../core/locate/sourceCache';
import { HEAP_KINDS } from '../../core/model';
import { posKey } from '../../core/parse/lines';
import { auditFindings, type Audit } from '../helpers/audit';
import { CORPUS, CORPUS_DIR, MEASURE, MEASURE_DIR } from '../helpers/corpus';
import { GOROOT } from '../helpers/goEnv';

const STD = ['net/http', 'encoding/json', 'fmt', 'text/template', 'go/parser'];

describe('real code', function () {
  let sources: SourceCache;
  const causes = new Map<string, number>();
  before(async () => { sources = new SourceCache(await loadGoParser()); });
  after(() => {
    console.log(`        causes over all packages: ${[...causes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  });

  // The measure-only corpus: figures printed, nothing asserted (never tuned to).
  for (const pkg of MEASURE) {
    it(`measures ${pkg}`, async () => {
      const r = await analyzePackage({ dir: MEASURE_DIR, packages: [pkg], sources, all: true, timeoutMs: 600_000 });
      console.log(`        measured ${pkg}: ${auditFindings(r).line}`);
    });
  }

  for (const pkg of [...STD, ...CORPUS]) {
    describe(pkg, () => {
      let r: PackageAnalysis;
      let a: Audit;
      before(async () => {
        r = STD.includes(pkg)
          ? await analyzePackage({ dir: path.join(GOROOT, 'src', pkg), sources, all: true, timeoutMs: 600_000 })
          : await analyzePackage({ dir: CORPUS_DIR, packages: [pkg], sources, all: true, timeoutMs: 600_000 });
        assert.deepEqual(r.errors, []);
        a = auditFindings(r);
        console.log(`        ${pkg}: ${a.line}`);
        for (const f of r.findings) if (HEAP_KINDS.has(f.kind)) causes.set(f.cause, (causes.get(f.cause) ?? 0) + 1);
      });

      it('classifies every heap finding', () => {
        assert.ok(a.heap > 20);
        assert.equal(a.unclassified, 0, a.samples.unclassified.slice(0, 10).join('\n'));
      });

      it('has one finding per range and words (generic copies merged), and no issue 22 pattern', () => {
        assert.equal(a.sameWords, 0, a.samples.sameWords.slice(0, 10).join('\n'));
        assert.deepEqual(Object.entries(a.patterns).filter(([, v]) => v > 0), [], a.samples.patterns.slice(0, 10).join('\n'));
      });

      it('joins every explanation the compiler printed to its finding', () => {
        assert.equal(a.noFlow, 0, a.samples.noFlow.slice(0, 10).join('\n'));
      });

      it('spans what each exact finding names (≤ 0.5 % not), on the compiler\'s line', () => {
        assert.ok(a.exactMismatch <= a.exact * 0.005, a.samples.mismatch.slice(0, 10).join('\n'));
        assert.equal(a.offLine, 0, a.samples.offLine.slice(0, 10).join('\n'));
      });

      it('says unsafe-pointer only where the user\'s line uses unsafe', () => {
        assert.equal(a.unsafeWithoutUnsafe, 0, a.samples.unsafe.join('\n'));
      });

      it('gives approximate ranges only to code inlined at a call or compiler-made names', () => {
        const inlined = new Set(r.findings.filter((f) => f.kind === 'inlining-call').map((f) => posKey(f.pos)));
        const wrong = r.findings.filter((f) => HEAP_KINDS.has(f.kind) && f.file.endsWith('.go') && !f.exact
          && !inlined.has(posKey(f.pos)) && !/~|autotmp|#|\.\.\./.test(f.subject) && !f.subject.includes('.'))
          .map((f) => `${path.basename(f.file)}:${f.pos.line}:${f.pos.col} ${f.message}`);
        assert.ok(wrong.length <= a.heap * 0.005, wrong.slice(0, 10).join('\n'));
      });
    });
  }
});
