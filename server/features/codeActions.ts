// Code actions on findings: compiler-verified quick fixes, suppression directives, "Show escape path".
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToUri } from '../../core/platform';
import { suppressions } from '../../core/fixes/candidates';
import { targetKey, type TextEditOffsets } from '../../core/fixes/model';
import type { GoSource } from '../../core/locate/goSource';
import type { Finding } from '../../core/model';
import { HEAP_KINDS } from '../../core/model';
import type { VerifiedFix } from '../../core/fixes/verify';
import { contains } from './hover';
import type { CodeContext } from '../../core/present/codeContext';
import { userPath } from '../../core/present/pathWords';
import { SHOW_PATH_COMMAND } from '../protocol';

function overlaps(a: Range, b: Range): boolean {
  return contains(a, b.start) || contains(a, b.end) || contains(b, a.start);
}

function textEdits(src: GoSource, edits: readonly TextEditOffsets[]): TextEdit[] {
  return edits.map((e) => ({ range: src.rangeOf(e.start, e.end), newText: e.newText }));
}

/** The actions on `findings` within `range`; `fixes`: the package's verified fixes by target, for this text (the engine's fixesFor). */
export function codeActions(
  findings: readonly Finding[], doc: TextDocument, range: Range, src: GoSource | undefined,
  fixes: ReadonlyMap<string, VerifiedFix> | undefined, diagnostics: readonly Diagnostic[], ctx: CodeContext,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const later: CodeAction[] = [];
  for (const f of findings.filter((x) => overlaps(x.range, range) && HEAP_KINDS.has(x.kind))) {
    const diag = diagnostics.filter((d) => (d.data as Finding | undefined)?.message === f.message && d.range.start.line === f.range.start.line);
    const fix = fixes?.get(targetKey(f));
    if (fix && src) {
      actions.push({
        title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: diag,
        edit: { changes: { [doc.uri]: textEdits(src, fix.edits) } },
      });
    }
    if (src && f.suppressed === undefined) {
      for (const s of suppressions(src, f)) {
        later.push({ title: s.title, kind: CodeActionKind.QuickFix, diagnostics: diag, edit: { changes: { [doc.uri]: textEdits(src, s.edits) } } });
      }
    }
    // One location per step shown, so that "(2 steps)" peeks exactly two.
    const seen = new Set<string>();
    const locations = userPath(f, ctx).filter((st) => st.file && st.range).map((st) => ({ uri: pathToUri(st.file), range: st.range! }))
      .filter((l) => { const k = `${l.uri}:${l.range.start.line}:${l.range.start.character}`; if (seen.has(k)) return false; seen.add(k); return true; });
    if (locations.length > 0) {
      later.push({
        title: `Show escape path of ${f.subject} (${locations.length} step${locations.length === 1 ? '' : 's'})`,
        kind: CodeActionKind.Empty,
        command: { title: 'Show escape path', command: SHOW_PATH_COMMAND, arguments: [doc.uri, f.range.start, locations] },
      });
    }
  }
  return [...actions, ...later];
}
