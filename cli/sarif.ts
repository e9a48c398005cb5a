// SARIF 2.1.0 for code-scanning services: one rule per cause (from the cause table), one result per
// unsuppressed heap finding, its flow as a code flow. Columns are UTF-16 units, SARIF's default.
import * as path from 'node:path';
import { pathToUri } from '../core/platform';
import { CAUSES, cause, causeAnchor, TIER_NAMES } from '../core/classify/causes';
import type { Finding } from '../core/model';
import { HEAP_KINDS } from '../core/model';

function region(r: Finding['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function uri(file: string, root: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel)
    ? { uri: rel.split(path.sep).join('/'), uriBaseId: 'SRCROOT' }
    : { uri: pathToUri(file) };
}

export function sarifReport(version: string, findings: readonly Finding[], root: string, isNew?: (f: Finding) => boolean): object {
  const results = findings.filter((f) => HEAP_KINDS.has(f.kind) && f.suppressed === undefined).map((f) => {
    const c = cause(f.cause);
    const result: Record<string, unknown> = {
      ruleId: f.cause,
      level: f.allocates ? 'warning' : 'note',
      message: { text: `${f.message} — ${c.title}${f.tier ? ` (${TIER_NAMES[f.tier]})` : ''}` },
      locations: [{ physicalLocation: { artifactLocation: uri(f.file, root), region: region(f.range) } }],
      properties: { tier: f.tier, kind: f.kind, subject: f.subject, function: f.function },
    };
    if (isNew) result.baselineState = isNew(f) ? 'new' : 'unchanged';
    const steps = f.flow.filter((s) => s.file && s.range);
    if (steps.length > 0) {
      result.codeFlows = [{ threadFlows: [{ locations: steps.map((s) => ({
        location: {
          physicalLocation: { artifactLocation: uri(s.file, root), region: region(s.range!) },
          message: { text: `${s.where} (${s.why})` },
        },
      })) }] }];
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: {
        name: 'go-escape-lens', version, informationUri: 'https://go.dev/doc/gc-guide#Escape_analysis',
        rules: CAUSES.filter((c) => c.tier).map((c) => ({
          id: c.id, name: c.id, shortDescription: { text: c.title }, fullDescription: { text: c.explanation },
          help: { text: c.advice }, helpUri: `README.md#${causeAnchor(c.id)}`, properties: { tier: c.tier },
        })),
      } },
      originalUriBaseIds: { SRCROOT: { uri: pathToUri(root + path.sep) } },
      results,
    }],
  };
}
