// A real module with many benchmarks: go.uber.org/zap/zapcore (pinned in test/corpus/go.mod), every leaf
// benchmark measured and each total checked against a normal `go test -benchmem` run of the same code,
// printed as a table. A writable copy of the module: go test needs its test dependencies and a build dir.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { measurePackage, type PackageMeasurement } from '../../../core/analysis/measurePackage';
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
    const reference = benchmem(dir);
    const plainMs = Date.now() - t1;
    const rows = [...reference.values()].map((ref) => {
      const m = r.measurements.find((x) => x.benchmark === ref.name);
      const a = m && accounted(m);
      const ok = !!a && addsUp(a.bytesPerOp, ref.bytesPerOp) && addsUp(a.allocsPerOp, ref.allocsPerOp);
      return { name: ref.name, ref, m, a, ok };
    });
    console.log([
      `${'benchmark'.padEnd(48)} ${'go test B/op'.padStart(12)} ${'allocs'.padStart(6)} | ${'findings'.padStart(9)} ${'other'.padStart(7)} ${'total'.padStart(8)} ${'allocs'.padStart(6)} | ok`,
      ...rows.map(({ name, ref, m, a, ok }) => `${name.padEnd(48)} ${String(ref.bytesPerOp).padStart(12)} ${String(ref.allocsPerOp).padStart(6)} | ` +
        `${(m ? num(m.explained.bytesPerOp, 1) : '-').padStart(9)} ${(m && a ? num(a.bytesPerOp - m.explained.bytesPerOp, 1) : '-').padStart(7)} ` +
        `${(a ? num(a.bytesPerOp, 1) : '-').padStart(8)} ${(a ? num(a.allocsPerOp) : '-').padStart(6)} | ${ok ? 'yes' : 'NO'}`),
      `measured in ${(measuredMs / 1000).toFixed(1)} s (analysis included); plain go test -bench=. -benchmem: ${(plainMs / 1000).toFixed(1)} s`,
    ].join('\n'));
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.measurements.map((m) => m.benchmark), [...reference.keys()]);
    assert.deepEqual(rows.filter((x) => !x.ok).map((x) => x.name), []);
    for (const m of r.measurements) assert.ok(m.explained.share <= 1 && m.sites.every((s) => s.bytesPerOp >= 0 && s.allocsPerOp >= 0), m.benchmark);
  });
});
