// Contracts in the editor: a broken contract is an error at the violating site, with the directive as the
// first related location and the path that broke it after it; a directive problem is a warning on the
// directive. Hovering a broken contract explains it above the finding's own hover.
import * as path from 'node:path';
import { pathToUri } from '../../core/platform';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Position, type Range } from 'vscode-languageserver';
import type { ContractReport, Violation } from '../../core/model/contracts';
import { CONTRACT_RULES, contractAnchor, contractRuleId } from '../../core/contracts/rules';
import { TIER_NAMES } from '../../core/classify/causes';
import { SOURCE } from './diagnostics';
import { contains } from './hover';

function docUrl(id: string): string {
  return `${pathToUri(path.join(__dirname, '..', 'docs', 'contracts.md'))}#${contractAnchor(id)}`;
}

export function contractDiagnostics(report: ContractReport | undefined, file: string): Diagnostic[] {
  if (!report) return [];
  const out: Diagnostic[] = [];
  for (const v of report.violations) {
    if (v.file !== file) continue;
    const id = contractRuleId(v.rule);
    out.push({
      range: v.range, severity: DiagnosticSeverity.Error, source: SOURCE, code: id, codeDescription: { href: docUrl(id) },
      message: contractMessage(v),
      relatedInformation: [
        { location: { uri: pathToUri(v.directive.file), range: v.directive.range }, message: `contract: ${v.directive.text}` },
        ...v.path.filter((s) => s.file && s.range).map((s, i) => ({
          location: { uri: pathToUri(s.file), range: s.range! }, message: `${i + 1}. ${s.where} (${s.why})`,
        })),
      ],
      data: { contract: v.rule },
    });
  }
  for (const p of report.problems) {
    if (p.file !== file) continue;
    out.push({
      range: p.range, severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'contract-directive',
      codeDescription: { href: docUrl('contract-directive') }, message: p.message,
    });
  }
  return out;
}

/**
 * The diagnostic's message: the promise and what broke it. The finding's cause and tier are left to the
 * finding's own diagnostic on the same range: the editor's hover lists both messages.
 */
function contractMessage(v: Violation): string {
  if (!v.finding) return v.message;
  const at = v.message.indexOf(v.finding.message);
  const cut = at < 0 ? -1 : v.message.indexOf(' — ', at + v.finding.message.length);
  return cut < 0 ? v.message : v.message.slice(0, cut);
}

function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

/** The contract's part of the hover; `help`: its "What helps" text, given apart so it can join the finding's. */
function violationMarkdown(v: Violation): { text: string; help: string } {
  const rule = CONTRACT_RULES.find((r) => r.id === contractRuleId(v.rule))!;
  const promise = v.directive.scope === 'function' ? `${code(v.directive.target!)} must not allocate`
    : v.directive.scope === 'variable' ? `${code(v.directive.target!)} must stay on the stack`
    : v.directive.scope === 'callsites' ? `every call of ${code(v.directive.target!)} must be inlined`
    : v.rule === 'gcassert-bce' ? 'no bounds check on this line'
    : v.rule === 'gcassert-inline' ? 'the call on this line is inlined'
    : 'nothing on this line goes to the heap';
  const where = `${path.basename(v.directive.file)}:${v.directive.range.start.line + 1}`;
  const lines = [
    `**Contract broken** · ${rule.title}`, '',
    `${code(v.directive.text)} ([${where}](${pathToUri(v.directive.file)}#L${v.directive.range.start.line + 1})) promises: ${promise}.`,
  ];
  if (v.finding) {
    // Which finding, in a word: why it allocates is the finding's own hover, right below.
    const tier = v.finding.tier ? ` (${TIER_NAMES[v.finding.tier as keyof typeof TIER_NAMES]})` : '';
    lines.push('', `Broken by ${code(v.finding.message)}${tier}, explained below.`);
  } else {
    lines.push('', v.message.replace(/^Contract broken \([^)]*\): /, ''));
  }
  return { text: lines.join('\n'), help: rule.help };
}

const WHAT_HELPS = /\*\*What helps:\*\*[^\n]*/;

/**
 * The hover at `pos` with its broken contracts explained first, above `findingHover` (the finding's own
 * hover markdown, if any): one explanation of the allocation (the finding's), one "What helps" (the
 * finding's, then what the contract allows). Undefined when no contract is broken there.
 */
export function contractHover(report: ContractReport | undefined, file: string, pos: Position, findingHover?: string): string | undefined {
  const here = (report?.violations.filter((v) => v.file === file && contains(v.range, pos)) ?? []).map(violationMarkdown);
  if (here.length === 0) return undefined;
  const help = [...new Set(here.map((h) => h.help))].join(' ');
  if (findingHover && WHAT_HELPS.test(findingHover)) {
    return `${here.map((h) => h.text).join('\n\n')}\n\n---\n\n${findingHover.replace(WHAT_HELPS, (m) => `${m}\n\n_For the contract:_ ${help}`)}`;
  }
  const contracts = `${here.map((h) => h.text).join('\n\n')}\n\n**What helps:** ${help}`;
  return findingHover ? `${contracts}\n\n---\n\n${findingHover}` : contracts;
}

/**
 * On a broken //escape:noheap contract: "Allow <cause> in this contract", which adds the cause to the
 * directive's allow= list (the exception is then written where the promise is, and reviewed with it).
 */
export function contractActions(report: ContractReport | undefined, file: string, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const seen = new Set<string>();
  for (const v of report?.violations ?? []) {
    if (v.rule !== 'noheap' || !v.finding || v.file !== file || !(contains(v.range, range.start) || contains(range, v.range.start))) continue;
    const id = v.finding.cause;
    const key = `${v.directive.file}:${v.directive.range.start.line}:${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = v.directive.text;
    const allow = /(^|\s)allow=(\S*)/.exec(text);
    const newText = allow ? text.replace(/(^|\s)allow=(\S*)/, `$1allow=${allow[2] ? `${allow[2]},` : ''}${id}`) : `${text} allow=${id}`;
    out.push({
      title: `Allow ${id} in this //escape:noheap contract`,
      kind: CodeActionKind.QuickFix,
      diagnostics: diagnostics.filter((d) => d.code === 'contract-noheap' && d.range.start.line === v.range.start.line),
      edit: { changes: { [pathToUri(v.directive.file)]: [{ range: v.directive.range, newText }] } },
    });
  }
  return out;
}
