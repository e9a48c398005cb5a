// Syntax questions the fix candidates ask of a file's tree: the node at a finding, an ancestor of a type,
// a package's import name, whether a block writes a variable, an identifier unused in the package.
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import type { GoSource } from '../locate/goSource';
import type { Finding } from '../model';

export function nodeAt(src: GoSource, f: Finding): Node | null {
  const off = src.offsetOf(f.pos);
  return src.tree.rootNode.descendantForIndex(off);
}

export function up(n: Node | null, type: string, max: number): Node | undefined {
  for (let i = 0; n && i <= max; n = n.parent, i++) if (n.type === type) return n;
  return undefined;
}

export function importName(src: GoSource, path: string): string | undefined {
  for (const spec of src.tree.rootNode.descendantsOfType('import_spec')) {
    if (spec?.childForFieldName('path')?.text === `"${path}"`) return spec.childForFieldName('name')?.text ?? path.split('/').pop();
  }
  return undefined;
}

export function writes(body: Node, name: string): boolean {
  for (const n of body.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement', 'unary_expression'])) {
    if (!n) continue;
    if (n.type === 'unary_expression') {
      if (n.childForFieldName('operator')?.text === '&' && n.childForFieldName('operand')?.text === name) return true;
      continue;
    }
    const target = n.type === 'assignment_statement' ? n.childForFieldName('left') : n.namedChildren[0];
    if (target?.text.split(/\s*,\s*/).includes(name)) return true;
  }
  return false;
}

export function unusedName(base: string, packageText: string, used: Set<string>): string {
  const taken = (n: string) => used.has(n) || new RegExp(`\\b${n}\\b`).test(packageText);
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}
