// The inlay words of a parameter summary: from `via` first, then the cause, then the path's last known step.
import * as assert from 'node:assert/strict';
import { signatureLabel } from '../../../core/present/paramHints';
import type { FlowStep } from '../../../core/model';

const step = (why: string): FlowStep => ({ edge: '{heap} ← p', where: 'x', why, file: '/m/a.go', line: 3 });

describe('present/paramHints signatureLabel', () => {
  it('says what leaks: the parameter, its content, or an unsafe uintptr', () => {
    assert.equal(signatureLabel({ kind: 'leaking-param', cause: 'param-leak', flow: [], via: 'dynamic-call' }), 'leaks (to an interface call)');
    assert.equal(signatureLabel({ kind: 'leaking-param-content', cause: 'param-leak-content', flow: [], via: 'stored-in-heap' }), 'content leaks (stored)');
    assert.equal(signatureLabel({ kind: 'uintptr', cause: 'unsafe-pointer', flow: [] }), 'unsafe uintptr (through unsafe)');
  });

  it('prefers via over the cause, and the cause over the path', () => {
    assert.equal(signatureLabel({ kind: 'leaking-param', cause: 'goroutine', flow: [step('send')], via: 'map-storage' }), 'leaks (into a map)');
    assert.equal(signatureLabel({ kind: 'leaking-param', cause: 'goroutine', flow: [step('send')] }), 'leaks (to a goroutine)');
  });

  it('falls back to the last step the table knows, reading the path from its end', () => {
    const flow = [step('assign'), step('call parameter'), step('unknown-why')];
    assert.equal(signatureLabel({ kind: 'leaking-param', cause: 'param-leak', flow }), 'leaks (to a call)');
    assert.equal(signatureLabel({ kind: 'leaking-param', cause: 'param-leak', flow: [step('send'), step('assign')] }), 'leaks (stored)');
  });

  it('says only what leaks when nothing tells where', () => {
    assert.equal(signatureLabel({ kind: 'leaking-param', cause: 'param-leak', flow: [] }), 'leaks');
    assert.equal(signatureLabel({ kind: 'leaking-param-content', cause: 'param-leak-content', flow: [step('odd')], via: 'nonexistent' }), 'content leaks');
  });
});
