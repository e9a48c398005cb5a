// On the real-code corpus (test/helpers/corpus.ts): the share of default squiggles that get a proven fix,
// and of which kind, printed per package and over all. Every fix is verified as the server verifies it
// (the escape gone from the compiler's output, or allocations per call measured before and after).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { fixCandidates } from '../../../core/fixes/candidates';
import { targetKey } from '../../../core/fixes/model';
import { verifyFixes, type VerifiedFix } from '../../../core/fixes/verify';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { sourceContext } from '../../../core/present/codeContext';
import { present } from '../../../core/present/present';
import { DEFAULT_PRESENT } from '../../../core/present/rules';
import type { GoSource } from '../../../core/locate/goSource';
import { moduleGoMinor } from '../../../core/run/module';
import { goFilesIn } from '../../../core/util/goFiles';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { CORPUS, CORPUS_DIR } from '../../helpers/corpus';
import { tempDir } from '../../helpers/goEnv';

/**
 * The corpus as a main module whose pinned modules are writable copies (`replace` → ./mods/…): the go
 * command refuses an overlay of files in the module cache, and a fix is verified through an overlay.
 */
function writableCorpus(): { dir: string; dirOf: (pkg: string) => string } {
  const dir = tempDir('gel-corpus-');
  for (const f of ['go.mod', 'go.sum', 'corpus.go']) fs.copyFileSync(path.join(CORPUS_DIR, f), path.join(dir, f));
  const listed = execFileSync('go', ['list', '-f', '{{.ImportPath}} {{.Module.Path}} {{.Module.Dir}} {{.Dir}}', ...CORPUS], { cwd: CORPUS_DIR, encoding: 'utf8' });
  const mods = new Map<string, string>();
  const dirs = new Map<string, string>();
  for (const line of listed.trim().split('\n')) {
    const [pkg, mod, modDir, pkgDir] = line.split(' ');
    if (!mods.has(mod)) {
      const copy = path.join(dir, 'mods', String(mods.size));
      fs.cpSync(modDir, copy, { recursive: true });
      execFileSync('chmod', ['-R', 'u+w', copy]);
      // A module from before modules (`+incompatible`) has no go.mod; a replacement directory needs one.
      if (!fs.existsSync(path.join(copy, 'go.mod'))) fs.writeFileSync(path.join(copy, 'go.mod'), `module ${mod}\n`);
      mods.set(mod, copy);
      fs.appendFileSync(path.join(dir, 'go.mod'), `\nreplace ${mod} => ./mods/${mods.size - 1}\n`);
    }
    dirs.set(pkg, path.join(mods.get(mod)!, path.relative(modDir, pkgDir)));
  }
  return { dir, dirOf: (pkg) => dirs.get(pkg)! };
}

describe('fixes on real code', function () {
  this.timeout(3_600_000);
  let sources: SourceCache;
  const kinds = new Map<string, number>();
  let squiggles = 0;
  let fixed = 0;
  let corpus: ReturnType<typeof writableCorpus>;
  before(async () => {
    sources = new SourceCache(await loadGoParser(), 2000);
    corpus = writableCorpus();
  });
  after(() => {
    console.log(`        all packages: ${fixed} of ${squiggles} default squiggles have a proven fix (${(100 * fixed / Math.max(1, squiggles)).toFixed(1)} %); ` +
      `by kind: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  });

  for (const pkg of CORPUS) {
    it(`${pkg}: the squiggles with a proven fix, by kind`, async () => {
      const dir = corpus.dirOf(pkg);
      const r = await analyzePackage({ dir: corpus.dir, packages: [pkg], sources, timeoutMs: 1_200_000 });
      assert.deepEqual(r.errors, []);
      const read = (p: string) => sources.peek(p) ?? sources.get(p);
      const p = present(r.findings, DEFAULT_PRESENT, sourceContext(read));
      const files = new Map<string, GoSource>();
      for (const i of p.squiggles) { const s = read(i.finding.file); if (s) files.set(s.path, s); }
      const packageText = goFilesIn(dir).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      const ctx = { goMinor: moduleGoMinor(dir), packageText };
      const candidates = [...files.values()].flatMap((s) => fixCandidates(s, r.findings, ctx));
      const verified = candidates.length ? await verifyFixes(candidates, {
        dir: corpus.dir, packages: [pkg], sources, files, baseline: r.findings, maxBuilds: 40, timeoutMs: 600_000,
      }) : [];
      const byTarget = new Map<string, VerifiedFix>();
      for (const v of verified) for (const t of [v.target, ...(v.also ?? [])]) byTarget.set(t, v);
      let mine = 0;
      const mineKinds = new Map<string, number>();
      for (const i of p.squiggles) {
        const v = i.members.map((m) => byTarget.get(targetKey(m))).find((x) => !!x);
        if (!v) continue;
        mine++;
        mineKinds.set(v.kind, (mineKinds.get(v.kind) ?? 0) + 1);
        kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
      }
      squiggles += p.squiggles.length;
      fixed += mine;
      console.log(`        ${pkg}: ${mine} of ${p.squiggles.length} squiggles have a proven fix (${candidates.length} candidates, ${verified.length} verified)` +
        ` ${[...mineKinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      // Every verified fix names a finding of this analysis.
      const keys = new Set(r.findings.map(targetKey));
      for (const v of verified) assert.ok(keys.has(v.target), v.target);
    });
  }
});
