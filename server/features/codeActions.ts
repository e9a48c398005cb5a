// Code actions on findings: compiler-verified quick fixes (and, beside one, the fix-all of its kind in the
// file and the package, verified as a whole), suppression directives, "Show escape path". A grouped
// finding ("2 values boxed for fmt.Sprintf", drawn under the callee) gets the actions of its lead member.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToUri } from '../../core/platform';
import { suppressions } from '../../core/fixes/candidates';
import { targetKey, type FixAll, type TextEditOffsets } from '../../core/fixes/model';
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

/** The kind of the file-wide fix-all (editor.codeActionsOnSave can name it). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.goEscapeLens`;

function fixAllChanges(all: FixAll): Record<string, TextEdit[]> {
  const changes: Record<string, TextEdit[]> = {};
  for (const c of all.changes) (changes[pathToUri(c.file)] ??= []).push({ range: c.range, newText: c.newText });
  return changes;
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
  const seenFixAll = new Set<string>();
  const lead = (d: Diagnostic) => { const data = d.data as Finding | undefined; return data?.file && data.pos ? targetKey(data) : undefined; };
  const drawnHere = new Set(diagnostics.filter((d) => overlaps(d.range, range)).map(lead));
  for (const f of findings.filter((x) => HEAP_KINDS.has(x.kind) && (overlaps(x.range, range) || drawnHere.has(targetKey(x))))) {
    const diag = diagnostics.filter((d) => lead(d) === targetKey(f)
      || ((d.data as Finding | undefined)?.message === f.message && d.range.start.line === f.range.start.line));
    const fix = fixes?.get(targetKey(f));
    if (fix && src && !seenFixAll.has(fix.target)) {
      seenFixAll.add(fix.target);
      actions.push({
        title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: diag,
        edit: { changes: { [doc.uri]: textEdits(src, fix.edits) } },
      });
      for (const all of fix.all ?? []) {
        const key = `${all.kind}\0${all.file ?? ''}`;
        if (seenFixAll.has(key)) continue;
        seenFixAll.add(key);
        const edit = { changes: fixAllChanges(all) };
        later.push({ title: all.title, kind: CodeActionKind.QuickFix, diagnostics: diag, edit });
        // The file's also as a source action: "Fix all" from the Source Action menu, or on save.
        if (all.file) later.push({ title: all.title, kind: FIX_ALL_KIND, edit });
      }
    }
    if (src && f.suppressed === undefined) {
      for (const s of suppressions(src, f)) {
        // Members of a group share a line: one suppression each way for it.
        const key = `${s.title}\0${s.edits[0].start}`;
        if (seenFixAll.has(key)) continue;
        seenFixAll.add(key);
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
