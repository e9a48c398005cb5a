// A real module with many benchmarks: go.uber.org/zap/zapcore (pinned in test/corpus/go.mod), every leaf
// benchmark measured and each total (findings and the rest) checked against a normal go test -benchmem
// run (go test's default -benchtime), printed as a table. Where the normal run differs, the benchmark's
// go test figure depends on b.N or moves between runs, and the table says how: its range over two normal
// runs holds the measurement's figure; or allocations made once inside the timed
// region (a buffer grown once), which go test divides by b.N and the measurement's difference of two runs
// leaves out, so the normal figure lies between the measurement's and go test's own at the measurement's
// smaller b.N; or a -benchmem run at the measurement's b.N gives the measurement's figures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { measurePackage, type PackageMeasurement } from '../../../core/analysis/measurePackage';
import { leafPattern } from '../../../core/measure/leaves';
import { num } from '../../../core/measure/format';
import { corpusDir } from '../../helpers/corpus';
import { tempDir } from '../../helpers/goEnv';
import { accounted, addsUp, benchmem } from '../../helpers/benchmem';

describe('measure: a real module (go.uber.org/zap/zapcore), every benchmark against go test -benchmem', () => {
  it('measures each leaf benchmark and accounts for go test\'s B/op and allocs/op', async () => {
    const module = path.dirname(corpusDir('go.uber.org/zap/zapcore'));
    const copy = tempDir();
    fs.cpSync(module, copy, { recursive: true });
    for (const f of fs.readdirSync(copy, { recursive: true, withFileTypes: true })) fs.chmodSync(path.join(f.parentPath, f.name), f.isDirectory() ? 0o755 : 0o644);
    fs.chmodSync(copy, 0o755);
    const dir = path.join(copy, 'zapcore');
    const sources = new SourceCache(await loadGoParser());
    const t0 = Date.now();
    const r: PackageMeasurement = await measurePackage({ dir, sources });
    const measuredMs = Date.now() - t0;
    const t1 = Date.now();
    const normal = benchmem(dir);
    const plainMs = Date.now() - t1;
    let second: ReturnType<typeof benchmem> | undefined;
    const normalAgain = () => (second ??= benchmem(dir));
    const rows = [...normal.values()].map((ref) => {
      const m = r.measurements.find((x) => x.benchmark === ref.name);
      const a = m && accounted(m);
      const own = !!m && !!a && addsUp(a.bytesPerOp, m.goTest.bytesPerOp) && addsUp(a.allocsPerOp, m.goTest.allocsPerOp);
      let vsNormal = !!a && addsUp(a.bytesPerOp, ref.bytesPerOp) && addsUp(a.allocsPerOp, ref.allocsPerOp) ? 'yes' : 'no';
      const between = (x: number, lo: number, hi: number) => x >= lo * 0.99 && x <= hi * 1.01;
      if (vsNormal === 'no' && m && a && m.goTest.n < ref.n && between(ref.bytesPerOp, a.bytesPerOp, m.goTest.bytesPerOp)
        && addsUp(a.allocsPerOp, ref.allocsPerOp)) vsNormal = `once-per-run allocations: go test ${m.goTest.bytesPerOp} B/op at N=${m.goTest.n}, ${ref.bytesPerOp} at N=${ref.n}`;
      if (vsNormal === 'no' && a) {
        // go test's own figure moves between two normal runs when a benchmark's allocations follow the
        // clock or a pool's history: within the range of two normal runs, 1 % either side.
        const again = normalAgain().get(ref.name);
        const inRange = (x: number, p: number, q: number) => x >= Math.min(p, q) * 0.99 && x < (Math.max(p, q) + 1) * 1.01;
        if (again && !addsUp(again.bytesPerOp, ref.bytesPerOp) && inRange(a.bytesPerOp, ref.bytesPerOp, again.bytesPerOp)
          && inRange(a.allocsPerOp, ref.allocsPerOp, again.allocsPerOp)) vsNormal = `go test's range: ${ref.bytesPerOp}–${again.bytesPerOp} B/op in two normal runs`;
      }
      if (vsNormal === 'no' && m && a) {
        const same = benchmem(dir, leafPattern(m.benchmark), `${m.goTest.n}x`).get(m.benchmark);
        vsNormal = same && addsUp(a.bytesPerOp, same.bytesPerOp) && addsUp(a.allocsPerOp, same.allocsPerOp)
          ? `b.N: ${same.bytesPerOp} B/op ${same.allocsPerOp} allocs at N=${m.goTest.n}` : 'NO';
      }
      return { ref, m, a, own, vsNormal };
    });
    console.log([
      `${'benchmark'.padEnd(48)} ${'normal B/op'.padStart(11)} ${'allocs'.padStart(6)} | ${'N'.padStart(6)} ${'own B/op'.padStart(9)} ${'allocs'.padStart(6)} | ` +
        `${'findings'.padStart(9)} ${'rest'.padStart(8)} ${'total'.padStart(9)} ${'allocs'.padStart(6)} | own | normal`,
      ...rows.map(({ ref, m, a, own, vsNormal }) => `${ref.name.padEnd(48)} ${String(ref.bytesPerOp).padStart(11)} ${String(ref.allocsPerOp).padStart(6)} | ` +
        `${String(m?.goTest.n ?? '-').padStart(6)} ${String(m?.goTest.bytesPerOp ?? '-').padStart(9)} ${String(m?.goTest.allocsPerOp ?? '-').padStart(6)} | ` +
        `${(m ? num(m.explained.bytesPerOp, 1) : '-').padStart(9)} ${(m && a ? num(a.bytesPerOp - m.explained.bytesPerOp, 1) : '-').padStart(8)} ` +
        `${(a ? num(a.bytesPerOp, 1) : '-').padStart(9)} ${(a ? num(a.allocsPerOp) : '-').padStart(6)} | ${own ? 'yes' : 'no '} | ${vsNormal}`),
      `measured in ${(measuredMs / 1000).toFixed(1)} s (analysis included); plain go test -run='^$' -bench=. -benchmem: ${(plainMs / 1000).toFixed(1)} s`,
    ].join('\n'));
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.measurements.map((m) => m.benchmark), [...normal.keys()]);
    assert.deepEqual(rows.filter((x) => x.vsNormal === 'NO').map((x) => x.ref.name), [], 'findings and the rest add up to a normal run\'s figures, or the difference is b.N\'s');
    for (const m of r.measurements) assert.ok(m.explained.share <= 1 && m.sites.every((s) => s.bytesPerOp >= 0 && s.allocsPerOp >= 0), m.benchmark);
  });
});
