// One test per rule of the cause order (docs/causes.md, "The order"; /shared/reference/tiers.md): for
// each rule a function of fixtures/classify-rules, compiled by the real compiler and analysed whole
// (syntax facts included), whose finding gets exactly that cause and tier, and a near miss that falls
// to a later rule.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { cause } from '../../../core/classify/causes';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { HEAP_KINDS, type Finding } from '../../../core/model';
import { REPO } from '../../helpers/goEnv';

export const RULES_DIR = path.join(REPO, 'fixtures', 'classify-rules');

/** rule, function, subject (as the compiler prints it), cause, allocates. */
type Case = [rule: string, fn: string, subject: string, cause: string, allocates?: boolean];

const CASES: Case[] = [
  ['1', 'R1', 'p', 'param-leak-content', false],
  ['2 (near miss of 1)', 'R2', 'p', 'param-to-result', false],
  ['3 (near miss of 2)', 'R3', 'p', 'param-leak', false],
  ['4', 'R4', 'make([]byte, 1048576)', 'too-large', true],
  ['5 string constant', 'R5', '"constant"', 'boxed-constant', false],
  ['5 bool', 'R5', 'b', 'boxed-constant', false],
  ['5 near miss: an int (10)', 'R5', 'n', 'interface-conversion', true],
  ['6 capturing', 'R6Closure', 'func literal', 'escaping-closure', true],
  ['6 capturing nothing', 'R6Static', 'func literal', 'escaping-closure', false],
  ['6 go', 'R6Go', 'func literal', 'goroutine', true],
  ['7', 'R7', 't.Get', 'method-value', true],
  ['7 near miss: a field (10)', 'R7', 'c.Name', 'interface-conversion', true],
  ['8', 'R8', 'c', 'closure-capture', true],
  ['8 go', 'R8Go', 'x', 'goroutine', true],
  ['8 near miss: stored into the captured variable (16)', 'R8', '&T{}', 'stored-in-heap', true],
  ['9', 'R9', 'append', 'append', true],
  ['9 near miss: appended (15)', 'R9', 'c', 'append', true],
  ['10', 'R10', 's', 'interface-conversion', true],
  ['10 own box', 'R10', 'make([]int, 4)', 'interface-conversion', true],
  ['10 near miss: a pointer (16)', 'R10', '&T{}', 'stored-in-heap', true],
  ['11 address', 'R11Addr', 'y', 'returned-address', true],
  ['11 value, before the dynamic call', 'R11Value', '&T{...}', 'returned-value', true],
  ['11 near miss: not returned (18)', 'R11Near', '&T{...}', 'dynamic-call', true],
  ['12', 'R12', 'x', 'address-stored', true],
  ['12 near miss: sent (13)', 'R12Near', 'x', 'channel-send', true],
  ['13', 'R13', '&T{...}', 'channel-send', true],
  ['14', 'R14', '&T{...}', 'map-storage', true],
  ['16', 'R16', '&T{...}', 'stored-in-heap', true],
  ['16 near miss: a static call keeps it (19)', 'R16Near', '&T{...}', 'call-argument', true],
  ['17 reflect', 'R17Reflect', 'x', 'reflection', true],
  ['17 unsafe', 'R17Unsafe', 't', 'unsafe-pointer', true],
  ['17 near miss: no conversion (19)', 'R17Near', 't', 'call-argument', true],
  ['18', 'R18', '&T{...}', 'dynamic-call', true],
];

describe('classify: one rule per cause, in order (fixtures/classify-rules)', function () {
  this.timeout(300_000);
  let findings: Finding[];
  before(async () => {
    const sources = new SourceCache(await loadGoParser());
    const r = await analyzePackage({ dir: RULES_DIR, sources, timeoutMs: 240_000 });
    assert.deepEqual(r.errors, []);
    findings = r.findings.filter((f) => HEAP_KINDS.has(f.kind));
  });

  for (const [rule, fn, subject, want, allocates] of CASES) {
    it(`rule ${rule}: ${fn} ${subject} → ${want}`, () => {
      const f = findings.filter((x) => x.function?.replace(/^.*\./, '') === fn && x.subject === subject);
      assert.equal(f.length, 1, `findings of ${fn} ${subject}: ${findings.filter((x) => x.function?.endsWith(fn)).map((x) => `${x.subject} ${x.cause}`).join('; ')}`);
      assert.equal(f[0].cause, want, f[0].message);
      assert.equal(f[0].tier, cause(want).tier);
      if (allocates !== undefined) assert.equal(f[0].allocates, allocates);
    });
  }
});
