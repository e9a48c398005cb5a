// The golden form of a package's findings: one line each, with the text the range covers, so a diff
// of a golden file shows exactly what moved.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePackage } from '../../core/analysis/analyzePackage';
import type { SourceCache } from '../../core/locate/sourceCache';
import { isParamSummary, type Finding } from '../../core/model';
import { rangeText } from './text';
import { REPO } from './repo';

export const GOLDEN_NAME = 'escapes.golden';
export const SAMPLE = path.join(REPO, 'fixtures', 'sample');

export function goldenLine(f: Finding): string {
  const { start, end } = f.range;
  const loc = `${path.basename(f.file)}:${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
  const text = rangeText(f).replace(/\n[\s\S]*/, '…');
  const suppressed = f.suppressed !== undefined ? ` [suppressed: ${f.suppressed}]` : '';
  // Parameter summaries never allocate: what matters is where the value goes.
  const free = f.allocates || isParamSummary(f) ? '' : ' (no allocation)';
  const via = f.via ? ` (goes to: ${f.via})` : '';
  const grows = f.allocatesIf === 'slice-grows' ? ' (if the slice grows)' : '';
  return `${loc} ${f.tier ?? '--'} ${f.cause} «${text}» ${f.message}${f.exact ? '' : ' (approximate)'}${free}${grows}${via}${suppressed}`;
}

export async function goldenFor(dir: string, sources: SourceCache): Promise<string> {
  const r = await analyzePackage({ dir, sources });
  if (r.errors.length) throw new Error(`${dir} does not build: ${r.errors.map((e) => e.message).join('; ')}`);
  return ['# Heap findings of this package. Regenerate with: npm run goldens', ...r.findings.map(goldenLine)].join('\n') + '\n';
}

/** Package directories of the sample module that have goldens. */
export function samplePackages(): string[] {
  return fs.readdirSync(SAMPLE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.readdirSync(path.join(SAMPLE, d.name)).some((f) => f.endsWith('.go')))
    .map((d) => path.join(SAMPLE, d.name));
}
