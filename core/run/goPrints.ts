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
  if (pairs.length === 0) return (lines) => lines;
  // One pass over the block, with no copy of it until the end: every pair is a prefix of the first (the
  // directory, then its parents), so each mention starts with the last pair's text, and the longest pair
  // that matches there is the one the go command's replacements (the directory first) leave. A split and
  // join per pair and prefix, or a regular expression's replace, allocated much of an early analysis; a
  // block this reads differently from the go command only fails the comparison
  // (analysed as printed), never a result.
  const top = pairs[pairs.length - 1][0];
  return (lines) => {
    const parts: string[] = [];
    let from = 0;
    for (let at = lines.indexOf(top); at >= 0; at = lines.indexOf(top, at + 1)) {
      // Where a path may start: the line's start (a block starts a line), after a space, after a line's leading tab.
      const before = at === 0 ? '\n' : lines[at - 1];
      if (!(before === ' ' || before === '\n' || (before === '\t' && (at === 1 || lines[at - 2] === '\n')))) continue;
      for (const [d, rel] of pairs) {
        if (!lines.startsWith(d, at)) continue;
        parts.push(lines.slice(from, at), rel);
        from = at + d.length;
        at = from - 1;
        break;
      }
    }
    if (from === 0) return lines;
    parts.push(lines.slice(from));
    return parts.join('');
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
