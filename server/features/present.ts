// Words shared by diagnostics, hovers and code actions that need the editor's side: where the docs are.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToUri } from '../../core/platform';
import { causeAnchor } from '../../core/classify/causes';

let readme: string | undefined;

/**
 * The README shipped next to the bundle: every cause has an anchor there. vsce packages README.md as
 * `readme.md`, and the file system may be case-sensitive: link to the name that exists.
 */
export function causeDocUrl(id: string): string {
  readme ??= ['readme.md', 'README.md'].map((n) => path.join(__dirname, '..', n)).find((f) => fs.existsSync(f))
    ?? path.join(__dirname, '..', 'README.md');
  return `${pathToUri(readme)}#${causeAnchor(id)}`;
}
