// Verification against the real compiler: each candidate's rewrite (through -overlay) must build, be
// gofmt-clean and remove its escape; fmt boxing is first resolved by asking the compiler the argument's
// type; an import left unused is dropped on the second try. Candidates that fail any check are not offered.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { fixCandidates } from '../../../core/fixes/candidates';
import { applyEdits, type FixCandidate } from '../../../core/fixes/model';
import { verifyFixes } from '../../../core/fixes/verify';
import { GoSource } from '../../../core/locate/goSource';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding } from '../../../core/model';
import { FIXABLE, fixableModule } from '../../helpers/fixModule';
import { GOROOT } from '../../helpers/goEnv';

describe('fixes/verify', function () {
  this.timeout(600_000);
  let parser: GoParser;
  let dir: string;
  let file: string;
  let findings: Finding[];
  let files: Map<string, GoSource>;
  before(async () => {
    parser = await loadGoParser();
    dir = fixableModule();
    file = path.join(dir, 'a.go');
    const r = await analyzePackage({ dir, sources: new SourceCache(parser) });
    assert.deepEqual(r.errors, []);
    findings = r.findings;
    files = new Map([[file, new GoSource(file, FIXABLE, parser)]]);
  });
  const opts = () => ({ dir, sources: new SourceCache(parser), files, baseline: findings });

  it('verifies the sentinel error and the loop-variable copy: each rewrite builds, is gofmt-clean and removes its escape', async () => {
    const candidates = fixCandidates(files.get(file)!, findings, { goMinor: 21, packageText: FIXABLE }).filter((c) => c.kind !== 'fmt-boxing');
    const verified = await verifyFixes(candidates, opts());
    assert.deepEqual(verified.map((v) => v.kind).sort(), ['loop-var-copy', 'sentinel-error']);
    for (const v of verified) assert.deepEqual(v.edits, candidates.find((c) => c.kind === v.kind)!.edits, 'no import to change');

    // Each verified text builds and is gofmt-clean on its own, as the check promised.
    for (const v of verified) {
      const text = applyEdits(FIXABLE, v.edits);
      fs.writeFileSync(file, text);
      try {
        const b = spawnSync('go', ['build', '-o', process.platform === 'win32' ? 'NUL' : '/dev/null', '.'], { cwd: dir, encoding: 'utf8' });
        assert.equal(b.status, 0, `${v.kind}: ${b.stderr}`);
        const f = spawnSync(path.join(GOROOT, 'bin', 'gofmt'), ['-l', file], { encoding: 'utf8' });
        assert.equal(f.stdout, '', `${v.kind} not gofmt-clean`);
      } finally {
        fs.writeFileSync(file, FIXABLE);
      }
    }
  });

  it('resolves fmt boxing in a module beside the temp dir (the go command names the probe file relatively)', async () => {
    const candidates = fixCandidates(files.get(file)!, findings, { goMinor: 21, packageText: FIXABLE }).filter((c) => c.kind === 'fmt-boxing');
    const verified = await verifyFixes(candidates, opts());
    assert.deepEqual(verified.map((v) => v.title), ['Use strconv.Itoa(n) — removes 1 heap allocation']);
  });

  it('stops at maxBuilds, and verifies nothing once the signal is aborted', async () => {
    const candidates = fixCandidates(files.get(file)!, findings, { goMinor: 21, packageText: FIXABLE }).filter((c) => c.kind !== 'fmt-boxing');
    assert.equal((await verifyFixes(candidates, { ...opts(), maxBuilds: 1 })).length, 1);
    const ac = new AbortController();
    ac.abort();
    assert.deepEqual(await verifyFixes(candidates, { ...opts(), signal: ac.signal }), []);
  });

  it('drops a candidate whose rewrite does not build, or leaves its escape in place', async () => {
    const n = findings.find((f) => f.message === 'n escapes to heap')!;
    const target = `${file}:${n.pos.line}:${n.pos.col}:${n.message}`;
    const at = FIXABLE.indexOf('fmt.Sprint(n)');
    const broken: FixCandidate = { kind: 'fmt-boxing', target, title: 'broken', edits: [{ file, start: at, end: at + 13, newText: 'strconv.Itoa(n)' }] };
    // fmt.Sprint of another boxed value: it builds, but n still escapes.
    const useless: FixCandidate = { kind: 'fmt-boxing', target, title: 'useless', edits: [{ file, start: at, end: at + 13, newText: 'fmt.Sprint(n, "")' }] };
    assert.deepEqual(await verifyFixes([broken, useless], opts()), []);
    // The same rewrite with its import: fmt is then unused (Label was its only user) and dropped on the second try.
    const good: FixCandidate = { ...broken, title: 'good', addImports: ['strconv'], maybeUnusedImports: ['fmt'] };
    const [v] = await verifyFixes([good], opts());
    assert.equal(v?.title, 'good');
    const text = applyEdits(FIXABLE, v.edits);
    assert.ok(text.includes('import (\n\t"errors"\n\t"strconv"\n)\n') && text.includes('\treturn strconv.Itoa(n)\n'), text);
  });
});
