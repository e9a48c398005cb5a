// The policy in the CLI's output, against the live compiler: what it ignores is counted nowhere (text
// summary, JSON summary, Markdown headline, SARIF), the terminal names each failed or warned finding and
// the policy line that decided it, the Markdown headline counts what the JSON counts, and a policy file
// with a mistake is a usage error in one line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';

const CLI = path.join(REPO, 'dist', 'cli.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Two L1 escapes (failed by the rule on line 4), an L3 conversion (ignored by the rule on line 5), and a
// leaking parameter and its moved variable, L2 (warned by the default on line 2).
const SOURCE = `package m

var sink any

type T struct{ a [4]int }

func New() *T { return &T{} }

func Box(n int) { sink = n }

func Grow(n int) []int {
	s := make([]int, n)
	return s
}

var keep *int

//go:noinline
func store(p *int) { keep = p }

func Pass() {
	x := 1
	store(&x)
}
`;

const POLICY = `{
  "default": "warn",
  "rules": [
    { "tier": "L1", "action": "fail" },
    { "cause": "interface-conversion", "action": "ignore" }
  ]
}
`;

describe('the policy in the CLI output', () => {
  let dir: string;
  before(() => {
    dir = tempModule({ 'm.go': SOURCE, '.escapelens.json': POLICY });
    fs.mkdirSync(path.join(dir, '.git'));
  });

  it('counts nowhere what the policy ignores, and the Markdown headline counts what the JSON counts', () => {
    const doc = JSON.parse(cli(['--json', '.'], dir).out);
    // The ignored finding is in the document, marked, but not in its summary.
    assert.deepEqual(doc.findings.filter((f: { policy?: string }) => f.policy === 'ignore').map((f: { cause: string }) => f.cause), ['interface-conversion']);
    assert.equal(doc.summary.heap, 4);
    assert.equal(doc.summary.byTier.L3, 0);
    assert.equal(doc.summary.byCause['interface-conversion'], undefined);

    const text = cli(['.'], dir);
    assert.equal(text.code, 1);
    assert.match(text.out, /^4 heap findings in 1 package \(3 allocate\): L1 syntax 2 · L2 call context 2 · L3 dynamic 0$/m);
    assert.doesNotMatch(text.out, /interface-conversion|ignore/);

    const out = tempDir();
    const md = path.join(out, 'summary.md');
    const sarif = path.join(out, 'out.sarif');
    cli(['--markdown', md, '--sarif', sarif, '.'], dir);
    const headline = fs.readFileSync(md, 'utf8').split('\n')[2];
    assert.equal(headline, `❌ **0 broken contracts** · **${doc.summary.heap} heap escapes** · policy \`.escapelens.json\`: 2 fails`);
    const results = JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results as { ruleId: string; level: string }[];
    assert.deepEqual(results.map((r) => r.ruleId).sort(), ['call-argument', 'param-leak', 'returned-value', 'returned-value']);

    // With a baseline, new and known add up to the JSON's count.
    const base = path.join(out, 'base.json');
    fs.writeFileSync(base, JSON.stringify({ ...doc, findings: doc.findings.filter((f: { cause: string }) => f.cause !== 'returned-value') }));
    cli(['--baseline', base, '--markdown', md, '.'], dir);
    assert.match(fs.readFileSync(md, 'utf8'), /\*\*2 new heap escapes\*\* \(2 known\)/);
  });

  it('lists each failed or warned finding with file:line, its cause and the policy line that decided', () => {
    const r = cli(['.'], dir);
    const verdicts = r.out.split('\n').filter((l) => /^ {4}(fail|warn) /.test(l)).map((l) => l.trim().split(/\s+/));
    assert.deepEqual(verdicts, [
      ['fail', 'm.go:7', 'returned-value', '(L1)', 'by', '.escapelens.json:4'],
      ['fail', 'm.go:12', 'returned-value', '(L1)', 'by', '.escapelens.json:4'],
      ['warn', 'm.go:19', 'param-leak', '(L2)', 'by', '.escapelens.json:2', '(default)'],
      ['warn', 'm.go:22', 'call-argument', '(L2)', 'by', '.escapelens.json:2', '(default)'],
    ]);
    assert.match(r.out, /^ {2}policy \S+\.escapelens\.json: fail 2 · warn 2 · log 0$/m);
  });

  it('a policy with an unknown key or an empty list is a usage error: exit 2, one line naming the key and the file', () => {
    for (const [policy, key] of [['{ "rule": [{ "tier": "L3", "action": "fail" }] }', /unknown key "rule"/], ['{ "rules": [{ "tier": [], "action": "fail" }] }', /rules\[0\]: "tier" is an empty list/]] as const) {
      const bad = tempModule({ 'm.go': SOURCE, '.escapelens.json': policy });
      const r = cli(['.'], bad);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, '');
      const lines = r.err.trim().split('\n');
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0], key);
      assert.ok(lines[0].includes(path.join(bad, '.escapelens.json')), lines[0]);
    }
  });
});
