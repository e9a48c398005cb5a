// checkContracts on a real package: the findings of the real analysis and the compiler's own output
// against //escape:noheap (function, allowed cause, variable) and //gcassert:noescape.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { cause } from '../../../core/classify/causes';
import { checkContracts, isHeapCause, needsBoundsCheckOutput } from '../../../core/contracts/check';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding } from '../../../core/model';
import { tempModule } from '../../helpers/goEnv';

const SOURCE = `package m

import "fmt"

var sink any

//escape:noheap
func Hot(n int) string {
	return fmt.Sprint(n)
}

//escape:noheap allow=interface-conversion
func Allowed(n int) string {
	return fmt.Sprint(n)
}

func Stmt() *int {
	x := 1 //escape:noheap
	return &x
}

func Keep(n int) int {
	sink = n //gcassert:noescape
	y := n + 1 //gcassert:noescape
	return y
}
`;

describe('contracts/check checkContracts', function () {
  this.timeout(300_000);
  let dir: string;
  let file: string;
  let findings: Finding[];
  let output: string;
  before(async () => {
    dir = tempModule({ 'a.go': SOURCE });
    file = path.join(dir, 'a.go');
    const r = await analyzePackage({ dir, sources: new SourceCache(await loadGoParser()) });
    assert.deepEqual(r.errors, []);
    findings = r.findings;
    const b = spawnSync('go', ['build', '-gcflags=-m=2', '-o', process.platform === 'win32' ? 'NUL' : '/dev/null', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    output = b.stderr;
  });
  const lineOf = (s: string) => SOURCE.split('\n').findIndex((l) => l.includes(s));

  it('reports each allocation a contract forbids, and none it allows', () => {
    const report = checkContracts({ files: new Map([[file, SOURCE]]), findings, output, cwd: dir });
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.violations.map((v) => [v.rule, v.range.start.line, v.directive.scope, v.directive.target]), [
      ['noheap', lineOf('return fmt.Sprint(n)'), 'function', 'Hot'],
      ['noheap', lineOf('x := 1'), 'variable', 'x'],
      ['gcassert-noescape', lineOf('sink = n'), 'line', undefined],
    ]);
    const [hot, x, sink] = report.violations;
    assert.equal(hot.message, `Contract broken (//escape:noheap): Hot must not allocate, but n escapes to heap — ${cause('interface-conversion').title}, L3 dynamic`);
    assert.equal(hot.finding?.cause, 'interface-conversion');
    assert.match(x.message, /^Contract broken \(\/\/escape:noheap\): x must stay on the stack, but moved to heap: x — /);
    assert.equal(sink.message, `Contract broken (gcassert:noescape): n escapes to heap — ${cause('interface-conversion').title}`);
    assert.equal(sink.file, file);
  });

  it('reads the output only when a gcassert directive needs it, and nothing without directives', () => {
    const noGcassert = SOURCE.replace(/ \/\/gcassert:noescape/g, '');
    const report = checkContracts({ files: new Map([[file, noGcassert]]), findings, output: () => assert.fail('output read'), cwd: dir });
    assert.equal(report.violations.length, 2);
    const none = checkContracts({ files: new Map([[file, 'package m\n']]), findings, output: () => assert.fail('output read'), cwd: dir });
    assert.deepEqual(none, { directives: [], violations: [], problems: [] });
  });

  it('does not hold suppressed findings against a contract', () => {
    const reviewed = findings.map((f) => (f.function === 'Hot' ? { ...f, suppressed: 'reviewed' } : f));
    const report = checkContracts({ files: new Map([[file, SOURCE]]), findings: reviewed, output, cwd: dir });
    assert.ok(!report.violations.some((v) => v.directive.target === 'Hot'));
  });

  it('asks for bounds-check output only for gcassert:bce, and knows heap causes', () => {
    assert.ok(needsBoundsCheckOutput(['x', 'a[i] //gcassert:bce']));
    assert.ok(needsBoundsCheckOutput(['a[i] // gcassert:inline,bce']));
    assert.ok(!needsBoundsCheckOutput([SOURCE]));
    assert.ok(isHeapCause('interface-conversion') && !isHeapCause('stack') && !isHeapCause('nope'));
  });
});
