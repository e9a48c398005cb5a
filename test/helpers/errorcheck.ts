// Reads the Go test suite's `// ERROR "re" "re2"` annotations, as cmd/internal/testdir does.
import * as fs from 'node:fs';

export interface Want { line: number; patterns: RegExp[]; raw: string[] }

/** The errorcheck flags on a test's first line (`// errorcheck -0 -m -l` → ['-m', '-l']). */
export function headerFlags(file: string): string[] | undefined {
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
  const m = /^\/\/ errorcheck(.*)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : undefined;
}

export function wantedErrors(file: string): Want[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const wants: Want[] = [];
  lines.forEach((text, i) => {
    const m = /\/\/ (?:GC_)?ERROR (.*)/.exec(text);
    if (!m || /\/\/ (?:GC_)?ERRORAUTO /.test(text)) return;
    const raw = [...m[1].matchAll(/"([^"]*)"/g)].map((q) => q[1]);
    // Go regexps; the few Go-only escapes used in these tests mean the same in JS.
    wants.push({ line: i + 1, raw, patterns: raw.map((r) => new RegExp(r.replace(/\\\//g, '/'))) });
  });
  return wants;
}
