// One hover per spot, read top to bottom: what, why (cause, tier), the path, what helps, cost. Sections
// are a list so that other features add theirs (cross-package paths after `path`, benchmark lines after
// `cost`) without touching the rest: `addHoverSection('bench', render, 'cost')`.
import * as path from 'node:path';
import { pathToUri } from '../platform';
import { cause, TIER_NAMES } from '../classify/causes';
import type { Finding } from '../model';
import { isParamSummary } from '../model';
import { formatBytes } from '../measure/heapProfile';
import { measuredText } from '../measure/format';
import type { CodeContext } from './codeContext';
import { code, userPath } from './pathWords';
import type { Item } from './present';
import { PRESENT_RULES } from './rules';

export interface HoverContext {
  ctx: CodeContext;
  /** Where a cause is documented (an anchor of docs/causes.md). */
  docUrl(causeId: string): string;
  /** The editor shows the item's diagnostic message above the hover: then the hover does not repeat it. */
  shownAsDiagnostic: boolean;
  /** The findings come from the last successful build (the package does not build now). */
  stale?: boolean;
  /** At most this many path steps (the rest: "Show escape path"). */
  maxSteps?: number;
}

export type HoverSection = (item: Item, h: HoverContext) => string | undefined;

const sections: { id: string; render: HoverSection }[] = [];

/** Adds a section after the one named `after` (at the end when absent). */
export function addHoverSection(id: string, render: HoverSection, after?: string): void {
  const i = after ? sections.findIndex((s) => s.id === after) : -1;
  sections.splice(i === -1 ? sections.length : i + 1, 0, { id, render });
}

/** `p` (param) / `&Order{...}` / the group's words. */
function what(item: Item, h: HoverContext): string | undefined {
  const f = item.finding;
  const c = cause(f.cause);
  const tier = f.tier ? TIER_NAMES[f.tier] : 'not a heap escape';
  if (item.members.length > 1) {
    // One line for the members, by what happens to them: `n`, `name`: converted to an interface · `"x"`: no allocation.
    const by = new Map<string, string[]>();
    for (const m of item.members) {
      const t = m.allocates ? cause(m.cause).title : 'no allocation';
      by.set(t, [...(by.get(t) ?? []), code(m.subject || m.message)]);
    }
    const list = [...by].map(([t, names]) => `${names.slice(0, 6).join(', ')}${names.length > 6 ? ` and ${names.length - 6} more` : ''}: ${t}`).join(' · ');
    return h.shownAsDiagnostic ? list : `**${item.message}** · ${tier}\n\n${list}`;
  }
  if (h.shownAsDiagnostic) return undefined;
  if (isParamSummary(f)) return `**parameter ${code(f.subject)}** · ${tier} · ${c.title}`;
  return `**${code(f.subject || f.message)}** · ${tier} · ${c.title}`;
}

function why(item: Item, h: HoverContext): string | undefined {
  const f = item.finding;
  const c = cause(f.cause);
  const parts = [c.explanation];
  if (item.because) parts.push(item.because + '.');
  if (f.allocatesIf === 'slice-grows') parts.push('It allocates only when the slice grows.');
  if (!item.allocates && !isParamSummary(f) && f.tier) parts.push('_This does not allocate._');
  if (f.inlinedFrom && item.members.length === 1) parts.push(`The allocation is in ${code(f.inlinedFrom)}'s body, inlined at this call.`);
  const note = item.rules.map((id) => PRESENT_RULES.find((r) => r.id === id)).find((r) => r && (r.id.startsWith('cold-') || r.id === 'inlined-local'));
  if (note && item.display === 'hint') parts.push(`_Shown as a hint: ${note.why.replace(/\.$/, '')} (\`goEscapeLens.${note.setting}\`)._`);
  if (item.rules.includes('profile-hot')) parts.push('_A warning: the heap profile puts this line among the costliest._');
  if (f.suppressed !== undefined) parts.push(`_Suppressed: ${f.suppressed}_`);
  if (h.stale) parts.push('_From the last successful build: the package does not build now._');
  return parts.join(' ');
}

function pathSection(item: Item, h: HoverContext): string | undefined {
  const f = item.finding;
  const steps = userPath(f, h.ctx);
  if (steps.length === 0) return undefined;
  const max = h.maxSteps ?? 5;
  const lines = steps.slice(0, max).map((st, i) => {
    const where = `${path.basename(st.file || '?')}:${st.line}`;
    const link = st.file ? `[${where}](${pathToUri(st.file)}#L${st.line}${st.column ? `,${st.column}` : ''})` : where;
    return `${i + 1}. ${link} ${st.text}`;
  });
  const more = steps.length - max + f.otherPaths;
  if (steps.length > max) lines.push(`_… ${steps.length - max} more step${steps.length - max === 1 ? '' : 's'} (Show escape path)_`);
  else if (more > 0 && f.otherPaths > 0) lines.push(`_The compiler printed ${f.otherPaths} more path${f.otherPaths === 1 ? '' : 's'}._`);
  return ['**Path**', '', ...lines].join('\n');
}

function helps(item: Item): string | undefined {
  return `**What helps:** ${cause(item.finding.cause).advice}`;
}

function cost(item: Item): string | undefined {
  const p = item.members.map((m) => m.profile).filter((x) => !!x).sort((a, b) => b!.bytes - a!.bytes)[0];
  if (!p) return undefined;
  return `**Cost (heap profile):** ${formatBytes(p.bytes)} in ${p.objects.toLocaleString('en-US')} objects on this line ` +
    `(${(p.share * 100).toFixed(1)}% of the profile)`;
}

function measured(item: Item): string | undefined {
  const m = item.members.flatMap((x) => x.measured ?? []);
  if (!m.length) return undefined;
  return `**Measured:** ${[...new Set(m.map(measuredText))].join(' · ')}`;
}

function source(item: Item, h: HoverContext): string | undefined {
  const f = item.finding;
  const c = cause(f.cause);
  return `<sub>${code(f.message)}${f.function ? ` in ${code(f.function)}` : ''} · [\`${c.id}\`](${h.docUrl(c.id)})</sub>`;
}

addHoverSection('what', what);
addHoverSection('why', why);
addHoverSection('path', pathSection);
addHoverSection('helps', helps);
addHoverSection('cost', cost);
addHoverSection('measured', measured);
addHoverSection('source', source);

export function hoverMarkdown(item: Item, h: HoverContext): string {
  return sections.map((s) => s.render(item, h)).filter((t): t is string => !!t).join('\n\n');
}

/** Hovers for several items at one spot, most relevant first. */
export function hoversMarkdown(items: readonly Item[], h: (item: Item) => HoverContext): string {
  return items.map((i) => hoverMarkdown(i, h(i))).join('\n\n---\n\n');
}

export type { Finding };
