// The docs against the code: the generated causes page is current; every setting, command, CLI option,
// exit code, presentation rule and contract rule is documented where the README sends users; the README
// stays a short page for users; every relative link and picture resolves; the CI recipes are what CI runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAUSES_DOC, withCauses } from '../../scripts/causes-doc';
import { REPO } from '../helpers/goEnv';

const read = (rel: string): string => fs.readFileSync(path.join(REPO, rel), 'utf8');
const DOCS = fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
/** Every page a user or contributor reads: links and pictures in them must resolve. */
const PAGES = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...DOCS];
const pkg = JSON.parse(read('package.json'));

/** The page without fenced code blocks and inline code, where links and headings are not markup. */
function prose(md: string): string {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Anchors a page defines: GitHub's heading slugs and explicit `<a id>`s. */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  for (const [, id] of md.matchAll(/<a id="([^"]+)"><\/a>/g)) out.add(id);
  const text = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, title] of text.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    out.add(title.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return out;
}

/** [text](target) and ![alt](target) of a page's prose, with whether each is a picture. */
function links(md: string): { target: string; image: boolean }[] {
  const text = prose(md);
  const out = [...text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map(([, bang, target]) => ({ target, image: bang === '!' }));
  for (const [, src] of text.matchAll(/<img [^>]*src="([^"]+)"/g)) out.push({ target: src, image: true });
  return out;
}

const external = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('docs: the README is the extension page', () => {
  const readme = read('README.md');

  it('is at most 250 lines', () => {
    const lines = readme.split('\n').length;
    assert.ok(lines <= 250, `README.md has ${lines} lines`);
  });

  it('holds no developer instructions (they are in CONTRIBUTING.md)', () => {
    for (const dev of ['npm ci', 'npm test', 'npm run ', 'scripts/build.mjs', 'mocha']) assert.ok(!readme.includes(dev), `README.md mentions ${dev}`);
    assert.match(read('CONTRIBUTING.md'), /npm ci/);
  });

  it('shows pictures that exist, as PNG, and ship with the extension', () => {
    const pictures = links(readme).filter((l) => l.image).map((l) => l.target);
    assert.ok(pictures.length > 0, 'a picture of what it does');
    for (const p of pictures) {
      assert.ok(!external(p) && !p.startsWith('/'), `${p}: relative, so that vsce points it at the repository on release`);
      const file = path.join(REPO, p);
      assert.ok(fs.existsSync(file), `${p} exists`);
      // vsce refuses SVG pictures in a README; a PNG's signature says the file is one.
      assert.deepEqual([...fs.readFileSync(file).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${p} is a PNG`);
      assert.ok((pkg.files as string[]).some((f) => f.endsWith('/**') && p.startsWith(f.slice(0, -2))), `${p} is in package.json "files"`);
    }
  });

  it('links every page of docs/, which ships with the extension (diagnostics open causes.md and contracts.md)', () => {
    const linked = new Set(links(readme).map((l) => l.target.replace(/#.*$/, '')));
    for (const d of DOCS) assert.ok(linked.has(d), `README.md links ${d}`);
    assert.ok((pkg.files as string[]).includes('docs/*.md'), 'package.json "files" ships docs/*.md');
  });
});

describe('docs: links', () => {
  for (const page of PAGES) {
    it(`every relative link and picture of ${page} resolves, anchors included`, () => {
      const md = read(page);
      for (const { target } of links(md)) {
        if (external(target)) continue;
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const resolved = file ? path.resolve(path.dirname(path.join(REPO, page)), decodeURI(file)) : path.join(REPO, page);
        assert.ok(fs.existsSync(resolved), `${page}: ${target} → ${path.relative(REPO, resolved)} does not exist`);
        if (anchor && resolved.endsWith('.md')) {
          assert.ok(anchors(fs.readFileSync(resolved, 'utf8')).has(anchor), `${page}: ${target}: no #${anchor} in ${path.relative(REPO, resolved)}`);
        }
      }
    });
  }
});

describe('docs: causes', () => {
  it(`${CAUSES_DOC}'s causes section is generated from the cause table (run npm run docs)`, () => {
    const page = read(CAUSES_DOC);
    assert.equal(page, withCauses(page));
  });
});

describe('docs: settings and commands', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; description: string }>;
  const settings = read('docs/settings.md');

  it('every setting has a description and a row in docs/settings.md', () => {
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.description, key);
      const short = key.replace(/\.L[123]$/, '');
      assert.ok(settings.includes(`| \`${key}\``) || settings.includes(`| \`${short}.L1\``) || new RegExp(`^\\| [^|\\n]*\`${key.replace(/\./g, '\\.')}\``, 'm').test(settings),
        `${key} missing from docs/settings.md`);
    }
  });

  it('every goEscapeLens.* name the docs mention is contributed by package.json', () => {
    const known = new Set(JSON.stringify(pkg.contributes).match(/goEscapeLens\.[\w.]+/g));
    const exists = (name: string) => known.has(name) || [...known].some((k) => k.startsWith(name + '.'));
    for (const page of PAGES) {
      for (const [name] of read(page).matchAll(/goEscapeLens(\.[A-Za-z][\w]*)+/g)) assert.ok(exists(name), `${page}: ${name} is no setting, command or view`);
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

  it('every command is in docs/editor.md', () => {
    const editor = read('docs/editor.md');
    for (const c of pkg.contributes.commands as { command: string; title: string }[]) assert.ok(editor.includes(`${c.title}*`), c.title);
  });

  it('every rule of core/present/rules.ts is in docs/editor.md\'s table', async () => {
    const { PRESENT_RULES } = await import('../../core/present/rules');
    const editor = read('docs/editor.md');
    for (const r of PRESENT_RULES) assert.ok(editor.includes(`| \`${r.id}\` |`), r.id);
  });
});

describe('docs: the CLI', () => {
  const cli = read('docs/cli.md');

  it('every option of --help has a row in docs/cli.md', async () => {
    const { HELP } = await import('../../cli/args');
    const options = new Set([...HELP.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map(([, o]) => o));
    assert.ok(options.size > 20, `options read from --help: ${[...options].join(' ')}`);
    for (const o of options) {
      if (o === '--help' || o === '--version') continue;
      assert.match(cli, new RegExp(`^\\| \`${o}[ =\`|\\\\]`, 'm'), `${o} has no row in docs/cli.md`);
    }
    assert.match(cli, /`--no-policy`/);
    assert.match(cli, /`--no-color`/);
  });

  it('every exit code of the CLI, and the signal ones, is in docs/cli.md\'s table and the help text', async () => {
    const { EXIT } = await import('../../cli/exitCodes');
    const { HELP } = await import('../../cli/args');
    const start = cli.indexOf('\n## Exit codes\n');
    assert.ok(start >= 0, 'docs/cli.md has an "Exit codes" section');
    const table = cli.slice(start, cli.indexOf('\n## ', start + 1));
    for (const code of [...Object.values(EXIT), 129, 130, 143]) {
      assert.match(table, new RegExp(`\\|[^|\\n]*\`${code}\``), `${code} missing from docs/cli.md's exit codes`);
      assert.match(HELP, new RegExp(`^  (\\d+/)*${code}(/\\d+)*  `, 'm'), `${code} missing from --help`);
    }
  });

  it('every contract rule has its anchor and title in docs/contracts.md (SARIF and diagnostics link there)', async () => {
    const { CONTRACT_RULES, contractAnchor } = await import('../../core/contracts/rules');
    const contracts = read('docs/contracts.md');
    for (const r of CONTRACT_RULES) assert.ok(contracts.includes(`| <a id="${contractAnchor(r.id)}"></a>\`${r.id}\` | ${r.title} |`), r.id);
  });

  it('every go-escape-lens command of the CI recipes is run by .ci/run', () => {
    // .ci/run writes into a temp dir: "$ci_tmp/escapes.md" there is escapes.md in the recipes.
    const run = read('.ci/run').replace(/"\$ci_tmp\/([^"]+)"/g, '$1');
    const recipes = [...read('docs/ci.md').matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map(([, block]) => block).join('\n');
    const commands = [...recipes.matchAll(/(?:^|[ \t;])(go-escape-lens[ \t]+(?:--|")[^;\n]*)/gm)].map(([, c]) => c.trim())
      .concat([...recipes.matchAll(/\bargs\+?=\([^)]*\)/g)].map(([c]) => c));
    // Both recipes: the gate and the default branch's baseline, each with its arguments.
    assert.ok(commands.length >= 4, commands.join('\n'));
    for (const c of commands) assert.ok(run.includes(c), `.ci/run does not run: ${c}`);
  });
});
