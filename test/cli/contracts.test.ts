// Contracts and the policy in CI: exit codes, JSON, SARIF that Microsoft's validator accepts, the Markdown
// summary for pull requests. The bundled dist/cli.js on the fixtures, against the live compiler.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, tempDir, tempModule } from '../helpers/goEnv';
import { homepage } from '../../package.json';
import { profiledModule } from '../helpers/heapProfile';

const CLI = path.join(REPO, 'dist', 'cli.js');

function cli(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Microsoft's SARIF multitool `validate`: its findings as `error|warning SARIFnnnn` lines. */
function validateSarif(file: string): { code: number | null; problems: string[]; out: string } {
  // The npm package's postinstall (chmod) may not have run: execute a copy.
  const pkg = path.join(REPO, 'node_modules/@microsoft/sarif-multitool-linux');
  const dir = tempDir('gel-sarif-');
  const bin = path.join(dir, 'Sarif.Multitool');
  fs.copyFileSync(path.join(pkg, 'Sarif.Multitool'), bin);
  fs.chmodSync(bin, 0o755);
  const r = spawnSync(bin, ['validate', file, '--output', path.join(dir, 'validation.sarif')], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  const out = r.stdout + r.stderr;
  return { code: r.status, problems: out.split('\n').filter((l) => /: (error|warning) [A-Z]+\d+/.test(l)), out };
}

describe('contracts and policy in CI (CLI)', () => {
  it('exits 1 on a broken contract, with or without --baseline, and lists it with its directive and path', () => {
    const r = cli(['fixtures/contracts/noheap']);
    assert.equal(r.code, 1, r.err);
    // Four by the function's own allocations; Allowed by what fmt.Sprint allocates in its compiled code.
    assert.match(r.out, /^Contracts: 9 directives, 5 broken$/m);
    assert.match(r.out, /^ {2}error fixtures\/contracts\/noheap\/noheap\.go:17:9 {2}Contract broken \(\/\/escape:noheap\): Direct must not allocate, but &Point\{\.\.\.\} escapes to heap .*\[contract-noheap\]$/m);
    assert.match(r.out, /^ {8}directive \/\/escape:noheap at fixtures\/contracts\/noheap\/noheap\.go:15$/m);
    assert.match(r.out, /^ {2}warning fixtures\/contracts\/noheap\/noheap\.go:60:23 {2}\/\/escape:noheap: unknown cause "no-such-cause"/m);
    // Every finding known to a baseline: the contract still fails the run.
    const base = path.join(tempDir(), 'base.json');
    fs.writeFileSync(base, cli(['--json', 'fixtures/contracts/noheap']).out);
    const known = cli(['--baseline', base, 'fixtures/contracts/noheap']);
    assert.match(known.out, /baseline: 0 new, 8 known/);
    assert.equal(known.code, 1);
    // A package whose contracts hold exits 0.
    const clean = tempModule({ 'c.go': 'package c\n\n//escape:noheap\nfunc Sum(a, b int) int { return a + b }\n' });
    const ok = cli([clean]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Contracts: 1 directive, 0 broken/);
  });

  it('reports contracts in JSON: directives, violations with the directive and the path, problems', () => {
    const doc = JSON.parse(cli(['--json', 'fixtures/contracts/noheap']).out);
    assert.equal(doc.contracts.violations.length, 5);
    assert.ok(doc.contracts.violations.some((x: { directive: { target: string }; message: string }) => x.directive.target === 'Allowed' && /fmt\.Sprint/.test(x.message)));
    const v = doc.contracts.violations[0];
    assert.deepEqual(Object.keys(v).sort(), ['directive', 'file', 'finding', 'message', 'path', 'range', 'rule']);
    assert.equal(v.directive.text, '//escape:noheap');
    assert.equal(v.directive.target, 'Direct');
    assert.ok(path.isAbsolute(v.file) && v.path.length > 0);
    assert.equal(doc.contracts.problems.length, 3);
  });

  it('a fixture policy (L1 log, L3 fail, escalation on a request path) gives the expected exit codes', () => {
    const logonly = cli(['--json', 'fixtures/policy/logonly']);
    assert.equal(logonly.code, 0);
    assert.deepEqual(JSON.parse(logonly.out).findings.map((f: { tier: string; policy: string }) => [f.tier, f.policy]), [['L1', 'log']]);
    const dynamic = cli(['fixtures/policy/dynamic']);
    assert.equal(dynamic.code, 1, 'L3 fails');
    assert.match(dynamic.out, /policy .*fixtures\/policy\/\.escapelens\.json: fail 1 · warn 0 · log 0$/m);
    const handler = JSON.parse(cli(['--json', 'fixtures/policy/handler']).out);
    assert.deepEqual(handler.findings.map((f: { function: string; tier: string; policy: string }) => [f.function, f.tier, f.policy]),
      [['Prepare', 'L2', 'warn'], ['Orders.ServeHTTP', 'L2', 'fail']], 'the same L2 escape is escalated in ServeHTTP');
    assert.equal(cli(['fixtures/policy/handler']).code, 1);
    // Without the policy nothing fails; with another policy file its rules decide.
    assert.equal(cli(['--no-policy', 'fixtures/policy/dynamic']).code, 0);
    const lenient = path.join(tempDir(), 'lenient.json');
    fs.writeFileSync(lenient, JSON.stringify({ rules: [{ tier: 'L3', action: 'warn' }, { cause: 'interface-conversion', packages: 'example.com/other/...', action: 'fail' }] }));
    assert.equal(cli(['--policy', lenient, 'fixtures/policy/dynamic']).code, 0);
    fs.writeFileSync(lenient, JSON.stringify({ rules: [{ cause: 'interface-conversion', packages: 'example.com/policy/...', action: 'fail' }] }));
    assert.equal(cli(['--policy', lenient, 'fixtures/policy/dynamic']).code, 1);
    // With a baseline, only new findings can fail.
    const base = path.join(tempDir(), 'b.json');
    fs.writeFileSync(base, cli(['--json', 'fixtures/policy/dynamic']).out);
    assert.equal(cli(['--baseline', base, 'fixtures/policy/dynamic']).code, 0);
    // A broken policy file is a usage error with its reason.
    fs.writeFileSync(lenient, JSON.stringify({ rules: [{ tier: 'L4', action: 'fail' }] }));
    const bad = cli(['--policy', lenient, 'fixtures/policy/dynamic']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /policy: .*lenient\.json: rules\[0\]: "tier": unknown tier "L4"/);
  });

  it('SARIF passes Microsoft\'s validator (sarif-multitool validate): 0 errors, 0 warnings', () => {
    const dir = tempDir();
    const runs: [string, string[]][] = [
      ['sample.sarif', ['fixtures/sample/...']],
      ['contracts.sarif', ['fixtures/contracts/...']],
      ['policy.sarif', ['fixtures/policy/...']],
    ];
    const base = path.join(dir, 'base.json');
    fs.writeFileSync(base, cli(['--json', 'fixtures/sample/returned']).out);
    runs.push(['baseline.sarif', ['--baseline', base, 'fixtures/sample/...']]);
    for (const [name, args] of runs) {
      const file = path.join(dir, name);
      cli(['--sarif', file, ...args]);
      const v = validateSarif(file);
      assert.deepEqual(v.problems, [], `${name}:\n${v.out}`);
      assert.equal(v.code, 0, v.out);
      assert.match(v.out, /Analysis completed successfully/);
    }
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'contracts.sarif'), 'utf8'));
    const rules = doc.runs[0].tool.driver.rules as { id: string; name: string; helpUri: string }[];
    for (const r of rules) {
      assert.notEqual(r.name.toLowerCase(), r.id.toLowerCase());
      assert.match(r.name, /^[A-Z][A-Za-z]+$/);
      assert.match(r.helpUri, new RegExp(`^${homepage.replace(/#.*$/, '').replace(/[.]/g, '\\.')}/blob/HEAD/docs/(causes|contracts)\\.md#(cause|rule)-${r.id}$`), r.helpUri);
    }
    assert.equal(rules.find((r) => r.id === 'returned-value')!.name, 'ReturnedValueEscape');
    assert.equal(rules.find((r) => r.id === 'contract-noheap')!.name, 'ContractNoheap');
    const results = doc.runs[0].results as { ruleId: string; level: string; relatedLocations?: unknown[] }[];
    assert.equal(results.filter((r) => r.ruleId === 'contract-noheap').length, 4);
    assert.ok(results.filter((r) => r.ruleId === 'contract-noheap').every((r) => r.level === 'error' && r.relatedLocations!.length === 1));
    assert.ok(results.some((r) => r.ruleId === 'gcassert-bce') && results.some((r) => r.ruleId === 'gcassert-inline') && results.some((r) => r.ruleId === 'gcassert-noescape'));
    assert.equal(results.filter((r) => r.ruleId === 'contract-directive').length, 6);
    const policy = JSON.parse(fs.readFileSync(path.join(dir, 'policy.sarif'), 'utf8')).runs[0].results as { level: string; properties: { function: string; policy: string } }[];
    assert.deepEqual(policy.map((r) => [r.properties.function, r.properties.policy, r.level]).sort(), [
      ['Describe', 'fail', 'error'], ['NewOrder', 'log', 'note'], ['Orders.ServeHTTP', 'fail', 'error'], ['Prepare', 'warn', 'warning'],
    ]);
  });

  it('--markdown writes a pull-request summary: broken contracts, new escapes against the baseline', () => {
    const dir = tempModule({
      'hot.go': 'package hot\n\ntype Point struct{ X, Y int }\n\nvar last *Point\n\n//escape:noheap\nfunc Move(p Point) Point {\n\tp.X++\n\treturn p\n}\n\nfunc New(x int) *Point { return &Point{X: x} }\n',
    });
    const base = path.join(tempDir(), 'escapes-baseline.json');
    fs.writeFileSync(base, cli(['--json', '.'], dir).out);
    // The change under review: Move now keeps its point, and a second allocation appears.
    fs.writeFileSync(path.join(dir, 'hot.go'), fs.readFileSync(path.join(dir, 'hot.go'), 'utf8')
      .replace('\tp.X++\n\treturn p\n', '\tp.X++\n\tlast = &p\n\treturn p\n'));
    const md = path.join(tempDir(), 'summary.md');
    const r = cli(['--baseline', base, '--markdown', md, '.'], dir);
    assert.equal(r.code, 1);
    const text = fs.readFileSync(md, 'utf8');
    assert.equal(text, [
      '### Go Escape Lens',
      '',
      '❌ **1 broken contract** · **1 new heap escape** (1 known)',
      '',
      '#### Broken contracts',
      '',
      '| where | contract | broken by |',
      '|---|---|---|',
      '| `hot.go:8` | `//escape:noheap` on `Move` | `moved to heap: p` — address stored where it outlives the function (L1) |',
      '',
      '#### New heap escapes',
      '',
      '| where | tier | cause | compiler says |',
      '|---|---|---|---|',
      '| `hot.go:8` | L1 syntax | address stored where it outlives the function | `moved to heap: p` |',
      '',
    ].join('\n'));
  });

  it('--markdown with --profile lists the costliest findings of a real heap profile', () => {
    const { dir, profile } = profiledModule();
    const md = path.join(tempDir(), 'summary.md');
    cli(['--profile', profile, '--markdown', md, '.'], dir);
    const text = fs.readFileSync(md, 'utf8');
    assert.match(text, /^✅ \*\*0 broken contracts\*\* · \*\*\d+ heap escapes?\*\*$/m);
    assert.match(text, /#### Costliest in the heap profile\n\n\| allocated \| share \| where \| compiler says \|\n\|---:\|---:\|---\|---\|\n\| [\d.]+ (KiB|MiB) \| [\d.]+% \| `p\.go:7` \| `&T\{\} escapes to heap` \|/);
  });
});
