// One analysis at a time per package: requests within the delay coalesce into one run, and a newer run
// cancels the older one and waits for its process tree to end before starting. Never two go processes
// for one package, and every promise settles.

export interface RunContext { signal: AbortSignal; generation: number }

export class PackageScheduler {
  private timer: NodeJS.Timeout | undefined;
  private current: { abort: AbortController; done: Promise<void> } | undefined;
  private generation = 0;
  private requests = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];

  constructor(private readonly run: (ctx: RunContext) => Promise<void>) {}

  /** Schedules a run after `delayMs`; resolves once a run started after this request has completed. */
  request(delayMs: number): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const seq = ++this.requests;
    const settled = new Promise<void>((resolve) => this.waiters.push({ seq, resolve }));
    this.timer = setTimeout(() => { this.timer = undefined; void this.start(); }, delayMs);
    return settled;
  }

  /** A finished run may publish only if no newer run was requested or started since. */
  isLatest(generation: number): boolean {
    return generation === this.generation && !this.timer;
  }

  /** Stops everything for this package (its files were closed): pending promises resolve. */
  cancel(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.generation++;
    this.current?.abort.abort();
    this.resolveUpTo(this.requests);
  }

  private async start(): Promise<void> {
    const generation = ++this.generation;
    const seqAtStart = this.requests;
    const previous = this.current;
    const abort = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((r) => { finish = r; });
    this.current = { abort, done };
    if (previous) {
      previous.abort.abort();
      await previous.done; // its process tree is gone before ours starts
    }
    try {
      if (!abort.signal.aborted) await this.run({ signal: abort.signal, generation });
    } catch {
      // The run reports its own errors; a cancelled run just ends.
    } finally {
      if (this.current?.done === done) this.current = undefined;
      finish();
    }
    if (!abort.signal.aborted && generation === this.generation) this.resolveUpTo(seqAtStart);
  }

  private resolveUpTo(seq: number): void {
    const keep: typeof this.waiters = [];
    for (const w of this.waiters) (w.seq <= seq ? w.resolve() : keep.push(w));
    this.waiters = keep;
  }
}
