// The compiler's own escape tests as an oracle nobody here wrote: every `// ERROR "re"` annotation of
// every $GOROOT/test/escape*.go errorcheck test must be matched by one of our findings (--all) on its
// line (the line its range starts on) whose verbatim message matches re.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { headerFlags, wantedErrors } from '../../helpers/errorcheck';
import { GOROOT, TRANSCRIPTS, tempModule } from '../../helpers/goEnv';

function suiteDir(): string {
  const local = path.join(GOROOT, 'test');
  return fs.existsSync(path.join(local, 'escape2.go')) ? local : path.join(TRANSCRIPTS, 'go1.23.5', 'src');
}

describe('conformance with $GOROOT/test/escape*.go', function () {
  const dir = suiteDir();
  const files = fs.readdirSync(dir).filter((f) => /^escape.*\.go$/.test(f)).sort();
  const totals = { files: 0, notBuilding: [] as string[], excluded: [] as string[], wanted: 0, matched: 0 };
  const misses: string[] = [];
  let sources: SourceCache;

  before(async () => { sources = new SourceCache(await loadGoParser()); });

  for (const file of files) {
    const flags = headerFlags(path.join(dir, file));
    if (!flags) continue; // `// run` tests have no annotations
    it(file, async () => {
      const name = file.replace(/\.go$/, '');
      const mod = tempModule({ [file]: fs.readFileSync(path.join(dir, file), 'utf8'), [`${name}.s`]: '' }, '1.26', name);
      try {
        const gcflags = flags.filter((f) => f !== '-0' && !/^-m(=\d+)?$/.test(f));
        const r = await analyzePackage({ dir: mod, gcflags, sources, all: true, timeoutMs: 120_000 });
        const wants = wantedErrors(path.join(mod, file));
        const errText = r.errors.map((e) => e.message).join('\n');
        if (/build constraints exclude all Go files/.test(errText)) {
          // `//go:build goexperiment.X`: not part of this toolchain's suite, as cmd/internal/testdir skips it.
          totals.excluded.push(file);
          return;
        }
        if (r.errors.length > 0) {
          // Only a test that imports a GOROOT-internal package may fail to build alone.
          assert.match(errText, /use of internal package|not allowed/);
          totals.notBuilding.push(`${file} (${wants.length} annotations)`);
          return;
        }
        totals.files++;
        const byLine = new Map<number, string[]>();
        for (const f of r.findings) {
          if (path.basename(f.file) !== file) continue;
          // By the range: a squiggle must sit on the line the compiler (and the annotation) names.
          const l = f.range.start.line + 1;
          byLine.set(l, [...(byLine.get(l) ?? []), f.message]);
        }
        for (const w of wants) {
          const msgs = byLine.get(w.line) ?? [];
          w.patterns.forEach((re, i) => {
            totals.wanted++;
            if (msgs.some((m) => re.test(m))) totals.matched++;
            else misses.push(`${file}:${w.line}: no finding matches "${w.raw[i]}" (have: ${msgs.join(' | ') || 'none'})`);
          });
        }
      } finally {
        fs.rmSync(mod, { recursive: true, force: true });
      }
    });
  }

  after(() => {
    console.log(`      conformance: ${totals.matched}/${totals.wanted} annotations matched in ${totals.files} files;` +
      ` not building alone: ${totals.notBuilding.join(', ') || 'none'};` +
      ` excluded by build constraints: ${totals.excluded.join(', ') || 'none'}`);
    if (misses.length) console.log(misses.slice(0, 30).map((m) => '        ' + m).join('\n'));
  });

  it('matches every annotation', () => {
    assert.ok(totals.wanted > 1000, `only ${totals.wanted} annotations found`);
    assert.deepEqual(misses, []);
    assert.ok(totals.notBuilding.length <= 1, `more than one test did not build: ${totals.notBuilding.join(', ')}`);
  });
});
