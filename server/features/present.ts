// Words shared by diagnostics, hovers and code actions that need the editor's side: where the docs are.
import * as path from 'node:path';
import { pathToUri } from '../../core/platform';
import { causeAnchor } from '../../core/classify/causes';

/** The causes page shipped beside the bundle (docs/causes.md, generated): every cause has an anchor there. */
export function causeDocUrl(id: string): string {
  return `${pathToUri(path.join(__dirname, '..', 'docs', 'causes.md'))}#${causeAnchor(id)}`;
}
