// Rewrites a file's import declaration to add or drop standard-library imports, in gofmt's layout:
// one parenthesised block, specs sorted within their blank-line-separated groups. Declarations with
// comments, dot or blank imports it does not touch (returns undefined: the fix is then not offered).
import type { GoSource } from '../locate/goSource';
import type { TextEditOffsets } from './model';

interface Spec { name?: string; path: string }

export function importEdit(src: GoSource, add: readonly string[], remove: readonly string[]): TextEditOffsets | undefined {
  const root = src.tree.rootNode;
  const decls = root.namedChildren.filter((n) => n?.type === 'import_declaration');
  if (decls.length > 1) return undefined;
  const decl = decls[0];
  let groups: Spec[][] = [[]];
  if (decl) {
    if (decl.descendantsOfType('comment').length > 0) return undefined;
    let lastRow = -1;
    for (const spec of decl.descendantsOfType('import_spec')) {
      if (!spec) continue;
      const name = spec.childForFieldName('name')?.text;
      if (name === '.' || name === '_') return undefined;
      const p = spec.childForFieldName('path')?.text.slice(1, -1) ?? '';
      if (lastRow >= 0 && spec.startPosition.row > lastRow + 1) groups.push([]);
      groups[groups.length - 1].push(name ? { name, path: p } : { path: p });
      lastRow = spec.endPosition.row;
    }
  }
  const have = new Set(groups.flat().map((s) => s.path));
  const toAdd = add.filter((p) => !have.has(p));
  const toRemove = new Set(remove.filter((p) => have.has(p)));
  if (toAdd.length === 0 && toRemove.size === 0) return undefined;
  groups = groups.map((g) => g.filter((s) => !toRemove.has(s.path)));
  const std = groups.find((g) => g.length > 0 && g.every((s) => !s.path.split('/')[0].includes('.')));
  if (std) std.push(...toAdd.map((path) => ({ path })));
  else groups.unshift(toAdd.map((path) => ({ path })));
  groups = groups.filter((g) => g.length > 0).map((g) => g.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  const specText = (s: Spec) => (s.name ? `${s.name} "${s.path}"` : `"${s.path}"`);
  const total = groups.reduce((n, g) => n + g.length, 0);
  let text: string;
  if (total === 0) text = '';
  else if (total === 1) text = `import ${specText(groups[0][0])}`;
  else text = `import (\n${groups.map((g) => g.map((s) => `\t${specText(s)}\n`).join('')).join('\n')})`;
  if (decl) {
    // Removing the whole declaration also removes the blank line after it.
    const end = text === '' ? skipBlankLines(src.text, decl.endIndex) : decl.endIndex;
    return { file: src.path, start: decl.startIndex, end, newText: text };
  }
  const pkg = root.namedChildren.find((n) => n?.type === 'package_clause');
  if (!pkg) return undefined;
  return { file: src.path, start: pkg.endIndex, end: pkg.endIndex, newText: `\n\n${text}` };
}

function skipBlankLines(text: string, i: number): number {
  let j = i;
  while (j < text.length && (text[j] === '\n' || text[j] === '\r' || text[j] === ' ' || text[j] === '\t')) j++;
  // The blank line before the declaration stays and separates what follows.
  return j;
}
