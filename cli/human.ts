// Human output: findings grouped by file and function, tier and cause on each line, a summary by tier
// and cause at the end. Colour only where it helps reading (tiers, locations).
import * as path from 'node:path';
import { createColors } from 'picocolors';
import type { BuildError, Finding, Tier } from '../core/model';
import { HEAP_KINDS } from '../core/model';
import { cause, TIER_NAMES } from '../core/classify/causes';
import type { Summary } from '../core/present/summary';
import { formatBytes } from '../core/measure/heapProfile';
import { deepLines } from './deepText';
import type { Item } from '../core/present/present';
import type { Decision } from '../core/policy/policy';

type Colors = ReturnType<typeof createColors>;

export function formatFindings(findings: readonly Finding[], cwd: string, color: boolean): string {
  const c = createColors(color);
  const out: string[] = [];
  let file: string | undefined;
  let fn: string | undefined;
  // Messages line up after the longest cause title shown.
  const width = Math.max(0, ...findings.map((f) => cause(f.cause).title.length));
  for (const f of findings) {
    if (f.file !== file) {
      file = f.file;
      fn = undefined;
      out.push('', c.bold(c.underline(rel(cwd, f.file) || '(no file)')));
    }
    if ((f.function ?? '') !== fn) {
      fn = f.function ?? '';
      out.push(`  ${c.cyan(fn || '(package level)')}`);
    }
    const loc = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const tier = f.tier ? tierColor(c, f.tier)(f.tier) : c.dim('--');
    const title = cause(f.cause).title.padEnd(width);
    const causeText = HEAP_KINDS.has(f.kind) ? title : c.dim(title);
    const note = f.suppressed !== undefined ? c.dim(` (suppressed: ${f.suppressed})`) : !f.allocates && HEAP_KINDS.has(f.kind) ? c.dim(' (no allocation)') : '';
    const cost = f.profile ? c.yellow(` [${formatBytes(f.profile.bytes)} in ${f.profile.objects} objects]`) : '';
    out.push(`    ${c.dim(loc.padEnd(8))}${tier}  ${causeText}  ${f.message}${note}${cost}`);
    if (f.deep) out.push(...deepLines(f.deep).map((l) => `${' '.repeat(14)}${c.dim(l)}`));
  }
  return out.join('\n');
}

export function formatErrors(dir: string, errors: readonly BuildError[], cwd: string, color: boolean): string {
  const c = createColors(color);
  const lines = [c.red(c.bold(`${rel(cwd, dir) || '.'}: does not build`))];
  for (const e of errors) {
    const where = e.file && e.range ? `${rel(cwd, e.file)}:${e.range.start.line + 1}:${e.range.start.character + 1}: ` : '';
    lines.push(`  ${where}${e.message.replace(/\n/g, '\n    ')}`);
  }
  return lines.join('\n');
}

export function formatSummary(s: Summary, packages: number, color: boolean): string {
  const c = createColors(color);
  const tiers = (Object.keys(s.byTier) as Tier[]).map((t) => `${tierColor(c, t)(TIER_NAMES[t])} ${s.byTier[t]}`).join(' · ');
  const causes = Object.entries(s.byCause).sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ');
  const lines = [
    '',
    c.bold(`${s.heap} heap finding${s.heap === 1 ? '' : 's'} in ${packages} package${packages === 1 ? '' : 's'}`) +
      ` (${s.allocating} allocate): ${tiers}`,
  ];
  if (causes) lines.push(`  by cause: ${causes}`);
  lines.push(`  unclassified ${s.unclassified} · suppressed ${s.suppressed}${s.info ? ` · other lines ${s.info}` : ''}`);
  return lines.join('\n');
}

/** The findings a heap profile says cost the most, costliest first. */
export function formatTopAllocating(findings: readonly Finding[], cwd: string, color: boolean, n = 10): string {
  const c = createColors(color);
  const top = findings.filter((f) => f.profile && f.profile.bytes > 0).sort((a, b) => b.profile!.bytes - a.profile!.bytes).slice(0, n);
  if (top.length === 0) return '  heap profile: no sample on any finding\'s line (profile from another build, or -lines missing?)';
  const lines = [c.bold('  costliest findings in the heap profile:')];
  for (const f of top) {
    lines.push(`    ${formatBytes(f.profile!.bytes).padStart(10)} ${(f.profile!.share * 100).toFixed(1).padStart(5)}%  ` +
      `${rel(cwd, f.file)}:${f.range.start.line + 1}  ${f.message}`);
  }
  return lines.join('\n');
}

function tierColor(c: Colors, t: Tier): (s: string) => string {
  return t === 'L1' ? c.green : t === 'L2' ? c.yellow : c.magenta;
}

function rel(cwd: string, p: string): string {
  if (!p) return '';
  const r = path.relative(cwd, p);
  return r.startsWith('..') ? p : r;
}

/**
 * The default output: what the editor draws (core/present), squiggles first, then hints (cold code) dimmed
 * with the rule that made them hints; a line saying what `--all` adds.
 */
export function formatItems(items: readonly Item[], total: number, cwd: string, color: boolean): string {
  const c = createColors(color);
  const drawn = items.filter((i) => i.display === 'squiggle' || i.display === 'hint');
  const asFindings = drawn.map((i) => {
    const cold = i.display === 'hint' ? i.rules.find((r) => r.startsWith('cold-') || r === 'inlined-local') : undefined;
    const warn = i.rules.includes('profile-hot') ? ' (profile: among the costliest)' : '';
    return { ...i.finding, message: i.message + (cold ? c.dim(` (hint: ${cold})`) : '') + warn, range: i.range };
  }).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line);
  const text = formatFindings(asFindings, cwd, color);
  const squiggles = drawn.filter((i) => i.display === 'squiggle').length;
  const hints = drawn.length - squiggles;
  const marks = items.filter((i) => i.display === 'signature').length;
  const counted = drawn.reduce((n, i) => n + i.members.length, 0);
  return `${text}${text ? '\n' : ''}\n${c.bold(`shown as the editor does: ${squiggles} squiggle${squiggles === 1 ? '' : 's'}, ${hints} hint${hints === 1 ? '' : 's'}`)}` +
    ` (${counted} findings); ${marks} parameter mark${marks === 1 ? '' : 's'} at signatures; ${total - counted} more with --all`;
}

/**
 * Each listed finding the policy fails or warns, fails first: where it is, its cause and tier, and the
 * policy line that decided it (a rule, or the "default" key), so that a CI log explains its exit status.
 */
export function formatDecisions(listed: readonly Finding[], decided: ReadonlyMap<Finding, Decision>, cwd: string, color: boolean): string {
  const c = createColors(color);
  const rank = (f: Finding) => (decided.get(f)!.action === 'fail' ? 0 : 1);
  const rows = listed.filter((f) => decided.get(f)?.action === 'fail' || decided.get(f)?.action === 'warn')
    .sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line);
  const cells = rows.map((f) => {
    const d = decided.get(f)!;
    const by = `${rel(cwd, d.file)}${d.line !== undefined ? `:${d.line}` : ''}${d.rule ? '' : ' (default)'}`;
    return { action: d.action, where: `${rel(cwd, f.file)}:${f.range.start.line + 1}`, rule: `${f.cause}${f.tier ? ` (${f.tier})` : ''}`, by };
  });
  const w = Math.max(0, ...cells.map((x) => x.where.length));
  const r = Math.max(0, ...cells.map((x) => x.rule.length));
  return cells.map((x) => `    ${x.action === 'fail' ? c.red('fail') : c.yellow('warn')}  ${x.where.padEnd(w)}  ${x.rule.padEnd(r)}  ${c.dim(`by ${x.by}`)}`).join('\n');
}
