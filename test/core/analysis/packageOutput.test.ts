// One package's go command output → findings and contracts (core/analysis/packageOutput.ts).
import * as assert from 'node:assert/strict';
import { analyzeOutput, type OutputContext } from '../../../core/analysis/packageOutput';
import { SourceCache } from '../../../core/locate/sourceCache';
import { readFromDisk } from '../../../core/locate/sourceCache';
import { tempModule } from '../../helpers/goEnv';

describe('the output of one package analysis', function () {
  this.timeout(60_000);
  const sources = new SourceCache();

  function context(dir: string, phases: string[]): OutputContext {
    return {
      opts: { dir, sources, onPhase: (p) => phases.push(p) }, files: new Map(), warm: Promise.resolve(),
      listed: Promise.resolve(undefined), goroot: Promise.resolve(undefined), read: readFromDisk, exists: undefined,
    };
  }

  it('a failure the parser does not know is never silent: its first lines are the error', async () => {
    const dir = tempModule({ 'a.go': 'package m\n' });
    const phases: string[] = [];
    const r = await analyzeOutput('go: something the go command says\nand more\n', 1, context(dir, phases), undefined);
    assert.deepEqual(r.errors.map((e) => e.message).join('\n'), 'go: something the go command says\nand more');
    assert.deepEqual(r.findings, []);
    assert.deepEqual(phases, ['reading output', 'locating']);
  });

  it('locates the findings of what the compiler printed', async () => {
    const dir = tempModule({ 'a.go': 'package m\n\nvar sink *int\n\nfunc Keep(v int) { sink = &v }\n' });
    const r = await analyzeOutput('# example.com/m\n./a.go:5:11: moved to heap: v\n', 0, context(dir, []), undefined);
    assert.deepEqual(r.findings.map((f) => [f.message, f.range.start.line, f.exact]), [['moved to heap: v', 4, true]]);
  });
});
