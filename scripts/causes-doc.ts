// Writes the README's "Causes" section from the cause table (core/classify/causes.ts), so the README
// never words a cause differently from diagnostics and hovers. `npm run docs`; a test checks it is current.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAUSES, causeAnchor, TIER_NAMES } from '../core/classify/causes';

export const START = '<!-- causes:start -->';
export const END = '<!-- causes:end -->';

export function causesMarkdown(): string {
  const out: string[] = [START, '', '*Generated from `core/classify/causes.ts` by `npm run docs`.*', ''];
  for (const tier of ['L1', 'L2', 'L3', null] as const) {
    out.push(`### ${tier ? TIER_NAMES[tier] : 'Not heap escapes'}`, '');
    for (const c of CAUSES.filter((x) => x.tier === tier)) {
      out.push(`<a id="${causeAnchor(c.id)}"></a>**\`${c.id}\`: ${c.title}.** ${c.explanation} *What helps:* ${c.advice}`, '');
    }
  }
  out.push(END);
  return out.join('\n');
}

export function withCauses(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a === -1 || b === -1) throw new Error('README has no causes markers');
  return readme.slice(0, a) + causesMarkdown() + readme.slice(b + END.length);
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', '..', 'README.md');
  fs.writeFileSync(file, withCauses(fs.readFileSync(file, 'utf8')));
}
