// Human output of contracts: each broken contract with where its directive is, then directive warnings.
import * as path from 'node:path';
import { createColors } from 'picocolors';
import type { ContractReport } from '../core/model/contracts';
import { contractRuleId } from '../core/contracts/rules';

function rel(cwd: string, p: string): string {
  const r = path.relative(cwd, p);
  return r.startsWith('..') ? p : r;
}

export function formatContracts(reports: readonly ContractReport[], cwd: string, color: boolean): string {
  const c = createColors(color);
  const violations = reports.flatMap((r) => r.violations);
  const problems = reports.flatMap((r) => r.problems);
  const directives = reports.reduce((n, r) => n + r.directives.length, 0);
  if (directives === 0 && problems.length === 0) return '';
  const out = ['', c.bold(`Contracts: ${directives} directive${directives === 1 ? '' : 's'}, ${violations.length} broken`)];
  for (const v of violations) {
    out.push(`  ${c.red('error')} ${rel(cwd, v.file)}:${v.range.start.line + 1}:${v.range.start.character + 1}  ${v.message}  ${c.dim(`[${contractRuleId(v.rule)}]`)}`);
    out.push(c.dim(`        directive ${v.directive.text} at ${rel(cwd, v.directive.file)}:${v.directive.range.start.line + 1}`));
    v.path.forEach((s, i) => out.push(c.dim(`        ${i + 1}. ${path.basename(s.file || '?')}:${s.line} ${s.where} (${s.why})`)));
  }
  for (const p of problems) {
    out.push(`  ${c.yellow('warning')} ${rel(cwd, p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1}  ${p.message}  ${c.dim('[contract-directive]')}`);
  }
  return out.join('\n');
}
