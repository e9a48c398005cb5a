// Code actions on findings. "Show escape path" reveals the flow steps as locations.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../core/model';
import { contains } from './hover';
import { SHOW_PATH_COMMAND } from './protocol';

function overlaps(a: Range, b: Range): boolean {
  return contains(a, b.start) || contains(a, b.end) || contains(b, a.start);
}

export function codeActions(findings: readonly Finding[], doc: TextDocument, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const f of findings.filter((x) => overlaps(x.range, range))) {
    const steps = f.flow.filter((s) => s.file && s.range);
    if (steps.length === 0) continue;
    actions.push({
      title: `Show escape path of ${f.subject} (${steps.length} step${steps.length === 1 ? '' : 's'})`,
      kind: CodeActionKind.Empty,
      command: {
        title: 'Show escape path',
        command: SHOW_PATH_COMMAND,
        arguments: [doc.uri, f.range.start, steps.map((s) => ({ uri: pathToFileURL(s.file).href, range: s.range }))],
      },
    });
  }
  return actions;
}
