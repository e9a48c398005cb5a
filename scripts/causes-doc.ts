// Writes the generated part of docs/causes.md from the cause table (core/classify/causes.ts), so the docs
// never word a cause differently from diagnostics and hovers, which link to its anchors. `npm run docs`;
// a test checks it is current.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAUSES, causeAnchor, TIER_NAMES } from '../core/classify/causes';

export const START = '<!-- causes:start -->';
export const END = '<!-- causes:end -->';
/** The page that holds the generated section, relative to the repository root. */
export const CAUSES_DOC = path.join('docs', 'causes.md');

export function causesMarkdown(): string {
  const out: string[] = [START, '', '*Generated from `core/classify/causes.ts` by `npm run docs`.*', ''];
  for (const tier of ['L1', 'L2', 'L3', null] as const) {
    out.push(`## ${tier ? TIER_NAMES[tier] : 'Not heap escapes'}`, '');
    for (const c of CAUSES.filter((x) => x.tier === tier)) {
      out.push(`<a id="${causeAnchor(c.id)}"></a>**\`${c.id}\`: ${c.title}.** ${c.explanation} *What helps:* ${c.advice}`, '');
    }
  }
  out.push(END);
  return out.join('\n');
}

/** `page` with its generated section replaced by the current one. */
export function withCauses(page: string): string {
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  if (a === -1 || b === -1) throw new Error(`${CAUSES_DOC} has no causes markers`);
  return page.slice(0, a) + causesMarkdown() + page.slice(b + END.length);
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', '..', CAUSES_DOC);
  fs.writeFileSync(file, withCauses(fs.readFileSync(file, 'utf8')));
}
