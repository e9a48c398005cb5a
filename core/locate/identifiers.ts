// The identifiers a Go text spells, in one pass over it (code, comments and strings alike): which files
// of a package can declare or mention a name is asked for many names, and a scan of the text per name
// (short names match everywhere) cost more than the parses it spares.

export interface Identifiers {
  /** Every identifier the text spells as a whole word. */
  all: Set<string>;
  /**
   * Those that may be the name of a var spec (a superset; the tree decides): the identifier stands after
   * `var`, `(`, `,`, `;`, a comment's end or at a line's start (a `var (…)` block, or `var` then a line
   * break), and is not followed by `.` (`types.F`). `package types` and `"go/types"` do not count.
   */
  declarable: Set<string>;
}

export function scanIdentifiers(text: string): Identifiers {
  const all = new Set<string>();
  const declarable = new Set<string>();
  for (let i = 0; i < text.length;) {
    if (!isIdentChar(text, i)) { i++; continue; }
    const start = i;
    while (i < text.length && isIdentChar(text, i)) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    const word = text.slice(start, i);
    all.add(word);
    if (mayStartDeclaration(text, start) && !followedByDot(text, i)) declarable.add(word);
  }
  return { all, declarable };
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
