// The rewrites for the allocations real code has most, each on its positive and negative cases in
// fixtures/fixes (concat, prealloc, errorf), verified with the live compiler as the server does: fmt.Sprintf
// of several values → concatenation with strconv (the boxing gone from the escape output), a slice
// appended in a range loop → preallocated (allocations per call measured before and after), fmt.Errorf of
// constants and sentinels → a package-level var (its escape gone from the function).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { fixCandidates } from '../../../core/fixes/candidates';
import { applyEdits } from '../../../core/fixes/model';
import { concatenation, splitFormat } from '../../../core/fixes/rewrites';
import { verifyFixes, type VerifiedFix } from '../../../core/fixes/verify';
import { verifyFixAll } from '../../../core/fixes/fixAll';
import { allocsHarness } from '../../../core/fixes/measureAllocs';
import { unusedName } from '../../../core/fixes/syntax';
import { GoSource } from '../../../core/locate/goSource';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding } from '../../../core/model';
import { GOROOT, REPO, tempDir } from '../../helpers/goEnv';

interface Verified { dir: string; file: string; text: string; findings: Finding[]; fixes: VerifiedFix[] }

describe('fixes/rewrites', function () {
  this.timeout(600_000);
  let parser: GoParser;
  let module: string;
  before(async () => {
    parser = await loadGoParser();
    module = path.join(tempDir(), 'fixes');
    fs.cpSync(path.join(REPO, 'fixtures', 'fixes'), module, { recursive: true });
  });

  async function verifiedIn(pkg: string): Promise<Verified> {
    const dir = path.join(module, pkg);
    const file = path.join(dir, `${pkg}.go`);
    const text = fs.readFileSync(file, 'utf8');
    const r = await analyzePackage({ dir, sources: new SourceCache(parser) });
    assert.deepEqual(r.errors, []);
    const src = new GoSource(file, text, parser);
    const candidates = fixCandidates(src, r.findings, { goMinor: 24, packageText: text });
    const fixes = await verifyFixes(candidates, { dir, sources: new SourceCache(parser), files: new Map([[file, src]]), baseline: r.findings, maxBuilds: 40 });
    return { dir, file, text, findings: r.findings, fixes };
  }

  /** The fix's function after the rewrite, checked to build and be gofmt-clean on disk. */
  function applied(v: Verified, fix: VerifiedFix): string {
    const text = applyEdits(v.text, fix.edits);
    fs.writeFileSync(v.file, text);
    try {
      const b = spawnSync('go', ['vet', '.'], { cwd: v.dir, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
      assert.equal(spawnSync(path.join(GOROOT, 'bin', 'gofmt'), ['-l', v.file], { encoding: 'utf8' }).stdout, '');
    } finally {
      fs.writeFileSync(v.file, v.text);
    }
    return text;
  }

  const lineOf = (v: Verified, target: string) => Number(target.slice(v.file.length + 1).split(':')[0]);

  it('splits a format around its verbs, and refuses flags, widths and escapes that could spell a %', () => {
    assert.deepEqual(splitFormat('%s-%d'), { parts: ['', '-', ''], verbs: ['%s', '%d'] });
    assert.deepEqual(splitFormat('a\\"%q\\"=%v%%'), { parts: ['a\\"', '\\"=', '%'], verbs: ['%q', '%v'] });
    for (const bad of ['%5d', '%-s', '%[1]d', '%', '\\x25d', '\\045d']) assert.equal(splitFormat(bad), undefined, bad);
    assert.equal(concatenation(['', '-', ''], ['a', 'strconv.Itoa(b)'], false), 'a + "-" + strconv.Itoa(b)');
    assert.equal(concatenation(['k=', ''], ['v'], true), '("k=" + v)');
  });

  it('Sprintf of several values: strings and integers become a concatenation; floats, widths, Stringers do not', async () => {
    const v = await verifiedIn('concat');
    assert.deepEqual(v.fixes.map((f) => [lineOf(v, f.target), f.kind, f.title]), [
      [6, 'sprintf-concat', 'Use name + "-" + strconv.Itoa(id) — removes 2 boxing allocations'],
      [10, 'sprintf-concat', 'Use (strconv.Quote(s) + "=" + strconv.FormatInt(n, 10)) — removes 2 boxing allocations'],
    ]);
    // The grouped finding's second member names the same fix.
    assert.equal(v.fixes[0].also?.length, 1);
    assert.match(applied(v, v.fixes[0]), /\t"strconv"\n\)\n[\s\S]*\treturn name \+ "-" \+ strconv\.Itoa\(id\)\n/);
    assert.match(applied(v, v.fixes[1]), /\treturn "\[" \+ \(strconv\.Quote\(s\) \+ "=" \+ strconv\.FormatInt\(n, 10\)\)\n/);
  });

  it('fmt.Errorf of constants and sentinels is hoisted; of a parameter or of a reassigned var it is not', async () => {
    const v = await verifiedIn('errorf');
    assert.deepEqual(v.fixes.map((f) => [lineOf(v, f.target), f.title]), [
      [13, 'Hoist to var errCheck — one shared error value, built once'],
      [22, 'Hoist to var errOver — one shared error value, built once'],
      // errors.New of a constant: the sentinel fix there was before.
      [34, 'Hoist to var errReset — one shared error value, 1 allocation less per call'],
    ]);
    const text = applied(v, v.fixes[0]);
    assert.ok(text.includes('var errCheck = fmt.Errorf("check: %w", ErrNegative)\n\nfunc Check(n int) error {\n\tif n < 0 {\n\t\treturn errCheck\n'), text);
    assert.ok(applied(v, v.fixes[1]).includes('var errOver = fmt.Errorf("over %d: %w", limit, io.EOF)\n'));
  });

  it('a slice appended in a range loop is preallocated when allocations per call drop, measured', async () => {
    const v = await verifiedIn('prealloc');
    assert.deepEqual(v.fixes.map((f) => [lineOf(v, f.target), f.kind]), [[6, 'preallocate'], [15, 'preallocate']]);
    for (const f of v.fixes) assert.match(f.title, /^Preallocate (out|keys) — \d+ → 1 allocations per call \(measured\)$/, f.title);
    const [before] = /— (\d+) →/.exec(v.fixes[0].title)!.slice(1).map(Number);
    assert.ok(before >= 2, `64 ints grow the slice more than once: ${v.fixes[0].title}`);
    assert.ok(applied(v, v.fixes[0]).includes('\tvar out []int\n\tout = slices.Grow(out, len(xs))\n\tfor _, x := range xs {\n'));
    assert.ok(applied(v, v.fixes[1]).includes('\tkeys := make([]string, 0, len(m))\n'));
  });

  it('fix-all: the three error hoists of one file verified together; one package file, so no package-wide action', async () => {
    const v = await verifiedIn('errorf');
    const src = new GoSource(v.file, v.text, parser);
    const all = await verifyFixAll(v.fixes, { dir: v.dir, sources: new SourceCache(parser), files: new Map([[v.file, src]]), baseline: v.findings });
    assert.deepEqual(all.map((a) => [a.title, a.file, a.count]), [['Fix all 3 error hoists in this file (each proven)', v.file, 3]]);
    assert.equal(all[0].changes.length, 6, 'each hoist: the call and the declaration');
  });

  it('builds a measurement harness only for plain functions whose inputs it can make, and picks unused names', () => {
    const text = 'package p\n\nimport "io"\n\nfunc A(xs []int, m map[string]bool, n int, s string) {}\n\nfunc B(w io.Writer) {}\n\nfunc C[T any](x T) {}\n\ntype R struct{}\n\nfunc (R) D() {}\n';
    const src = new GoSource('/x/p.go', text, parser);
    const h = allocsHarness(src, 'A')!;
    assert.ok(h.startsWith('package p\n\nimport "testing"\n\nvar escapeLensAllocsTarget = A\n'), h);
    assert.match(h, /a0 := make\(\[\]int, 64\)\n\ta1 := func\(\) map\[string\]bool \{[\s\S]*\ta2 := int\(64\)\n\ta3 := "x"\n/);
    assert.match(h, /testing\.AllocsPerRun\(50, func\(\) \{ escapeLensAllocsTarget\(a0, a1, a2, a3\) \}\)/);
    for (const fn of ['B', 'C', 'D']) assert.equal(allocsHarness(src, fn), undefined, fn);
    assert.equal(unusedName('errX', 'var errX = 1\nvar errX2 = 2', new Set()), 'errX3');
  });
});
