// Makes dist/go-escape-lens.vsix after checking its metadata (scripts/check-package.mjs).
//   node scripts/package.mjs            a local build: placeholder repository links only warn
//   node scripts/package.mjs --release  what gets published: they fail
//   --out FILE                          another output path (tests)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const release = args.includes('--release');
const out = args.includes('--out') ? path.resolve(args[args.indexOf('--out') + 1]) : path.join(ROOT, 'dist', 'go-escape-lens.vsix');
// vsce runs the vscode:prepublish check again; the variable tells it which kind of build this is.
const env = { ...process.env, GO_ESCAPE_LENS_LOCAL_BUILD: release ? '0' : '1' };
const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
// The README links its pictures and docs relatively. A release (whose repository is real: the check fails
// otherwise) lets vsce point them at the repository, the only place the Marketplace and VS Code's extension
// page (https images only) can show them from; a local build has no repository to point at.
const links = release ? [] : ['--no-rewrite-relative-links'];
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', ...links, '-o', out], { cwd: ROOT, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
