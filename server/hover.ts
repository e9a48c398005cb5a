// Hover on a finding: headline, the cause in plain words, the flow as numbered clickable steps, what
// usually helps, the docs. Several findings on one spot are all shown, the most relevant first.
import * as path from 'node:path';
import { pathToUri } from '../core/platform';
import type { Hover, Position } from 'vscode-languageserver';
import { cause, TIER_NAMES } from '../core/classify/causes';
import type { Finding, Range } from '../core/model';
import { byRelevance, causeDocUrl, shownSteps } from './present';
import { formatBytes } from '../core/profile/heapProfile';

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.replace(/\n/g, ' ')}${ticks}`;
}

export function findingMarkdown(f: Finding): string {
  const c = cause(f.cause);
  const tier = f.tier ? TIER_NAMES[f.tier] : 'not a heap escape';
  const lines = [`**${code(f.subject || f.message)}** · ${tier} · ${c.title}`, '', c.explanation];
  if (!f.allocates && f.tier) lines.push('', '_This does not allocate._');
  if (f.suppressed !== undefined) lines.push('', `_Suppressed: ${f.suppressed}_`);
  if (f.profile) {
    lines.push('', `**Heap profile:** ${formatBytes(f.profile.bytes)} in ${f.profile.objects.toLocaleString('en-US')} objects ` +
      `allocated on this line (${(f.profile.share * 100).toFixed(1)}% of the profile)`);
  }
  const steps = shownSteps(f);
  if (steps.length > 0) {
    lines.push('', '**Path the value took**', '');
    steps.forEach((st, i) => {
      const where = `${path.basename(st.file || '?')}:${st.line}`;
      const link = st.file ? `[${where}](${pathToUri(st.file)}#L${st.line}${st.column ? `,${st.column}` : ''})` : where;
      lines.push(`${i + 1}. ${link} ${code(st.where)} — ${st.why}`);
    });
    if (f.otherPaths > 0) lines.push('', `_The compiler printed ${f.otherPaths} more path${f.otherPaths === 1 ? '' : 's'}._`);
  }
  lines.push('', `**What usually helps:** ${c.advice}`);
  lines.push('', `Compiler: ${code(f.message)}${f.function ? ` in ${code(f.function)}` : ''} · [About \`${c.id}\`](${causeDocUrl(c.id)})`);
  return lines.join('\n');
}

export function hoverFor(findings: readonly Finding[], pos: Position): Hover | null {
  const here = findings.filter((f) => contains(f.range, pos)).sort(byRelevance);
  if (here.length === 0) return null;
  return {
    contents: { kind: 'markdown', value: here.map(findingMarkdown).join('\n\n---\n\n') },
    range: here[0].range,
  };
}
