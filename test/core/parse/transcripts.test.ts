// Recorded -m=2 output of Go 1.19, 1.21, 1.22 and 1.23 on their own escape tests: every line parses,
// at most 1% of heap findings unclassified, and every annotation the compiler matched, we match too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeParsed } from '../../../core/analysis/analyze';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { HEAP_KINDS } from '../../../core/model';
import { parseOutput } from '../../../core/parse/parse';
import { wantedErrors } from '../../helpers/errorcheck';
import { TRANSCRIPTS as ROOT } from '../../helpers/goEnv';

const VERSIONS = fs.existsSync(ROOT) ? fs.readdirSync(ROOT).filter((d) => d.startsWith('go')).sort() : [];

describe('transcripts of older Go versions', () => {
  let sources: SourceCache;
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  it('has transcripts to read', () => assert.ok(VERSIONS.length >= 4, `found ${VERSIONS.join(', ')} in ${ROOT}`));

  for (const version of VERSIONS) {
    it(version, () => {
      const dir = path.join(ROOT, version);
      const index = new Map(fs.readFileSync(path.join(dir, 'INDEX.tsv'), 'utf8').trim().split('\n')
        .map((l) => l.split('\t')).map(([name, status]) => [name, parseInt(status, 10)]));
      let heap = 0, unclassified = 0, wanted = 0, matched = 0, lines = 0;
      for (const [name, status] of index) {
        const text = fs.readFileSync(path.join(dir, `${name}.m2.txt`), 'utf8');
        lines += text.split('\n').length;
        const parsed = parseOutput(text, { exitCode: status });
        if (status !== 0) {
          assert.ok(parsed.errors.length > 0, `${name}: a failed build must yield its errors`);
          continue;
        }
        assert.equal(parsed.unknown, 0, `${name}: lines no template matched`);
        assert.deepEqual(parsed.errors, []);
        const r = analyzeParsed(parsed, { cwd: path.join(dir, 'src'), all: true, sources });
        for (const f of r.findings) {
          if (!HEAP_KINDS.has(f.kind)) continue;
          heap++;
          if (f.cause === 'unclassified') unclassified++;
        }
        const byLine = new Map<number, string[]>();
        for (const f of r.findings) byLine.set(f.pos.line, [...(byLine.get(f.pos.line) ?? []), f.message]);
        for (const w of wantedErrors(path.join(dir, 'src', `${name}.go`))) {
          for (const re of w.patterns) {
            wanted++;
            if ((byLine.get(w.line) ?? []).some((m) => re.test(m))) matched++;
          }
        }
      }
      const failedAnnotations = [...index].filter(([, s]) => s !== 0)
        .reduce((n, [name]) => n + wantedErrors(path.join(dir, 'src', `${name}.go`)).reduce((k, w) => k + w.patterns.length, 0), 0);
      console.log(`        ${version}: ${lines} lines, ${heap} heap findings, ${unclassified} unclassified, ` +
        `annotations ${matched}/${wanted} (${failedAnnotations} in files that did not build)`);
      assert.ok(heap > 500);
      assert.ok(unclassified <= heap / 100, `${unclassified} of ${heap} unclassified`);
      assert.ok(wanted > 1000);
      assert.equal(matched, wanted, 'every annotation of the files that built is matched');
    });
  }
});
