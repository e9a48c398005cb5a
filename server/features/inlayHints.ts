// Parameter summaries at the signature: an inlay hint after each leaking parameter's name
// (`leaks (to an interface call)`), its tooltip the finding's hover. Which parameters get one is the
// core's decision (core/present: `display: 'signature'`).
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { CodeContext } from '../../core/present/codeContext';
import { hoverMarkdown } from '../../core/present/hoverText';
import { signatureLabel } from '../../core/present/paramHints';
import type { Item } from '../../core/present/present';
import { contains } from './hover';
import { causeDocUrl } from './present';

export function inlayHints(items: readonly Item[], range: Range, ctx: CodeContext): InlayHint[] {
  return items
    .filter((i) => i.display === 'signature' && (contains(range, i.range.start) || contains(range, i.range.end)))
    .map((i) => ({
      position: i.range.end,
      label: signatureLabel(i.finding),
      kind: InlayHintKind.Parameter,
      paddingLeft: true,
      tooltip: { kind: 'markdown', value: hoverMarkdown(i, { ctx, docUrl: causeDocUrl, shownAsDiagnostic: false }) },
    }));
}
