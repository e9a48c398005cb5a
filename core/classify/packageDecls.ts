// What a package declares at its top level, read from its files' syntax for the classifier: its
// package-level variables (locate/identifiers.ts spares parsing files that cannot declare one)
// and whether a named type is of size zero. Each is read once per file text (GoSource.memoize).
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import { GoSource } from '../locate/goSource';
import { scanIdentifiers } from '../locate/identifiers';

/**
 * Can `text` declare `name` in a var spec? A superset test (the tree decides): see scanIdentifiers.
 */
export function mayDeclare(text: string, name: string): boolean {
  return scanIdentifiers(text).declarable.has(name);
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
  GoSource.loadAllSync(files.filter((src) => src.spells(name)));
  for (const src of files) {
    // A file whose text never says the name declares no type of that name: its tree is not needed (a
    // standard-library package's files would otherwise each be parsed, one helper run apiece).
    if (!src.spells(name)) continue;
    const spec = topLevelTypes(src).get(name);
    if (spec === undefined) continue;
    const t = spec.childForFieldName('type');
    return !!t && isZeroSizeTypeNode(files, t, depth);
  }
  return false;
}

/** Every type declaration of the file (local ones too) with its name, read once per text. */
export function typeSpecs(src: GoSource): readonly { name: string; spec: Node }[] {
  return src.memoize('typeSpecs', () => src.tree.rootNode.descendantsOfType(['type_spec', 'type_alias'])
    .flatMap((spec) => {
      const name = spec?.childForFieldName('name')?.text;
      return spec && name !== undefined ? [{ name, spec }] : [];
    }));
}

/** The file's package-level type declarations by name (the first of a name). */
function topLevelTypes(src: GoSource): Map<string, Node> {
  return src.memoize('topLevelTypes', () => {
    const out = new Map<string, Node>();
    for (const { name, spec } of typeSpecs(src)) if (spec.parent?.parent?.type === 'source_file' && !out.has(name)) out.set(name, spec);
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
