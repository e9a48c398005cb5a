// `--markdown FILE`: a short summary fit for a pull-request comment. Broken contracts first, then new
// escapes against the baseline (or all, without one), what the policy fails, and the costliest findings
// when a heap profile was given. Tables are capped so a comment stays readable.
import * as path from 'node:path';
import { cause, TIER_NAMES } from '../core/classify/causes';
import type { ContractReport } from '../core/model/contracts';
import type { Finding } from '../core/model';
import type { Action } from '../core/policy/policy';
import { formatBytes } from '../core/measure/heapProfile';

const MAX_ROWS = 20;

export interface MarkdownInput {
  cwd: string;
  findings: readonly Finding[];
  contracts: readonly ContractReport[];
  /** The findings to list: new ones with a baseline, else every unsuppressed heap finding. */
  listed: readonly Finding[];
  baseline: boolean;
  /** The headline's count, as the JSON summary counts (`summary.heap`; with a baseline, the new ones). */
  heap: number;
  known: number;
  actions?: ReadonlyMap<Finding, Action>;
  policyFile?: string;
  profile: boolean;
  buildFailures: number;
}

function code(s: string): string {
  const t = s.replace(/\n/g, ' ').replace(/\|/g, '\\|');
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

function where(cwd: string, file: string, line: number): string {
  const r = path.relative(cwd, file);
  return code(`${r.startsWith('..') ? file : r}:${line}`);
}

function more(n: number): string[] {
  return n > MAX_ROWS ? ['', `…and ${n - MAX_ROWS} more.`] : [];
}

export function markdownSummary(m: MarkdownInput): string {
  const violations = m.contracts.flatMap((c) => c.violations);
  const problems = m.contracts.flatMap((c) => c.problems);
  const fails = m.actions ? m.listed.filter((f) => m.actions!.get(f) === 'fail').length : 0;
  const verdict = violations.length > 0 || fails > 0 || m.buildFailures > 0 ? '❌' : '✅';
  const escapes = m.baseline ? `**${m.heap} new heap escape${m.heap === 1 ? '' : 's'}** (${m.known} known)` : `**${m.heap} heap escape${m.heap === 1 ? '' : 's'}**`;
  const head = [`${verdict} **${violations.length} broken contract${violations.length === 1 ? '' : 's'}**`, escapes];
  if (m.actions) head.push(`policy ${code(path.basename(m.policyFile ?? ''))}: ${fails} fail${fails === 1 ? '' : 's'}`);
  if (m.buildFailures > 0) head.push(`**${m.buildFailures} package${m.buildFailures === 1 ? '' : 's'} did not build**`);
  const out = ['### Go Escape Lens', '', head.join(' · ')];
  if (violations.length > 0) {
    out.push('', '#### Broken contracts', '', '| where | contract | broken by |', '|---|---|---|');
    for (const v of violations.slice(0, MAX_ROWS)) {
      const target = v.directive.target ? ` on ${code(v.directive.target)}` : '';
      const by = v.finding ? `${code(v.finding.message)} — ${cause(v.finding.cause).title}${v.finding.tier ? ` (${v.finding.tier})` : ''}` : v.message.replace(/^Contract broken \([^)]*\): /, '');
      out.push(`| ${where(m.cwd, v.file, v.range.start.line + 1)} | ${code(v.directive.text)}${target} | ${by} |`);
    }
    out.push(...more(violations.length));
  }
  if (problems.length > 0) out.push('', `${problems.length} directive warning${problems.length === 1 ? '' : 's'}: ${problems.slice(0, 3).map((p) => `${where(m.cwd, p.file, p.range.start.line + 1)} ${p.message}`).join('; ')}`);
  if (m.listed.length > 0) {
    const order: Record<Action, number> = { fail: 0, warn: 1, log: 2, ignore: 3 };
    const rows = [...m.listed].sort((a, b) => order[m.actions?.get(a) ?? 'log'] - order[m.actions?.get(b) ?? 'log']);
    out.push('', m.baseline ? '#### New heap escapes' : '#### Heap escapes', '', `| where | tier | cause | compiler says |${m.actions ? ' policy |' : ''}`, `|---|---|---|---|${m.actions ? '---|' : ''}`);
    for (const f of rows.slice(0, MAX_ROWS)) {
      const policy = m.actions ? ` ${m.actions.get(f) ?? ''} |` : '';
      out.push(`| ${where(m.cwd, f.file, f.range.start.line + 1)} | ${f.tier ? TIER_NAMES[f.tier] : '—'} | ${cause(f.cause).title} | ${code(f.message)} |${policy}`);
    }
    out.push(...more(rows.length));
  }
  if (m.profile) {
    const top = m.findings.filter((f) => f.profile && f.profile.bytes > 0).sort((a, b) => b.profile!.bytes - a.profile!.bytes).slice(0, 5);
    if (top.length > 0) {
      out.push('', '#### Costliest in the heap profile', '', '| allocated | share | where | compiler says |', '|---:|---:|---|---|');
      for (const f of top) out.push(`| ${formatBytes(f.profile!.bytes)} | ${(f.profile!.share * 100).toFixed(1)}% | ${where(m.cwd, f.file, f.range.start.line + 1)} | ${code(f.message)} |`);
    }
  }
  return out.join('\n') + '\n';
}
