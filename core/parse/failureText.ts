// What a build parsed as it runs keeps of its output in case it fails (ParseOptions.keepForFailure): the
// lines that are not escape analysis, so that a failed build's errors come out as from the whole output,
// while the escape analysis, nearly all of a big output, is never kept as text.
import { flatCopy } from './intern';

export class FailureText {
  private readonly kept: string[] = [];
  /** The last escape line dropped since a line that sets or ends an error. */
  private held: string | undefined;

  /**
   * The text a failed build's errors are read from (parsed again with its exit code): every line that is
   * not escape analysis, and before an indented line (a multi-line error's `\thave …`) the escape line
   * that came before it, since that line ends the error the indented line would continue. `rest`: the
   * last line, not ended by a `\n` yet.
   */
  text(rest: string): string {
    const lines = this.kept;
    if (!rest) return lines.join('\n');
    // The last line as it is (the parser's end() would read it so).
    const last = this.held !== undefined && rest.charCodeAt(0) === 9 ? [keptLine(this.held), rest] : [rest];
    return [...lines, ...last].join('\n');
  }

  /** `line` is escape analysis (a failed build's parse gets no error from it). */
  drop(line: string): void {
    if (line.charCodeAt(0) !== 9) this.held = line;
  }

  /**
   * `line` is kept. `ends` (default): in a failed build's parse it starts, continues or ends an error, so
   * the escape line held before it no longer matters; headers and go's progress lines (`ends` false) leave
   * the error as it was.
   */
  keep(line: string, ends = true): void {
    if (this.held !== undefined && line.charCodeAt(0) === 9) this.kept.push(keptLine(this.held));
    this.kept.push(keptLine(line));
    if (ends) this.held = undefined;
  }
}

/**
 * A line as it goes into the text: a copy (not a piece of its chunk), with the `\r` that the parser took
 * off before its `\n` put back when the line still ends with one (read again, the same line comes out).
 */
function keptLine(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line + '\r' : flatCopy(line);
}
