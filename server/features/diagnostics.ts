// Presentation items → LSP Diagnostics: the core decides what is a squiggle or a hint (core/present), this
// file only words it for LSP. The message is short; the path and advice are in the hover (no repetition in
// relatedInformation), the whole finding is in `data` (read back by code actions).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { cause, TIER_NAMES } from '../../core/classify/causes';
import type { Item } from '../../core/present/present';
import type { Severity } from '../../core/present/rules';
import { causeDocUrl } from './present';
import type { Settings } from '../settings';

export const SOURCE = 'Go Escape Lens';

const SEVERITY: Record<Exclude<Severity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The items of one file drawn as diagnostics (squiggles, then hints), at most `maxDiagnosticsPerFile`. */
export function drawnItems(items: readonly Item[], s: Settings): Item[] {
  return items.filter((i) => i.display === 'squiggle' || i.display === 'hint').slice(0, s.maxDiagnosticsPerFile);
}

/** `&Order{...} escapes to heap — allocation is returned (L1 syntax)`; a group: `3 values boxed for fmt.Printf (L3 dynamic)`. */
export function diagnosticMessage(i: Item): string {
  const tier = i.tier ? ` (${TIER_NAMES[i.tier]})` : '';
  if (i.members.length > 1 || i.message !== i.finding.message) return `${i.message}${tier}`;
  return `${i.message} — ${cause(i.finding.cause).title}${tier}`;
}

/** One level down for findings of the last good build: the default (information) becomes hint dots. */
const STALE_SEVERITY: Record<Exclude<Severity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Warning,
  warning: DiagnosticSeverity.Information,
  information: DiagnosticSeverity.Hint,
  hint: DiagnosticSeverity.Hint,
};

/** Said at the end of a stale finding's message: the Problems panel and the hover show it. */
export const STALE_SUFFIX = ' · stale: last good build';

/**
 * `stale`: the package does not build now and this finding is from the last good build. It is drawn one
 * severity lower (the default squiggles become dots) and says so, so that it is told apart at a glance;
 * not faded (DiagnosticTag.Unnecessary means unused code, which it is not).
 */
export function toDiagnostic(i: Item, stale = false): Diagnostic {
  const f = i.finding;
  const severity = i.severity === 'off' ? 'hint' : i.severity;
  return {
    range: i.range,
    severity: (stale ? STALE_SEVERITY : SEVERITY)[severity],
    source: SOURCE,
    code: f.cause,
    codeDescription: { href: causeDocUrl(f.cause) },
    message: diagnosticMessage(i) + (stale ? STALE_SUFFIX : ''),
    // The finding for clients (cause, tier, verbatim message, ...) and the item it stands for.
    data: { ...f, flow: undefined, item: i.id, members: i.members.length },
  };
}
