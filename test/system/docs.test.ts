// The README reads the cause table; package.json's settings and the server's defaults agree.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withCauses } from '../../scripts/causes-doc';
import { REPO } from '../helpers/goEnv';

describe('docs', () => {
  it('README causes section is generated from the cause table (run npm run docs)', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.equal(readme, withCauses(readme));
  });
});

describe('settings', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; description: string }>;
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

  it('every setting has a description and is in the README', () => {
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.description, key);
      const short = key.replace(/\.L[123]$/, '');
      assert.ok(readme.includes(`\`${key}\``) || readme.includes(`\`${short}.L1\``), `${key} missing from README`);
    }
  });

  it('package.json defaults are the server defaults', async () => {
    const { DEFAULTS } = await import('../../server/settings');
    for (const [key, p] of Object.entries(props)) {
      const path_ = key.replace(/^goEscapeLens\./, '').split('.');
      if (path_[0] === 'trace') continue;
      const v = path_.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], DEFAULTS);
      assert.deepEqual(v, p.default, key);
    }
  });

  it('every command is in the README', () => {
    for (const c of pkg.contributes.commands as { command: string; title: string }[]) {
      if (c.command === 'goEscapeLens.showEscapePath') continue; // offered as a code action
      assert.ok(readme.includes(c.title), c.title);
    }
  });
});

describe('exit codes', () => {
  it('every exit code of the CLI, and the signal ones, is in the README table and the help text', async () => {
    const { EXIT } = await import('../../cli/exitCodes');
    const { HELP } = await import('../../cli/args');
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('### What `--input` accepts'));
    for (const code of [...Object.values(EXIT), 129, 130, 143]) {
      assert.match(table, new RegExp(`\\|[^|\\n]*\`${code}\``), `${code} missing from the README's exit codes`);
      assert.match(HELP, new RegExp(`^  (\\d+/)*${code}(/\\d+)*  `, 'm'), `${code} missing from --help`);
    }
  });
});

describe('presentation rules in the README', () => {
  it('every rule of core/present/rules.ts is in the README\'s table', async () => {
    const { PRESENT_RULES } = await import('../../core/present/rules');
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const r of PRESENT_RULES) assert.ok(readme.includes(`| \`${r.id}\` |`), r.id);
  });
});
