// One copy of each string a parse keeps. A big output repeats a few thousand paths, subjects, flow
// edges and reasons over and over; and a substring V8 cuts from a line keeps the
// whole chunk of output it was read in alive (a "sliced string"), so records holding such pieces would
// hold the raw output. Interned strings are copies, shared by every record that names them.

export class Interner {
  private readonly map = new Map<string, string>();

  get(s: string): string {
    let v = this.map.get(s);
    if (v === undefined) {
      v = flatCopy(s);
      this.map.set(v, v);
    }
    return v;
  }

  get size(): number { return this.map.size; }
}

/**
 * A copy of `s` that shares no memory with the text it was cut from, in one byte per character when it
 * can be: a chunk of output holding one `←` is stored two bytes per character, and so is every piece
 * cut from it, though nearly all of them are ASCII.
 */
export function flatCopy(s: string): string {
  for (let i = 0; i < s.length; i++) {
    // Slicing a concatenation makes V8 flatten it into a new string first.
    if (s.charCodeAt(i) > 255) return (' ' + s).slice(1);
  }
  return Buffer.from(s, 'latin1').toString('latin1');
}
