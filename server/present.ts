// Words shared by diagnostics, hovers and code actions that need the editor's side: where the docs are.
import * as path from 'node:path';
import { pathToUri } from '../core/platform';
import { causeAnchor } from '../core/classify/causes';

/** The README shipped next to the bundle: every cause has an anchor there. */
export function causeDocUrl(id: string): string {
  return `${pathToUri(path.join(__dirname, '..', 'README.md'))}#${causeAnchor(id)}`;
}
