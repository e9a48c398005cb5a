// The repository's root, wherever a test was bundled (out/test/<room>/…): the nearest directory above
// that holds this project's package.json.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(from: string): string {
  for (let d = from; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'go-escape-lens') return d;
    if (path.dirname(d) === d) throw new Error(`no go-escape-lens package.json above ${from}`);
  }
}

export const REPO = findRoot(__dirname);
