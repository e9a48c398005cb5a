// `//escape:ignore <reason>` hides findings: on the finding's line, on the line above it, or in the doc
// comment of a function (then for the whole function). Suppressed findings are kept, marked and counted.
import type { GoSource } from '../locate/goSource';

export const DIRECTIVE = '//escape:ignore';

function reasonIn(line: string): string | undefined {
  const i = line.indexOf(DIRECTIVE);
  if (i === -1) return undefined;
  const after = line.slice(i + DIRECTIVE.length);
  if (after !== '' && !/^\s/.test(after)) return undefined; // `//escape:ignored` is not ours
  return after.trim() || 'no reason given';
}

/** The suppression reason that applies at 1-based `line`, if any. */
export function suppressionFor(src: GoSource, line: number, offset: number | undefined): string | undefined {
  if (!src.mentions(DIRECTIVE)) return undefined;
  const here = reasonIn(src.lines.lineText(line - 1));
  if (here !== undefined) return here;
  if (line >= 2) {
    const above = src.lines.lineText(line - 2);
    if (above.trimStart().startsWith('//')) {
      const r = reasonIn(above);
      if (r !== undefined) return r;
    }
  }
  if (offset === undefined) return undefined;
  const decl = src.enclosingDeclarationLine(offset);
  // The doc comment: the comment lines right above the declaration.
  for (let l = decl - 1; l >= 0; l--) {
    const text = src.lines.lineText(l).trim();
    if (!text.startsWith('//')) break;
    const r = reasonIn(text);
    if (r !== undefined) return r;
  }
  return undefined;
}
