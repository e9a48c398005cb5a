// The sample module: one package per cause, its golden findings checked against the live compiler.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { CAUSES } from '../../../core/classify/causes';
import { GOLDEN_NAME, goldenFor, samplePackages } from '../../helpers/golden';

describe('sample fixtures against their goldens', () => {
  let sources: SourceCache;
  const seen = new Set<string>();
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  for (const dir of samplePackages()) {
    it(path.basename(dir), async () => {
      const want = fs.readFileSync(path.join(dir, GOLDEN_NAME), 'utf8');
      const got = await goldenFor(dir, sources);
      assert.equal(got, want, `golden differs; if the change is intended, run npm run goldens and review the diff`);
      for (const m of got.matchAll(/^\S+ (?:L\d|--) (\S+) /gm)) seen.add(m[1]);
    });
  }

  it('covers every heap cause the current compiler can produce', () => {
    // non-constant-size: since Go 1.25 a variable-size make stays on the stack (seen in transcripts only).
    const notOnThisGo = new Set(['non-constant-size', 'unclassified', 'stack', 'inlining', 'devirtualized', 'compiler-note']);
    const missing = CAUSES.map((c) => c.id).filter((id) => !notOnThisGo.has(id) && !seen.has(id));
    assert.deepEqual(missing, []);
  });
});
