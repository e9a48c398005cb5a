// One analysis of parsed output (core/analysis/recordAnalysis.ts, core/analysis/toFinding.ts,
// core/analysis/classifierFacts.ts), on what the real go command prints.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../../core/analysis/recordAnalysis';
import { factsContext } from '../../../core/analysis/classifierFacts';
import { StepParts } from '../../../core/analysis/toFinding';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { parseOutput } from '../../../core/parse/parse';
import { PathResolver } from '../../../core/locate/resolvePath';
import { SourceCache } from '../../../core/locate/sourceCache';
import { tempModule } from '../../helpers/goEnv';

describe('one analysis of parsed output', function () {
  this.timeout(120_000);
  const sources = new SourceCache();

  it('reports an error the go command prints twice once (go list of several packages repeats a load error)', async () => {
    const dir = tempModule({ 'imp/imp.go': 'package imp\n\nimport "example.com/nope"\n\nvar _ = nope.X\n',
      'ok/ok.go': 'package ok\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n' });
    const printed = spawnSync('go', ['list', '-export', '-f', '{{""}}', '-gcflags=./...=-m=2', './...'], { cwd: dir, encoding: 'utf8' }).stderr;
    assert.equal(printed.match(/no required module provides package example\.com\/nope/g)?.length, 2, printed);
    const a = new Analysis(parseOutput(printed, { exitCode: 1 }), { cwd: dir, exitCode: 1, sources });
    const r = a.finish();
    assert.equal(r.errors.filter((e) => /no required module/.test(e.message)).length, 1, JSON.stringify(r.errors));
    const live = await analyzePackage({ dir, sources, packages: ['./...'] });
    assert.equal(live.errors.filter((e) => /no required module/.test(e.message)).length, 1, JSON.stringify(live.errors));
  });

  it('adds records one at a time and finishes with located findings', () => {
    const dir = tempModule({ 'a.go': 'package m\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n' });
    const printed = spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8' }).stderr;
    const parsed = parseOutput(printed, {});
    const a = new Analysis(parsed, { cwd: dir, sources });
    for (const rec of parsed.records) a.add(rec);
    const r = a.finish();
    assert.deepEqual(r.findings.map((f) => [path.basename(f.file), f.message, f.exact]), [['a.go', 'moved to heap: v', true]]);
  });

  it("answers the classifier's questions from the package's files", () => {
    const dir = tempModule({ 'a.go': 'package m\n\nconst c = 1\n\nfunc F(p int) int { return p + c + g }\n', 'b.go': 'package m\n\nvar g = 2\n' });
    const sourceOf = (p: string) => sources.get(p);
    const facts = factsContext(new PathResolver(dir), sourceOf);
    const at = { path: './a.go', line: 5, col: 21 };
    assert.ok(facts.isConstant(at, 'c'));
    assert.ok(facts.isVariable!(at, 'g'), 'a package-level variable of another file');
    assert.ok(facts.isVariable!(at, 'p'));
    assert.ok(!facts.isVariable!(at, 'c'));
  });

  it('shares one string per flow edge among the steps', () => {
    const parts = new StepParts(() => undefined);
    const flow = { dst: 'a', src: 'b', steps: [] };
    assert.equal(parts.edge(flow), 'a ← b');
    assert.equal(parts.edge({ ...flow }), parts.edge(flow));
  });
});
