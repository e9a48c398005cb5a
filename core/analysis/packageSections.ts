// The output of many packages cut into each package's section at its `# pkg` headers, whole or as it
// streams (a section's text, and so its contracts, are the same either way).

/** The output's lines under each `# pkg` header (`# p [p.test]` counts as p). */
export function splitByPackage(output: string): Map<string, string> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('# ')) {
      const pkg = line.slice(2).replace(/ \[.*\]$/, '');
      current = out.get(pkg) ?? [];
      out.set(pkg, current);
    }
    current?.push(line);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('\n')]));
}

/**
 * Cuts the output as it streams into sections at its `# pkg` headers, as splitByPackage cuts the whole
 * (so a section's text, and so its contracts, are the same either way). It only looks for line starts
 * `\n# `: the text between is passed on as it came, not split into lines.
 */
export class SectionSplitter {
  /** Complete lines of the current section so far (from its header line, or the output's start, on). */
  private parts: string[] = [];
  /** The last line, not complete yet. */
  private rest = '';

  constructor(private readonly onSection: (pkg: string | undefined, text: string) => void) {}

  write(chunk: string): void {
    const text = this.rest + chunk;
    const end = text.lastIndexOf('\n') + 1;
    this.rest = text.slice(end);
    if (end === 0) return;
    // Headers start lines: at 0 (text starts with a line: rest began one) or after a \n.
    const next = (from: number): number => { const i = text.indexOf('\n# ', from); return i === -1 ? -1 : i + 1; };
    let start = 0;
    for (let h = text.startsWith('# ') ? 0 : next(0); h !== -1 && h < end; h = next(h)) {
      this.parts.push(text.slice(start, h));
      this.cut();
      start = h;
    }
    this.parts.push(text.slice(start, end));
  }

  end(): void {
    if (this.rest.startsWith('# ')) this.cut(); // a last line that is a header, with no \n after it
    this.parts.push(this.rest);
    this.rest = '';
    const text = this.parts.join('');
    this.parts = [];
    if (text !== '') this.emit(text);
  }

  /** Ends the current section before a header: its text without the \n that ends its last line. */
  private cut(): void {
    const text = this.parts.join('');
    this.parts = [];
    if (text !== '') this.emit(text.slice(0, -1));
  }

  private emit(text: string): void {
    if (!text.startsWith('# ')) { this.onSection(undefined, text); return; } // before the first header
    const eol = text.indexOf('\n');
    this.onSection((eol === -1 ? text.slice(2) : text.slice(2, eol)).replace(/ \[.*\]$/, ''), text);
  }
}
