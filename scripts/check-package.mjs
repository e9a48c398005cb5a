// Checks what the Marketplace and Open VSX need before a .vsix is made: metadata fields, the icon, the
// changelog, the walkthrough's media and links, and the files `vsce ls` would pack. Fails (exit 1) on any
// problem. The repository / bugs / homepage links are a placeholder under the reserved `.invalid` domain
// until the project has a public home: a release build fails while they are, a local build only warns.
//   node scripts/check-package.mjs            strict unless GO_ESCAPE_LENS_LOCAL_BUILD=1 (vsce's vscode:prepublish)
//   node scripts/check-package.mjs --local    placeholder links allowed (npm run package)
//   node scripts/check-package.mjs --release  never allowed (npm run package:release)
//   --manifest FILE                           check another package.json (tests), files relative to the repo
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const manifestAt = args.includes('--manifest') ? path.resolve(args[args.indexOf('--manifest') + 1]) : path.join(ROOT, 'package.json');
const local = !args.includes('--release') && (args.includes('--local') || process.env.GO_ESCAPE_LENS_LOCAL_BUILD === '1');
const pkg = JSON.parse(fs.readFileSync(manifestAt, 'utf8'));
const errors = [];
const warnings = [];
const need = (cond, message) => { if (!cond) errors.push(message); };
const file = (rel) => path.join(ROOT, rel);

// The Marketplace's category list (vsce rejects others).
const CATEGORIES = new Set(['AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters',
  'Keymaps', 'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages',
  'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization']);
// Commands of VS Code itself that walkthrough links may open.
const BUILTIN_COMMANDS = new Set(['workbench.action.openSettings', 'workbench.actions.view.problems', 'workbench.action.quickOpen',
  'editor.action.quickFix', 'workbench.action.showCommands']);
const PLACEHOLDER_HOST = 'example.invalid';

for (const key of ['name', 'displayName', 'description', 'version', 'publisher', 'license']) {
  need(typeof pkg[key] === 'string' && pkg[key].trim() !== '', `package.json: "${key}" is missing`);
}
need(/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version ?? ''), `package.json: version "${pkg.version}" is not semver`);
need(typeof pkg.engines?.vscode === 'string', 'package.json: engines.vscode is missing');
need(Array.isArray(pkg.categories) && pkg.categories.length > 0, 'package.json: categories are missing');
for (const c of pkg.categories ?? []) need(CATEGORIES.has(c), `package.json: "${c}" is not a Marketplace category`);
need(Array.isArray(pkg.keywords) && pkg.keywords.length > 0 && pkg.keywords.length <= 30, 'package.json: 1 to 30 keywords');
need(/^#[0-9a-fA-F]{6}$/.test(pkg.galleryBanner?.color ?? '') && ['dark', 'light'].includes(pkg.galleryBanner?.theme),
  'package.json: galleryBanner needs a #rrggbb color and theme dark or light');
need(pkg.qna === false || /^https:\/\//.test(pkg.qna ?? ''), 'package.json: qna must be false or a URL');

// Icon: a PNG (SVG icons are rejected), square, at least 128 px.
need(typeof pkg.icon === 'string' && pkg.icon.endsWith('.png'), 'package.json: icon must name a .png');
if (typeof pkg.icon === 'string' && fs.existsSync(file(pkg.icon))) {
  const png = fs.readFileSync(file(pkg.icon));
  const isPng = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const w = isPng ? png.readUInt32BE(16) : 0;
  const h = isPng ? png.readUInt32BE(20) : 0;
  need(isPng && w === h && w >= 128, `${pkg.icon}: a square PNG of at least 128 px is needed (is ${w}×${h})`);
} else if (pkg.icon) {
  errors.push(`${pkg.icon}: not found`);
}

for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) need(fs.existsSync(file(f)), `${f} is missing`);
if (fs.existsSync(file('CHANGELOG.md'))) {
  const log = fs.readFileSync(file('CHANGELOG.md'), 'utf8');
  need(log.includes(`## [${pkg.version}]`), `CHANGELOG.md has no "## [${pkg.version}]" section`);
}

// Links: real, or the placeholder (allowed only in a local build).
const links = { 'repository.url': pkg.repository?.url, 'bugs.url': pkg.bugs?.url, homepage: pkg.homepage };
for (const [key, url] of Object.entries(links)) {
  if (typeof url !== 'string' || !/^https:\/\/[^/]+\//.test(url)) { errors.push(`package.json: ${key} is missing or not an https URL`); continue; }
  if (new URL(url).hostname === PLACEHOLDER_HOST) {
    const msg = `package.json: ${key} is the placeholder ${url}; set the real one with ` +
      '`node scripts/set-repository.mjs https://github.com/OWNER/go-escape-lens`';
    (local ? warnings : errors).push(msg);
  }
}

// Walkthroughs: media that exist and ship, command links to real commands, settings that exist.
const commands = new Set((pkg.contributes?.commands ?? []).map((c) => c.command));
const settings = Object.keys(pkg.contributes?.configuration?.properties ?? {});
const walkthroughs = pkg.contributes?.walkthroughs ?? [];
need(walkthroughs.length > 0, 'package.json: contributes.walkthroughs is missing');
const media = [];
for (const w of walkthroughs) {
  for (const step of w.steps ?? []) {
    const where = `walkthrough step "${step.id}"`;
    const m = step.media ?? {};
    const mediaFile = m.markdown ?? m.svg ?? m.image;
    need(typeof mediaFile === 'string' && fs.existsSync(file(mediaFile)), `${where}: media ${mediaFile} not found`);
    if (m.svg || m.image) need(typeof m.altText === 'string' && m.altText.length > 0, `${where}: altText is missing`);
    if (typeof mediaFile === 'string') media.push(mediaFile);
    const linksIn = [...(step.description ?? '').matchAll(/\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)];
    need(linksIn.length > 0, `${where}: no button (command: link)`);
    for (const [, id, arg] of linksIn) {
      need(commands.has(id) || BUILTIN_COMMANDS.has(id), `${where}: command ${id} is not contributed`);
      if (id === 'workbench.action.openSettings' && arg) {
        const query = JSON.parse(decodeURIComponent(arg));
        need(settings.some((s) => s === query || s.startsWith(query + '.')), `${where}: no setting matches "${query}"`);
      }
    }
    for (const ev of step.completionEvents ?? []) {
      const [kind, id] = ev.split(':');
      if (kind === 'onCommand') need(commands.has(id), `${where}: completion command ${id} is not contributed`);
      if (kind === 'onSettingChanged') need(settings.includes(id), `${where}: completion setting ${id} does not exist`);
    }
  }
}

// What vsce would pack: the bundles, the assets above, and nothing from the sources or node_modules.
if (!args.includes('--manifest')) {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const ls = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GO_ESCAPE_LENS_LOCAL_BUILD: '1' } });
  if (ls.status !== 0) {
    errors.push(`vsce ls failed: ${ls.stderr || ls.stdout}`);
  } else {
    const packed = new Set(ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
    // The bundles and what they read at run time are named one by one in "files"; globs are for assets.
    const named = (pkg.files ?? []).filter((f) => !/[*?]/.test(f));
    // The parser helper's source, built on the user's machine: every file scripts/build.mjs copies.
    const helper = fs.readdirSync(path.join(ROOT, 'core', 'gohelper', 'goast'))
      .filter((f) => f === 'go.mod' || (f.endsWith('.go') && !f.endsWith('_test.go'))).map((f) => `dist/goast/${f}`);
    // The pages diagnostics link to (a cause's or a contract rule's anchor), opened from the installed extension.
    const linked = ['docs/causes.md', 'docs/contracts.md'];
    for (const f of [pkg.main.replace(/^\.\//, ''), 'dist/server.js', ...named, ...helper, pkg.icon,
      'CHANGELOG.md', 'README.md', 'LICENSE', 'package.json', ...media, ...linked]) {
      need(packed.has(f), `vsce ls: ${f} would not be packed (build first, or add it to "files" in package.json)`);
    }
    for (const f of packed) need(!/^(node_modules|core|server|client|cli|test|fixtures|bench|out)\//.test(f) && !f.endsWith('.ts'), `vsce ls: ${f} would be packed`);
  }
}

for (const w of warnings) console.warn(`warning: ${w}`);
for (const e of errors) console.error(`error: ${e}`);
if (errors.length) {
  console.error(`package check: ${errors.length} problem${errors.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`package check: ok${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'}, local build)` : ''}`);
