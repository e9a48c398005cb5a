// The hover's part for paths across packages: the stitched path, the refined cause, the possible
// implementations of an interface call, and the link that opens the graph.
import * as path from 'node:path';
import { pathToUri } from '../../core/platform';
import { cause } from '../../core/classify/causes';
import { hopName } from '../../core/deep/text';
import type { Finding } from '../../core/model';
import { addHoverSection } from '../../core/present/hoverText';
import { SHOW_GRAPH_COMMAND } from '../protocol';

const pending = new WeakSet<Finding>();

export function markPending(f: Finding, on: boolean): void {
  if (on) pending.add(f); else pending.delete(f);
}

function link(file: string, line: number, column?: number): string {
  const where = `${path.basename(file || '?')}:${line}`;
  return file ? `[${where}](${pathToUri(file)}#L${line}${column ? `,${column}` : ''})` : where;
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.replace(/\n/g, ' ')}${ticks}`;
}

/** Markdown for the path beyond the package, or a line saying it is being followed; '' when neither. */
export function deepMarkdown(f: Finding): string {
  const graph = graphLink(f);
  if (!f.deep) {
    // Only when the hover's bounded wait ran out: the graph link waits for the path, without a bound.
    if (pending.has(f)) return `_The path into the callees' packages is still being followed (each is compiled once, then cached); the graph waits for it._\n\n${graph}`;
    // Every path can be drawn; the graph command follows it across packages first.
    return f.tier && f.flow.length > 0 ? graph : '';
  }
  const d = f.deep;
  const lines = ['**Beyond this package**', ''];
  for (const h of d.hops) lines.push(`→ ${code(hopName(h))}: ${code(h.message)} (${link(h.file, h.line, h.column)})`);
  if (d.sink) lines.push(`⇒ **${d.sink.text.split(':')[0]}**: ${code(d.sink.where)} (${link(d.sink.file, d.sink.line, d.sink.column)})`);
  else if (d.note) lines.push(`⇒ _${d.note}_`);
  for (const i of d.implementations ?? []) {
    lines.push(`- _possible:_ ${code(i.method)} (${link(i.file, i.line, i.column)}): ${i.message ? code(i.message) : 'no summary for this parameter'}${i.detail ? ` — ${code(i.detail)}` : ''}`);
  }
  if (d.refinedCause) lines.push('', `Cause refined by the sink: **${cause(d.refinedCause).title}** (\`${d.refinedCause}\`, ${cause(d.refinedCause).tier}).`);
  lines.push('', graph);
  // Each arrow is its own paragraph so the path reads one callee per line.
  return lines.join('\n\n').replace(/\n\n\n\n/g, '\n\n');
}

export function graphLink(f: Finding): string {
  const args = [pathToUri(f.file), f.range.start];
  return `[Show the path as a graph](command:${SHOW_GRAPH_COMMAND}?${encodeURIComponent(JSON.stringify(args))})`;
}

// The hover's section for paths across packages comes right after the finding's own path.
addHoverSection('deep', (item) => deepMarkdown(item.finding) || undefined, 'path');
