// What the go command prints of a tool's output: the compile's own text, rewritten the way
// cmd/go/internal/work/shell.go (reportCmd) rewrites it before showing it. An early copy of the compile's
// output (earlyOutput.ts) is analysed as this text; the analysis is kept only when it is exactly the text
// the go command then printed, so the rewriting only has to be right for the early analysis to pay off,
// never for the results to be right.
import * as path from 'node:path';

/**
 * The go command's rewriting of whole lines of a tool's output, for a go command run in `dir` on the
 * package in `dir`: mentions of the directory and of each of its parents become the shorter relative path
 * (`.`, `..`, `../..`) where a path may start (a line's start, after a space, after a line's leading tab).
 * `$WORK` paths and cgo line markers are not rewritten (the go command's temp dir is not known here): such
 * output does not match, and is analysed as printed. Lines never span blocks, so blocks of whole lines can
 * be rewritten one by one as they arrive.
 */
export function goLineRewriter(dir: string): (lines: string) => string {
  const pairs: [string, string][] = [];
  const abs = path.resolve(dir);
  for (let d = abs; ; d = path.dirname(d)) {
    const rel = path.relative(abs, d) || '.';
    if (rel.length < d.length) pairs.push([d, rel]);
    if (path.dirname(d) === d) break;
  }
  return (lines) => {
    // A newline in front: a block's first line starts after one, as every other line does.
    let s = `\n${lines}`;
    for (const [old, rel] of pairs) {
      if (!s.includes(old)) continue;
      s = s.split(` ${old}`).join(` ${rel}`);
      s = s.split(`\n${old}`).join(`\n${rel}`);
      s = s.split(`\n\t${old}`).join(`\n\t${rel}`);
    }
    return s.slice(1);
  };
}

/** `raw` (a `# desc` header line, then the tool's output) as the go command run in `dir` prints it. */
export function asGoPrints(raw: string, dir: string): string {
  const nl = raw.indexOf('\n');
  let out = raw.slice(nl + 1);
  // A tool that printed nothing gets no header either; the go command ends what it shows with a newline.
  if (out === '') return '';
  if (!out.endsWith('\n')) out += '\n';
  return raw.slice(0, nl + 1) + goLineRewriter(dir)(out);
}
