// Line starts of a text and the conversion the compiler's byte columns need: UTF-8 bytes → UTF-16 units.

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number { return this.starts.length; }

  /** UTF-16 offset of the start of 0-based `line` (clamped). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.lineStart(line) && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /**
   * UTF-16 offset in the text of 1-based `line`, 1-based UTF-8 byte `col`. A tab is one byte, as for the
   * compiler; a CJK character three bytes but one UTF-16 unit; an emoji four bytes but two units.
   */
  offsetAt(line: number, col: number): number {
    const start = this.lineStart(line - 1);
    const end = this.lineEnd(line - 1);
    let bytes = col - 1;
    let i = start;
    while (bytes > 0 && i < end) {
      const c = this.text.charCodeAt(i);
      if (c < 0x80) { bytes -= 1; i += 1; }
      else if (c < 0x800) { bytes -= 2; i += 1; }
      else if (c >= 0xd800 && c < 0xdc00) { bytes -= 4; i += 2; } // surrogate pair
      else { bytes -= 3; i += 1; }
    }
    return i;
  }

  /**
   * Does 1-based `line`, 1-based UTF-8 byte `col` fall inside the text (the column at most one past the
   * line's end)? A log older than the sources can point past both.
   */
  holds(line: number, col?: number): boolean {
    if (line < 1 || line > this.starts.length) return false;
    return col === undefined || col - 1 <= Buffer.byteLength(this.lineText(line - 1), 'utf8');
  }

  /** 0-based line and UTF-16 character of an offset. */
  positionAt(offset: number): { line: number; character: number } {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}
