// Regenerates fixtures/sample/*/escapes.golden from the live compiler. Review the diff before committing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { GOLDEN_NAME, goldenFor, samplePackages } from '../test/helpers/golden';

(async () => {
  const sources = new SourceCache(await loadGoParser());
  for (const dir of samplePackages()) {
    const file = path.join(dir, GOLDEN_NAME);
    const text = await goldenFor(dir, sources);
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    fs.writeFileSync(file, text);
    console.log(`${old === text ? 'same   ' : 'updated'} ${path.relative(process.cwd(), file)}`);
  }
})();
