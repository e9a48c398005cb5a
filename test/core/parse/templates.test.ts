// The summary templates: what each message of the compiler is, with its subject and details; and the
// cheap pre-test of every template never rejecting a line its expression matches, on real -m=2 output.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { matchTemplate, TEMPLATES } from '../../../core/parse/templates';
import { splitPositioned } from '../../../core/parse/lines';
import { tempDir } from '../../helpers/goEnv';

describe('parse/templates matchTemplate', function () {
  this.timeout(300_000);

  it('reads each kind of summary line with its subject and details', () => {
    assert.deepEqual(matchTemplate('moved to heap: x'), { kind: 'moved-to-heap', subject: 'x' });
    assert.deepEqual(matchTemplate('&T{...} escapes to heap'), { kind: 'escapes', subject: '&T{...}' });
    assert.deepEqual(matchTemplate('leaking param: p to result ~r0 level=0'), { kind: 'leaking-param-result', subject: 'p', detail: { result: '~r0', level: 0 } });
    assert.deepEqual(matchTemplate('leaking param: p'), { kind: 'leaking-param', subject: 'p' });
    assert.deepEqual(matchTemplate('leaking param content: t'), { kind: 'leaking-param-content', subject: 't' });
    assert.deepEqual(matchTemplate('make([]byte, n) does not escape'), { kind: 'does-not-escape', subject: 'make([]byte, n)' });
    assert.deepEqual(matchTemplate('Go capturing by value: x (addr=false assign=false width=8)'),
      { kind: 'capture', subject: 'x', detail: { function: 'Go', by: 'value', addr: false, assign: false, width: 8 } });
    assert.deepEqual(matchTemplate('can inline Store with cost 9 as: func() { t := &T{}; global = t }'), { kind: 'can-inline', subject: 'Store', detail: { cost: 9 } });
    assert.deepEqual(matchTemplate('can inline slices.SortFunc[go.shape.struct { A int }]'), { kind: 'can-inline', subject: 'slices.SortFunc[go.shape.struct { A int }]', detail: undefined });
    assert.deepEqual(matchTemplate('cannot inline Go: unhandled op GO'), { kind: 'cannot-inline', subject: 'Go', detail: { reason: 'unhandled op GO' } });
    assert.deepEqual(matchTemplate('marking p as escaping ...uintptr'), { kind: 'uintptr', subject: 'p', detail: { how: 'escaping ...uintptr' } });
    assert.deepEqual(matchTemplate('PGO devirtualizing i.M to *T'), { kind: 'devirtualized', subject: 'i.M', detail: { to: '*T' } });
    assert.equal(matchTemplate('x escapes to heap in F:'), undefined, 'an explanation header is no summary');
    assert.equal(matchTemplate('flow: ~r0 ← &x:'), undefined);
  });

  it('never lets a pre-test reject a line its expression matches, on the real output of fmt', () => {
    const r = spawnSync('go', ['build', '-gcflags=fmt=-m=2', '-o', process.platform === 'win32' ? 'NUL' : '/dev/null', 'fmt'], { cwd: tempDir(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    let summaries = 0;
    for (const line of r.stderr.split('\n')) {
      const text = splitPositioned(line)?.text;
      if (text === undefined) continue;
      const brute = TEMPLATES.find((t) => t.re.test(text));
      for (const t of TEMPLATES) if (t.re.test(text)) assert.ok(t.may(text), `${t.re} rejects by its pre-test: ${text}`);
      const got = matchTemplate(text);
      assert.equal(got?.kind, brute?.build(brute.re.exec(text)!).kind, text);
      if (got) summaries++;
    }
    assert.ok(summaries > 500, `${summaries} summaries`);
  });
});
