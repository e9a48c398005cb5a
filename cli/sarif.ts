// SARIF 2.1.0 for code-scanning services: one rule per cause (from the cause table) and one per contract
// rule, one result per unsuppressed heap finding (its flow as a code flow) and per broken contract (the
// directive as a related location). Columns are UTF-16 units, SARIF's default. Rules link to their docs
// page in the repository (absolute, as validators require); names are the ids in PascalCase (causes
// with an `Escape` suffix: a name may not equal its id, even in another case).
import * as path from 'node:path';
import { pathToUri } from '../core/platform';
import { CAUSES, cause, causeAnchor, TIER_NAMES } from '../core/classify/causes';
import type { ContractReport } from '../core/model/contracts';
import { CONTRACT_RULES, contractAnchor, contractRuleId } from '../core/contracts/rules';
import type { Finding, FlowStep } from '../core/model';
import { HEAP_KINDS } from '../core/model';
import type { Action } from '../core/policy/policy';
import { homepage } from '../package.json';

function region(r: Finding['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function uri(file: string, root: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel)
    ? { uri: rel.split(path.sep).join('/'), uriBaseId: 'SRCROOT' }
    : { uri: pathToUri(file) };
}

/**
 * A docs page's address in the repository (package.json's homepage without its fragment, so one field
 * moves every link), as vsce links the README's relative links: `<repository>/blob/HEAD/docs/<page>`.
 */
export function docsUri(page: string, anchor: string): string {
  return `${homepage.replace(/#.*$/, '')}/blob/HEAD/docs/${page}#${anchor}`;
}

/** `returned-value` → `ReturnedValue`. */
export function pascalCase(id: string): string {
  return id.split(/[-/]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const LEVEL: Record<Action, string> = { ignore: 'none', log: 'note', warn: 'warning', fail: 'error' };

function codeFlow(steps: FlowStep[], root: string) {
  const shown = steps.filter((s) => s.file && s.range);
  if (shown.length === 0) return undefined;
  return [{ threadFlows: [{ locations: shown.map((s) => ({
    location: {
      physicalLocation: { artifactLocation: uri(s.file, root), region: region(s.range!) },
      message: { text: `${s.where} (${s.why})` },
    },
  })) }] }];
}

export interface SarifOptions {
  isNew?: (f: Finding) => boolean;
  /** The policy's action per finding (its SARIF level); without a policy, allocating findings are warnings. */
  actions?: ReadonlyMap<Finding, Action>;
  contracts?: readonly ContractReport[];
}

export function sarifReport(version: string, findings: readonly Finding[], root: string, opts: SarifOptions = {}): object {
  const { isNew, actions } = opts;
  const results: object[] = findings
    .filter((f) => HEAP_KINDS.has(f.kind) && f.suppressed === undefined && actions?.get(f) !== 'ignore')
    .map((f) => {
      const c = cause(f.cause);
      const action = actions?.get(f);
      const result: Record<string, unknown> = {
        ruleId: f.cause,
        level: action ? LEVEL[action] : f.allocates ? 'warning' : 'note',
        message: { text: `${f.message} — ${c.title}${f.tier ? ` (${TIER_NAMES[f.tier]})` : ''}` },
        locations: [{ physicalLocation: { artifactLocation: uri(f.file, root), region: region(f.range) } }],
        properties: { tier: f.tier, kind: f.kind, subject: f.subject, function: f.function, ...(action ? { policy: action } : {}) },
      };
      if (isNew) result.baselineState = isNew(f) ? 'new' : 'unchanged';
      const flows = codeFlow(f.flow, root);
      if (flows) result.codeFlows = flows;
      return result;
    });
  for (const report of opts.contracts ?? []) {
    for (const v of report.violations) {
      const result: Record<string, unknown> = {
        ruleId: contractRuleId(v.rule),
        level: 'error',
        message: { text: `${v.message} (directive: [${v.directive.text}](0))` },
        locations: [{ physicalLocation: { artifactLocation: uri(v.file, root), region: region(v.range) } }],
        relatedLocations: [{ id: 0, physicalLocation: { artifactLocation: uri(v.directive.file, root), region: region(v.directive.range) }, message: { text: v.directive.text } }],
      };
      const flows = codeFlow(v.path, root);
      if (flows) result.codeFlows = flows;
      results.push(result);
    }
    for (const p of report.problems) {
      results.push({
        ruleId: 'contract-directive', level: 'warning', message: { text: p.message },
        locations: [{ physicalLocation: { artifactLocation: uri(p.file, root), region: region(p.range) } }],
      });
    }
  }
  const causeRules = CAUSES.filter((c) => c.tier).map((c) => ({
    id: c.id, name: `${pascalCase(c.id)}Escape`, shortDescription: { text: c.title }, fullDescription: { text: c.explanation },
    help: { text: c.advice }, helpUri: docsUri('causes.md', causeAnchor(c.id)), properties: { tier: c.tier },
  }));
  const contractRules = CONTRACT_RULES.map((r) => ({
    id: r.id, name: pascalCase(r.id), shortDescription: { text: r.title }, fullDescription: { text: r.explanation },
    help: { text: r.help }, helpUri: docsUri('contracts.md', contractAnchor(r.id)), defaultConfiguration: { level: r.id === 'contract-directive' ? 'warning' : 'error' },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: {
        name: 'go-escape-lens', version, informationUri: homepage,
        rules: [...causeRules, ...contractRules],
      } },
      originalUriBaseIds: { SRCROOT: { uri: pathToUri(root + path.sep) } },
      results,
    }],
  };
}
