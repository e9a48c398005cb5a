// The compile's early output (core/run/earlyOutput.ts) parsed as it arrives: the frontend prints it over
// a few hundred milliseconds on one core while the other is idle, so by the time it stops the parse is
// done. Blocks are fed to an OutputParser in slices (a server keeps answering meanwhile); when more output
// comes after the parse was ended, a new parser reads every block again.
import { downloadNotice } from '../run/downloads';
import { createHash, type Hash } from 'node:crypto';
import { CancelledError } from '../util/cancel';
import { TimeSlice } from '../util/steps';
import type { OutputParser, ParsedOutput } from './parse';

/** What the go command printed: its bytes undecoded when the run kept them so, else the text. */
export interface Printed { readonly output: string; raw?: () => readonly Buffer[] }

export class EarlyParse {
  private parser: OutputParser;
  private blocks: string[] = [];
  /** SHA-256 of the blocks' UTF-8 bytes, as they come: compared with the bytes the go command printed. */
  private hash: Hash = createHash('sha256');
  private fed = 0;
  private pumping: Promise<void> | undefined;
  /** Bumped by each restart: an end() begun before it is moot. */
  private generation = 0;

  constructor(private readonly newParser: () => OutputParser, private readonly sliceMs = 5) {
    this.parser = newParser();
  }

  add(block: string): void {
    this.blocks.push(block);
    this.hash.update(block, 'utf8');
    void this.pump();
  }

  /** More output came after end(): parse everything again with a new parser. */
  restart(): void {
    this.generation++;
    this.parser = this.newParser();
    this.fed = 0;
    void this.pump();
  }

  /**
   * Every block so far, parsed. The text they make is not joined (on a big output that is another copy
   * of it): `matches` compares it with the printed output (the bytes, through their SHA-256, when the
   * run has them undecoded; else the text, block by block), `text` joins it when asked. Rejects if
   * restarted meanwhile.
   */
  async end(): Promise<{ parsed: ParsedOutput; matches(printed: Printed): boolean; text(): string }> {
    const generation = this.generation;
    while (this.pumping || this.fed < this.blocks.length) await this.pump();
    if (generation !== this.generation) throw new CancelledError();
    const blocks = this.blocks.slice();
    const digest = this.hash.copy().digest();
    return {
      parsed: this.parser.end(),
      matches: (printed) => {
        // The compile's own text is all the tee saw; the go command may print its downloads first (a cold
        // module cache), which are not the compile's and change nothing in it.
        const raw = printed.raw?.();
        if (raw && !raw.some((chunk) => chunk.includes(DOWNLOADING))) {
          const h = createHash('sha256');
          for (const chunk of raw) h.update(chunk);
          return h.digest().equals(digest);
        }
        const output = withoutDownloads(printed.output);
        let at = 0;
        for (const b of blocks) {
          if (!output.startsWith(b, at)) return false;
          at += b.length;
        }
        return at === output.length;
      },
      text: () => blocks.join(''),
    };
  }

  /** Lets go of the text and the parser (the analysis is done, or moot): nothing here outlives the run. */
  dispose(): void {
    this.generation++;
    this.blocks = [];
    this.hash = createHash('sha256');
    this.fed = 0;
    this.parser = this.newParser();
  }

  private pump(): Promise<void> {
    // Cleared after it is set (a drain with nothing to wait for settles at once), and blocks added while
    // it settled get a drain of their own.
    this.pumping ??= this.drain().finally(() => {
      this.pumping = undefined;
      if (this.fed < this.blocks.length) void this.pump();
    });
    return this.pumping;
  }

  private async drain(): Promise<void> {
    const slice = new TimeSlice(this.sliceMs);
    while (this.fed < this.blocks.length) {
      this.parser.write(this.blocks[this.fed++]);
      if (slice.due()) await slice.pause();
    }
  }
}

const DOWNLOADING = 'go: downloading ';

/** The go command's output without its `go: downloading …` lines. */
export function withoutDownloads(output: string): string {
  if (!output.includes(DOWNLOADING)) return output;
  return output.split(/(?<=\n)/).filter((line) => !downloadNotice(line.replace(/\r?\n$/, ''))).join('');
}
