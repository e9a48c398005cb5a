// The README reads the cause table; package.json's settings and the server's defaults agree.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withCauses } from '../scripts/causes-doc';
import { REPO } from './helpers/goEnv';

describe('docs', () => {
  it('README causes section is generated from the cause table (run npm run docs)', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.equal(readme, withCauses(readme));
  });
});
