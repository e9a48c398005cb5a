// The policy reader is as strict as the JSON schema the editor validates with: every example and
// counter-example below goes to both (the schema through ajv), and both must give the same verdict; the
// reader's error names the key and the file. Rules keep their line, and a verdict names the line that decided.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { decide, loadPolicy, parsePolicy, PolicyError } from '../../../core/policy/policy';
import { policyPositions } from '../../../core/policy/positions';
import { finding } from '../../helpers/finding';
import { REPO, tempDir } from '../../helpers/goEnv';

const FILE = '/proj/.escapelens.json';

/** Valid policies: each must pass the schema and load. */
const VALID: Record<string, unknown> = {
  'an empty object (every heap finding logged)': {},
  'only a default': { default: 'fail' },
  'a $schema line and one rule': { $schema: './schemas/escapelens.schema.json', rules: [{ action: 'ignore' }] },
  'every key of a rule, lists and single values': {
    default: 'warn',
    rules: [
      { tier: ['L1', 'L2'], cause: 'append', packages: ['example.com/m/...', 'example.com/n'], context: 'request-path', action: 'warn', comment: 'why' },
      { tier: 'L3', cause: ['interface-conversion', 'boxed-constant'], packages: 'example.com/m/api/...', action: 'fail' },
    ],
  },
};

/** Invalid policies: each must fail the schema and the reader, whose message must match. */
const INVALID: Record<string, [unknown, RegExp]> = {
  'a top-level typo ("rule" for "rules")': [{ rule: [{ tier: 'L3', action: 'fail' }] }, /: unknown key "rule"/],
  'an unknown key in a rule': [{ rules: [{ tiers: 'L1', action: 'fail' }] }, /rules\[0\]: unknown key "tiers"/],
  'an empty tier list': [{ rules: [{ tier: [], action: 'fail' }] }, /rules\[0\]: "tier" is an empty list/],
  'an empty cause list': [{ rules: [{ cause: [], action: 'fail' }] }, /rules\[0\]: "cause" is an empty list/],
  'an empty packages list': [{ rules: [{ packages: [], action: 'fail' }] }, /rules\[0\]: "packages" is an empty list/],
  'an empty rules list': [{ rules: [] }, /"rules" is an empty list/],
  'rules not a list': [{ rules: { tier: 'L1', action: 'fail' } }, /"rules" must be an array/],
  'rules null': [{ rules: null }, /"rules" must be an array/],
  'a rule that is a string': [{ rules: ['fail'] }, /rules\[0\] must be an object/],
  'a rule that is a list': [{ rules: [[{ action: 'fail' }]] }, /rules\[0\] must be an object/],
  'a rule without an action': [{ rules: [{ tier: 'L1' }] }, /rules\[0\]: action must be one of/],
  'an unknown action': [{ rules: [{ action: 'explode' }] }, /rules\[0\]: action must be one of .*"explode"/],
  'an unknown tier': [{ rules: [{ tier: 'L4', action: 'fail' }] }, /rules\[0\]: "tier": unknown tier "L4"/],
  'a tier listed twice': [{ rules: [{ tier: ['L1', 'L1'], action: 'fail' }] }, /rules\[0\]: "tier": "L1" is listed twice/],
  'an unknown cause': [{ rules: [{ cause: 'stack', action: 'fail' }] }, /rules\[0\]: "cause": unknown cause "stack"/],
  'an empty package pattern': [{ rules: [{ packages: '', action: 'fail' }] }, /rules\[0\]: "packages": unknown package pattern ""/],
  'an empty package pattern in a list': [{ rules: [{ packages: ['a/...', ''], action: 'fail' }] }, /"packages": unknown package pattern ""/],
  'a package pattern that is a number': [{ rules: [{ packages: 3, action: 'fail' }] }, /"packages": unknown package pattern 3/],
  'an unknown context': [{ rules: [{ context: 'batch', action: 'fail' }] }, /rules\[0\]: "context": unknown context "batch"/],
  'a comment that is not text': [{ rules: [{ action: 'log', comment: 3 }] }, /rules\[0\]: "comment" must be a string/],
  'an unknown default': [{ default: 'explode' }, /"default": action must be one of/],
  'a $schema that is not text': [{ $schema: 3 }, /"\$schema" must be a string/],
  'a list, not an object': [[{ action: 'fail' }], /expected an object/],
  'a string, not an object': ['fail', /expected an object/],
};

describe('policy/strict: the reader and the JSON schema agree', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/escapelens.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true });
  ajv.addKeyword('enumDescriptions'); // VS Code's own keyword: descriptions for completion
  const validate = ajv.compile(schema);

  // The examples the docs show and the fixture's policy are examples too.
  const docs = fs.readFileSync(path.join(REPO, 'docs/policy.md'), 'utf8');
  const docExamples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown);

  it('every valid example passes the schema and loads', () => {
    assert.ok(docExamples.length >= 1, 'docs/policy.md shows its examples as json blocks');
    const all: [string, unknown][] = [...Object.entries(VALID), ...docExamples.map((d, i): [string, unknown] => [`docs/policy.md example ${i + 1}`, d]),
      ['fixtures/policy/.escapelens.json', JSON.parse(fs.readFileSync(path.join(REPO, 'fixtures/policy/.escapelens.json'), 'utf8'))]];
    for (const [name, raw] of all) {
      assert.ok(validate(raw), `${name}: schema says ${ajv.errorsText(validate.errors)}`);
      assert.doesNotThrow(() => parsePolicy(raw, FILE), `${name}: the reader refuses it`);
    }
  });

  it('every counter-example fails the schema and the reader, whose one line names the file and the key', () => {
    for (const [name, [raw, message]] of Object.entries(INVALID)) {
      assert.equal(validate(raw), false, `${name}: the schema accepts it`);
      assert.throws(() => parsePolicy(raw, FILE), (e: unknown) => {
        assert.ok(e instanceof PolicyError, `${name}: ${String(e)}`);
        assert.ok(e.message.startsWith(`${FILE}: `), `${name}: ${e.message}`);
        assert.match(e.message, message, name);
        assert.ok(!e.message.includes('\n'), `${name}: one line`);
        return true;
      }, `${name}: the reader accepts it`);
    }
  });

  it('keeps each rule\'s line and the default\'s, and a verdict names the line that decided it', () => {
    const dir = tempDir('gel-policy-');
    const file = path.join(dir, '.escapelens.json');
    fs.writeFileSync(file, [
      '{',
      '  "$schema": "x\\"]}[{",',
      '  "default": "warn",',
      '  "rules": [',
      '    { "tier": "L1", "action": "log", "comment": "a [bracket] and a } brace" },',
      '',
      '    {',
      '      "cause": ["interface-conversion"],',
      '      "action": "fail"',
      '    }',
      '  ]',
      '}',
    ].join('\n'));
    const p = loadPolicy(file);
    assert.deepEqual(p.rules.map((r) => r.line), [5, 7]);
    assert.equal(p.defaultLine, 3);
    assert.deepEqual(decide(p, finding({ cause: 'interface-conversion', tier: 'L3' }), { requestPath: false }), { action: 'fail', rule: p.rules[1], file, line: 7 });
    assert.deepEqual(decide(p, finding({ cause: 'append', tier: 'L2' }), { requestPath: false }), { action: 'warn', file, line: 3 });
    // A repeated "rules" key: JSON.parse keeps the last, and so do the positions.
    assert.deepEqual(policyPositions('{"rules": [{}, {}],\n"rules": [\n{}]}').rules, [3]);
    // A file that is not JSON: one line with the file.
    fs.writeFileSync(file, '{ "rules": [ }');
    assert.throws(() => loadPolicy(file), (e: unknown) => e instanceof PolicyError && e.message.startsWith(`${file}: `) && !e.message.includes('\n'));
  });
});
