// What a package declares at its top level, read from its files' syntax for the classifier: its
// package-level variables (and a one-pass text test that spares parsing files that cannot declare one)
// and whether a named type is of size zero. Each is read once per file text (GoSource.memoize).
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import { GoSource } from '../locate/goSource';

/**
 * Can `text` declare `name` in a var spec? A superset test (the tree decides): some occurrence of the name
 * stands after `var`, `(`, `,`, `;`, a comment's end or at a line's start (a `var (…)` block, or `var`
 * then a line break), and is not followed by `.` (`types.F`) or more of an identifier. `package types`
 * and `"go/types"` do not count.
 */
export function mayDeclare(text: string, name: string): boolean {
  return declarableNames(text).has(name);
}

/**
 * Every name mayDeclare says yes to, in one pass over the text: a package's files are asked about many
 * names, and a scan per name (short names match everywhere) cost more than the parse it saves.
 */
export function declarableNames(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < text.length;) {
    if (!isIdentChar(text, i)) { i++; continue; }
    const start = i;
    while (i < text.length && isIdentChar(text, i)) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    if (mayStartDeclaration(text, start) && !followedByDot(text, i)) out.add(text.slice(start, i));
  }
  return out;
}

/** Does the identifier at `start` stand where a var spec's name can? */
function mayStartDeclaration(text: string, start: number): boolean {
  let j = start - 1;
  while (text[j] === ' ' || text[j] === '\t') j--;
  if (j < 0) return true;
  const c = text[j];
  if (c === '\n' || c === '\r' || c === ';' || c === '(' || c === ',' || (c === '/' && text[j - 1] === '*')) return true;
  return c === 'r' && text.startsWith('var', j - 2) && (j - 3 < 0 || !isIdentChar(text, j - 3));
}

function followedByDot(text: string, k: number): boolean {
  while (text[k] === ' ' || text[k] === '\t') k++;
  return text[k] === '.';
}

function isIdentChar(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return /[\p{L}\p{N}_]/u.test(String.fromCodePoint(text.codePointAt(k)!));
}

/** Package-level variable names declared in this file. */
export function packageVars(src: GoSource): ReadonlySet<string> {
  return src.memoize('packageVars', () => new Set(packageVarSpecs(src).keys()));
}

/**
 * Each package-level variable of this file and what its spec says of it: the type it is declared with,
 * else its value's text (the first spec of a name).
 */
export function packageVarSpecs(src: GoSource): ReadonlyMap<string, string> {
  return src.memoize('packageVarSpecs', () => {
    const out = new Map<string, string>();
    for (const decl of src.tree.rootNode.namedChildren) {
      if (decl?.type !== 'var_declaration') continue;
      for (const spec of decl.descendantsOfType('var_spec')) {
        if (!spec) continue;
        const said = spec.childForFieldName('type')?.text ?? spec.childForFieldName('value')?.text ?? '';
        for (const n of spec.childrenForFieldName('name')) if (n && !out.has(n.text)) out.set(n.text, said);
      }
    }
    return out;
  });
}

/**
 * Is type `name`, declared in `files` (one package), of size zero: `struct{}`, a struct of zero-size
 * fields, `[0]T`, or a named type of one of those? Unknown or recursive types count as not zero-size.
 */
export function isZeroSizeType(files: readonly GoSource[], name: string, depth = 0): boolean {
  if (depth > 8) return false;
  GoSource.loadAllSync(files.filter((src) => src.mentions(name)));
  for (const src of files) {
    // A file whose text never says the name declares no type of that name: its tree is not needed (a
    // standard-library package's files would otherwise each be parsed, one helper run apiece).
    if (!src.mentions(name)) continue;
    const spec = topLevelTypes(src).get(name);
    if (spec === undefined) continue;
    const t = spec.childForFieldName('type');
    return !!t && isZeroSizeTypeNode(files, t, depth);
  }
  return false;
}

/** The file's package-level type declarations by name (the first of a name), read once per text. */
function topLevelTypes(src: GoSource): Map<string, Node> {
  return src.memoize('topLevelTypes', () => {
    const out = new Map<string, Node>();
    for (const spec of src.tree.rootNode.descendantsOfType(['type_spec', 'type_alias'])) {
      const name = spec?.childForFieldName('name')?.text;
      if (spec && name !== undefined && spec.parent?.parent?.type === 'source_file' && !out.has(name)) out.set(name, spec);
    }
    return out;
  });
}

function isZeroSizeTypeNode(files: readonly GoSource[], t: Node, depth: number): boolean {
  switch (t.type) {
    case 'struct_type': {
      const fields = t.descendantsOfType('field_declaration').filter((f) => f?.parent?.parent?.id === t.id);
      return fields.every((f) => { const ft = f?.childForFieldName('type'); return !!ft && isZeroSizeTypeNode(files, ft, depth + 1); });
    }
    case 'array_type':
      return t.childForFieldName('length')?.text === '0';
    case 'type_identifier':
      return isZeroSizeType(files, t.text, depth + 1);
    default:
      return false;
  }
}
