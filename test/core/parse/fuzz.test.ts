// Fuzzing, with a fixed budget: real compiler logs (of the sample packages and of a failed build),
// mutated by fast-check, through the pure pipeline (parse → inspect → analyse) and through the CLI's
// `--input`. Never a throw, always valid JSON, only the documented exit codes, never a hang (each CLI run
// is bounded by spawnSync's timeout). The seed is fixed so CI is repeatable; FUZZ_SEED=n tries others.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeOutput } from '../../../core/analysis/analyze';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { parseOutput } from '../../../core/parse/parse';
import { inspectLog } from '../../../core/parse/inspectLog';
import { REPO, tempModule } from '../../helpers/goEnv';
import { SCHEMA_VERSION } from '../../../cli/jsonOutput';

const CLI = path.join(REPO, 'dist', 'cli.js');
const SAMPLE = path.join(REPO, 'fixtures', 'sample');
const seed = Number(process.env.FUZZ_SEED ?? 20261125);

function compile(dir: string): string {
  return spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8' }).stderr;
}

/** One edit of a log: what copying, truncating, mixing or corrupting a CI log does. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.string({ unit: 'binary' }),
    fc.constantFrom('# example.com/x', 'go: downloading example.com/x v1.0.0', './a.go:1:1: undefined: y', '\t', ':::', './m.go:0:0: ')) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), keep: fc.nat() }),
  fc.record({ op: fc.constant('renumber' as const), at: fc.nat(), n: fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 31, 2 ** 53, 99999)) }),
  fc.record({ op: fc.constant('corrupt' as const), at: fc.nat(), pos: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 4 }) }),
  fc.record({ op: fc.constant('crlf' as const) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(log: string, edits: Mutation[]): string {
  let lines = log.split('\n');
  for (const e of edits) {
    const n = Math.max(1, lines.length);
    const i = 'at' in e ? e.at % n : 0;
    switch (e.op) {
      case 'delete': lines.splice(i, 1); break;
      case 'duplicate': lines.splice(i, 0, lines[i] ?? ''); break;
      case 'swap': { const j = e.with % n; [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? '']; break; }
      case 'insert': lines.splice(i, 0, e.text); break;
      case 'truncate': lines[i] = (lines[i] ?? '').slice(0, e.keep % ((lines[i]?.length ?? 0) + 1)); break;
      case 'renumber': lines[i] = (lines[i] ?? '').replace(/:(\d+)/, `:${e.n}`); break;
      case 'corrupt': { const l = lines[i] ?? ''; const p = e.pos % (l.length + 1); lines[i] = l.slice(0, p) + e.text + l.slice(p + 1); break; }
      case 'crlf': lines = lines.map((l) => l + '\r'); break;
    }
  }
  return lines.join('\n');
}

describe('fuzz: mutated compiler logs', function () {
  this.timeout(120_000);
  let sources: SourceCache;
  let logs: { dir: string; log: string }[];
  before(async () => {
    sources = new SourceCache(await loadGoParser());
    const broken = tempModule({ 'a.go': 'package m\n\nfunc F() int {\n\treturn x\n}\n' });
    logs = [...['returned', 'closure', 'dynamic', 'unicode'].map((p) => ({ dir: path.join(SAMPLE, p), log: compile(path.join(SAMPLE, p)) })),
      { dir: broken, log: compile(broken) }];
  });

  const input = () => fc.record({ which: fc.nat(), edits: fc.array(mutation, { maxLength: 8 }), all: fc.boolean() });

  it('the pipeline never throws and always gives JSON-serialisable, well-formed results', () => {
    fc.assert(fc.property(input(), ({ which, edits, all }) => {
      const { dir, log } = logs[which % logs.length];
      const text = mutate(log, edits);
      const verdict = inspectLog(text);
      assert.ok(['empty', 'foreign', 'compiler'].includes(verdict.kind));
      parseOutput(text, { exitCode: verdict.failed ? 1 : 0 });
      const r = analyzeOutput(text, { cwd: dir, sources, all, exitCode: verdict.failed ? 1 : 0 });
      const back = JSON.parse(JSON.stringify(r));
      assert.equal(back.findings.length, r.findings.length);
      for (const f of r.findings) {
        const { start, end } = f.range;
        assert.ok(start.line >= 0 && start.character >= 0, JSON.stringify(f.range));
        assert.ok(end.line > start.line || (end.line === start.line && end.character >= start.character), JSON.stringify(f.range));
      }
    }), { seed, numRuns: 400 });
  });

  // Text that names no `.go` position and no go-command line: whatever it is, it is not a compiler log.
  const garbage = () => fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('PASS', 'ok  \texample.com/m\t0.1s', '{"Action":"run"}')),
    { maxLength: 20 }).map((ls) => ls.join('\n')).filter((t) => !/\.go:\d|^go[: ]|<autogenerated>/m.test(t));

  it('the CLI\'s --input answers every log with a documented exit code and valid JSON', () => {
    const cases = fc.oneof(
      { weight: 3, arbitrary: input().map(({ which, edits }) => ({ ...logs[which % logs.length], text: mutate(logs[which % logs.length].log, edits), foreign: false })) },
      { weight: 1, arbitrary: garbage().map((text) => ({ dir: SAMPLE, text, foreign: true })) },
    );
    fc.assert(fc.property(cases, fc.boolean(), ({ dir, text, foreign }, fail) => {
      const r = spawnSync(process.execPath, [CLI, '--json', '--input', '-', '--cwd', dir, ...(fail ? ['--fail'] : [])], {
        input: text, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL',
      });
      assert.equal(r.error, undefined, 'the CLI did not finish in time');
      const allowed = fail ? [0, 1, 2, 3] : [0, 2, 3];
      assert.ok(allowed.includes(r.status!), `exit ${r.status}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      if (foreign) assert.equal(r.status, 2, `not a compiler log, yet exit ${r.status}: ${JSON.stringify(text.slice(0, 80))}`);
      if (r.status === 2) {
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        return;
      }
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.schemaVersion, SCHEMA_VERSION);
      assert.equal(doc.packages[0].ok, r.status !== 3);
      if (r.status === 1) assert.ok(doc.summary.heap > 0);
    }), { seed, numRuns: 10 });
  });
});
