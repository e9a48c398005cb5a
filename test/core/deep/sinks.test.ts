// The sink table and its rules: which causes a sink refines, builtins and packages that are sinks, and the
// sink met inside an explanation (steps in the compiler's own words).
import * as assert from 'node:assert/strict';
import { builtinSink, packageSink, refinedCause, sinkInside, SINKS, terminalSink } from '../../../core/deep/sinks';
import { CAUSES } from '../../../core/classify/causes';
import type { RawExplanation, RawStep } from '../../../core/model';

const AT = { path: '/go/src/p/p.go', line: 3, col: 4 };
const step = (where: string, why: string): RawStep => ({ where, why, at: AT });
const block = (steps: RawStep[], dst = '{heap}', src = 'a'): RawExplanation => ({ kind: 'leak', subject: 'a', to: '{heap}', flows: [{ dst, src, steps }] });

describe('deep/sinks', () => {
  it('maps every sink with a cause to a cause of the cause table', () => {
    const ids = new Set(CAUSES.map((c) => c.id));
    for (const [k, row] of Object.entries(SINKS)) if (row.cause) assert.ok(ids.has(row.cause), `${k} → ${row.cause}`);
  });

  it('refines only the causes that say the callee decides, and only to a different cause', () => {
    assert.equal(refinedCause('call-argument', 'stored'), 'stored-in-heap');
    assert.equal(refinedCause('param-leak-content', 'interface-call'), 'dynamic-call');
    assert.equal(refinedCause('param-leak', 'goroutine'), 'goroutine');
    assert.equal(refinedCause('interface-conversion', 'stored'), undefined);
    assert.equal(refinedCause('closure-capture', 'reflection'), undefined);
    assert.equal(refinedCause('call-argument', undefined), undefined);
    // panic has no cause of its own: the finding keeps call-argument.
    assert.equal(refinedCause('call-argument', 'panic'), undefined);
  });

  it('knows panic as the builtin sink, and no inherited Object key', () => {
    assert.equal(builtinSink('panic'), 'panic');
    assert.equal(builtinSink('append'), undefined);
    assert.equal(builtinSink('constructor'), undefined);
    assert.equal(builtinSink('toString'), undefined);
  });

  it('takes reflect, internal/reflectlite and unsafe as package sinks, nothing else', () => {
    assert.equal(packageSink('reflect'), 'reflection');
    assert.equal(packageSink('internal/reflectlite'), 'reflection');
    assert.equal(packageSink('unsafe'), 'unsafe');
    assert.equal(packageSink('fmt'), undefined);
    assert.equal(packageSink('example.com/reflect'), undefined);
  });

  it('finds the sink inside an explanation at the step where it happens', () => {
    const cases: [RawStep[], string][] = [
      [[step('ch <- v', 'send')], 'channel'],
      [[step('m[k] = v', 'key of map put')], 'map'],
      [[step('map[string]any{...}', 'map literal value')], 'map'],
      [[step('append(s, v)', 'appended slice...')], 'append'],
      [[step('func literal', 'captured by a closure')], 'closure'],
      [[step('unsafe.Pointer(p)', 'conversion to unsafe.Pointer')], 'unsafe'],
      [[step('go f(v)', 'call parameter')], 'goroutine'],
      [[step('reflect.ValueOf(v)', 'call parameter')], 'reflection'],
      [[step('unsafe_New(t)', 'call parameter')], 'reflection'],
    ];
    for (const [steps, kind] of cases) {
      const r = sinkInside(block([step('x := a', 'assign'), ...steps]));
      assert.equal(r?.kind, kind, steps[0].why);
      assert.deepEqual(r?.step, steps[0]);
    }
  });

  it('treats flows through reflect locals as reflection, and plain stores as no inside sink', () => {
    assert.equal(sinkInside(block([step('reflect.e = i', 'assign')], 'reflect.e', 'a'))?.kind, 'reflection');
    assert.equal(sinkInside(block([step('x.f = a', 'assign')], '{heap}', '&reflect.v'))?.kind, 'reflection');
    assert.equal(sinkInside(block([step('p.arg = arg', 'assign'), step('g(a)', 'call parameter')])), undefined);
  });

  it('calls a last step under go a goroutine, anything else stored', () => {
    assert.equal(terminalSink(step('go worker(v)', 'call parameter')), 'goroutine');
    assert.equal(terminalSink(step('p.arg = arg', 'assign')), 'stored');
  });
});
