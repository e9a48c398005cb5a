// Finding → LSP Diagnostic: the core's range, severity from settings, the cause as code with a link,
// the flow as related information and the whole finding as data (read back by hovers and code actions).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { pathToUri } from '../core/platform';
import type { Finding } from '../core/model';
import { HEAP_KINDS } from '../core/model';
import { byRelevance, causeDocUrl, headline, shownSteps } from './present';
import type { Settings, Severity } from './settings';
import type { Action } from '../core/policy/policy';
import { policySeverity } from './policy';

export const SOURCE = 'Go Escape Lens';

const SEVERITY: Record<Exclude<Severity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Which findings of a file are shown, most relevant first, at most `maxDiagnosticsPerFile`. */
export function visibleFindings(findings: readonly Finding[], s: Settings, actions?: ReadonlyMap<Finding, Action>): Finding[] {
  return findings
    .filter((f) => f.suppressed === undefined)
    .filter((f) => HEAP_KINDS.has(f.kind)
      || (f.kind === 'does-not-escape' && s.showNonEscaping)
      || ((f.kind === 'can-inline' || f.kind === 'cannot-inline' || f.kind === 'inlining-call') && s.showInlining))
    .filter((f) => severityOf(f, s, actions) !== 'off')
    .sort(byRelevance)
    .slice(0, s.maxDiagnosticsPerFile);
}

function severityOf(f: Finding, s: Settings, actions?: ReadonlyMap<Finding, Action>): Severity {
  // The project's policy (.escapelens.json) first, unless the user's tier setting overrides it.
  const fromPolicy = policySeverity(f, s, actions);
  if (fromPolicy) return fromPolicy;
  if (!HEAP_KINDS.has(f.kind) || !f.tier || !f.allocates) return s.severity.info;
  return s.severity[f.tier];
}

export function toDiagnostic(f: Finding, s: Settings, actions?: ReadonlyMap<Finding, Action>): Diagnostic {
  const sev = severityOf(f, s, actions);
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[sev === 'off' ? 'hint' : sev],
    source: SOURCE,
    code: f.cause,
    codeDescription: { href: causeDocUrl(f.cause) },
    message: headline(f),
    // The finding for clients (cause, tier, verbatim message, ...); its flow is in relatedInformation already.
    data: { ...f, flow: undefined },
  };
  if (!f.allocates && HEAP_KINDS.has(f.kind)) d.tags = [DiagnosticTag.Unnecessary];
  const steps = shownSteps(f).filter((st) => st.file && st.range);
  if (steps.length > 0) {
    d.relatedInformation = steps.map((st, i) => ({
      location: { uri: pathToUri(st.file), range: st.range! },
      message: `${i + 1}. ${st.where} (${st.why})`,
    }));
  }
  return d;
}
