// Sets the repository, bugs and homepage links in package.json from the project's public URL, once it has
// one (until then they point at the reserved example.invalid domain and a release build fails).
//   node scripts/set-repository.mjs https://github.com/OWNER/go-escape-lens [--manifest FILE]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const url = args.find((a) => /^https:\/\//.test(a))?.replace(/(\.git)?\/?$/, '');
if (!url) {
  console.error('usage: node scripts/set-repository.mjs https://github.com/OWNER/go-escape-lens');
  process.exit(2);
}
const file = args.includes('--manifest') ? path.resolve(args[args.indexOf('--manifest') + 1])
  : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.repository = { type: 'git', url: `${url}.git` };
pkg.bugs = { url: `${url}/issues` };
pkg.homepage = `${url}#readme`;
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`repository ${pkg.repository.url}, bugs ${pkg.bugs.url}, homepage ${pkg.homepage}`);
