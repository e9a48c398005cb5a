// Many packages analysed as their one go command prints them (core/analysis/streamedPackages.ts): the
// same parts as the analysis of the whole output; a failed build leaves it to the caller.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeAsItComes } from '../../../core/analysis/streamedPackages';
import { analyzePackages } from '../../../core/analysis/analyzePackages';
import { startPackagesBuild } from '../../../core/analysis/packagesBuild';
import type { AnalyzePackagesOptions } from '../../../core/analysis/packagesModel';
import { packageFiles } from '../../../core/contracts/packageContracts';
import { SourceCache } from '../../../core/locate/sourceCache';
import { tempModule } from '../../helpers/goEnv';

const A = 'package a\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n';
const B = 'package b\n\nimport "example.com/m/a"\n\nfunc Use() { x := 1; a.Keep(x); p := &x; _ = p }\n';

describe('packages analysed as the go command prints them', function () {
  this.timeout(120_000);
  const sources = new SourceCache();

  function setup(files: Record<string, string>): { opts: AnalyzePackagesOptions; listed: { importPath: string; dir: string }[]; files: Map<string, Map<string, string>> } {
    const root = tempModule(files);
    const listed = [{ importPath: 'example.com/m/a', dir: path.join(root, 'a') }, { importPath: 'example.com/m/b', dir: path.join(root, 'b') }];
    const opts: AnalyzePackagesOptions = { root, pattern: './...', dirs: listed.map((p) => p.dir), sources };
    return { opts, listed, files: new Map(listed.map((p) => [p.dir, packageFiles(p.dir, false)])) };
  }

  it('gives each package the parts the whole output gives', async () => {
    const { opts, listed, files } = setup({ 'a/a.go': A, 'b/b.go': B });
    const told: string[] = [];
    const streamed = await analyzeAsItComes({ ...opts, onPart: (p) => told.push(p.dir) }, startPackagesBuild(opts), listed, files);
    assert.ok(streamed?.streamed);
    const whole = await analyzePackages(opts);
    assert.equal(whole.streamed, false);
    const strip = (parts: { dir: string; findings: unknown[]; errors: unknown[] }[]) => JSON.stringify(parts.map((p) => [p.dir, p.findings, p.errors]));
    assert.equal(strip(streamed!.parts), strip(whole.parts));
    assert.deepEqual([...told].sort(), listed.map((p) => p.dir).sort());
    assert.ok(streamed!.parts.every((p) => p.findings.length > 0));
  });

  it('is undefined when the build fails (the caller analyses the whole output)', async () => {
    const { opts, listed, files } = setup({ 'a/a.go': A, 'b/b.go': 'package b\n\nfunc F() int { return missing }\n' });
    assert.equal(await analyzeAsItComes(opts, startPackagesBuild(opts), listed, files), undefined);
  });
});
