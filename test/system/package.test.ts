// Publishing: the metadata check fails on what the Marketplace or Open VSX would reject, and the packaged
// .vsix holds the icon, the changelog, the walkthrough and its media next to the bundles.
import * as assert from 'node:assert/strict';
import { REPO } from '../helpers/repo';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { readZip } from '../helpers/zip';
import { helperSourceFiles } from '../../core/gohelper/goHelper';


const made: string[] = [];
const tempDir = (): string => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-package-')); made.push(d); return d; };
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

function check(args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'check-package.mjs'), ...args],
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, GO_ESCAPE_LENS_LOCAL_BUILD: '', ...env } });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A copy of package.json changed by `edit`, for the check's --manifest. */
function manifest(edit: (p: Record<string, any>) => void): string {
  const p = structuredClone(PKG);
  edit(p);
  const file = path.join(tempDir(), 'package.json');
  fs.writeFileSync(file, JSON.stringify(p, null, 2));
  return file;
}

describe('packaging', () => {
  after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

  it('the metadata check passes a local build and lists what vsce would pack', () => {
    const r = check(['--local']);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /package check: ok/);
  });

  it('a release build fails while the repository links are the placeholder', () => {
    const r = check([]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /repository\.url is the placeholder/);
    assert.match(r.out, /set-repository\.mjs/);
    assert.equal(check([], { GO_ESCAPE_LENS_LOCAL_BUILD: '1' }).status, 0, 'the variable vsce passes for a local build');
  });

  it('npm run package:release makes no .vsix while they are', function () {
    this.timeout(120_000);
    const out = path.join(tempDir(), 'release.vsix');
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'package.mjs'), '--release', '--out', out], { cwd: REPO, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /homepage is the placeholder/);
    assert.ok(!fs.existsSync(out));
  });

  it('set-repository.mjs fills in real links, which then pass the release check', () => {
    const file = manifest(() => undefined);
    const set = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'set-repository.mjs'), 'https://github.com/acme/go-escape-lens.git', '--manifest', file], { encoding: 'utf8' });
    assert.equal(set.status, 0, set.stderr);
    const p = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual([p.repository.url, p.bugs.url, p.homepage],
      ['https://github.com/acme/go-escape-lens.git', 'https://github.com/acme/go-escape-lens/issues', 'https://github.com/acme/go-escape-lens#readme']);
    const r = check(['--release', '--manifest', file]);
    assert.equal(r.status, 0, r.out);
  });

  const broken: [string, (p: Record<string, any>) => void, RegExp][] = [
    ['no icon', (p) => { delete p.icon; }, /icon must name a \.png/],
    ['an SVG icon', (p) => { p.icon = 'images/icon.svg'; }, /icon must name a \.png/],
    ['a small icon', (p) => { p.icon = 'images/hover.png'; }, /square PNG of at least 128 px/],
    ['no gallery banner', (p) => { delete p.galleryBanner; }, /galleryBanner/],
    ['an unknown category', (p) => { p.categories = ['Go']; }, /"Go" is not a Marketplace category/],
    ['no keywords', (p) => { p.keywords = []; }, /keywords/],
    ['qna left on', (p) => { delete p.qna; }, /qna/],
    ['no license', (p) => { delete p.license; }, /"license" is missing/],
    ['no bugs link', (p) => { delete p.bugs; }, /bugs\.url is missing/],
    ['a version the changelog lacks', (p) => { p.version = '9.9.9'; }, /CHANGELOG\.md has no "## \[9\.9\.9\]"/],
    ['no walkthrough', (p) => { delete p.contributes.walkthroughs; }, /walkthroughs is missing/],
    ['walkthrough media missing', (p) => { p.contributes.walkthroughs[0].steps[0].media.markdown = 'walkthrough/gone.md'; }, /media walkthrough\/gone\.md not found/],
    ['a link to a command that does not exist', (p) => { p.contributes.walkthroughs[0].steps[0].description += ' [x](command:goEscapeLens.nope)'; }, /command goEscapeLens\.nope is not contributed/],
    ['a link to a setting that does not exist', (p) => { p.contributes.walkthroughs[0].steps[4].description = '[x](command:workbench.action.openSettings?%22goEscapeLens.nope%22)'; }, /no setting matches "goEscapeLens\.nope"/],
  ];
  for (const [what, edit, message] of broken) {
    it(`fails on ${what}`, () => {
      const r = check(['--local', '--manifest', manifest(edit)]);
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, message);
    });
  }

  it('npm run package makes a .vsix with icon, changelog, walkthrough and bundles', function () {
    this.timeout(120_000);
    const out = path.join(tempDir(), 'go-escape-lens.vsix');
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'package.mjs'), '--out', out], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const zip = readZip(out);
    const names = [...zip.keys()].sort();
    console.log(`        ${path.basename(out)}: ${names.length} files (${(fs.statSync(out).size / 1e6).toFixed(2)} MB)`);
    for (const f of ['extension/package.json', 'extension/images/icon.png', 'extension/changelog.md', 'extension/readme.md',
      'extension/LICENSE.txt', 'extension/dist/extension.js', 'extension/dist/server.js',
      ...helperSourceFiles(path.join(REPO, 'core', 'gohelper', 'goast')).map((f) => `extension/dist/goast/${f}`),
      'extension/walkthrough/squiggles.md', 'extension/walkthrough/tiers.svg', 'extension/walkthrough/more.md',
      'extension/walkthrough/suppress.md', 'extension/walkthrough/measure.md',
      'extension/docs/causes.md', 'extension/docs/contracts.md']) {
      assert.ok(names.includes(f), `${f} in the .vsix (has: ${names.join(', ')})`);
    }
    assert.ok(!names.some((n) => n.endsWith('.ts') || n.includes('node_modules/')), 'no sources, no node_modules');
    const vsixManifest = zip.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/images\/icon\.png"/);
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.Changelog" Path="extension\/changelog\.md"/);
    assert.match(vsixManifest, /Microsoft\.VisualStudio\.Services\.Branding\.Color" Value="#10293a"/);
    const packed = JSON.parse(zip.get('extension/package.json')!.toString('utf8'));
    const walk = packed.contributes.walkthroughs[0];
    assert.equal(walk.id, 'goEscapeLens.gettingStarted');
    assert.deepEqual(walk.steps.map((s: { id: string }) => s.id), ['squiggles', 'tiers', 'more', 'suppress', 'measure']);
    assert.equal(zip.get('extension/images/icon.png')!.readUInt32BE(16), 256);
  });

  it('a release .vsix points the README\'s pictures and links at the repository', function () {
    // VS Code's extension page shows https pictures only, and the Marketplace resolves nothing inside the
    // .vsix: a relative picture there is its alt text. A copy of the project with a real repository.
    this.timeout(180_000);
    const copy = tempDir();
    for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json', 'images', 'docs', 'dist', 'walkthrough', 'schemas', 'syntaxes', 'scripts', 'core/gohelper/goast']) {
      fs.cpSync(path.join(REPO, f), path.join(copy, f), { recursive: true, filter: (src) => !src.endsWith('.vsix') });
    }
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'));
    const repo = 'https://github.com/acme/go-escape-lens';
    const set = spawnSync(process.execPath, [path.join(copy, 'scripts', 'set-repository.mjs'), repo], { encoding: 'utf8' });
    assert.equal(set.status, 0, set.stderr);
    const out = path.join(copy, 'release.vsix');
    const r = spawnSync(process.execPath, [path.join(copy, 'scripts', 'package.mjs'), '--release', '--out', out], { cwd: copy, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const readme = readZip(out).get('extension/readme.md')!.toString('utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(([, src]) => src);
    assert.ok(pictures.length > 0);
    for (const p of pictures) assert.match(p, new RegExp(`^${repo}/raw/HEAD/images/[\\w-]+\\.png$`));
    assert.match(readme, new RegExp(`\\]\\(${repo}/blob/HEAD/docs/causes\\.md\\)`));
    assert.doesNotMatch(readme, /\]\((docs|images)\//, 'no relative link is left');
  });
});
