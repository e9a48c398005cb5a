// Benchmark measurement in the server: runs only when the user clicks a lens or runs the command, one run
// per package at a time, in the background with cancellable progress; keeps the last two measurements of
// each leaf benchmark so hovers and lenses show before → after until the next one, in the user's cache
// too (core/measure/store.ts), so they come back after a restart while the code is unchanged. A
// benchmark that fails is reported by name; the others' figures are kept. The work is core/measure's.
import * as path from 'node:path';
import { uriToPath } from '../../core/platform';
import type { Finding } from '../../core/model';
import type { SourceCache } from '../../core/locate/sourceCache';
import { attachMeasurements } from '../../core/measure/attach';
import { measurePackage } from '../../core/analysis/measurePackage';
import type { Measurement } from '../../core/measure/model';
import { MeasurementStore, type Kept } from '../../core/measure/store';
import { insideModule } from '../../core/run/module';
import { CancelledError } from '../../core/run/runGo';
import type { Settings } from '../settings';

export interface Progress {
  report(percentage: number, message: string): void;
  done(): void;
  /** Aborted when the user cancels the progress notification. */
  signal: AbortSignal;
}

export interface MeasureHost {
  settings(uri: string): Promise<Settings>;
  progress(title: string): Promise<Progress>;
  log(message: string): void;
  showMessage(message: string): void;
  /** Findings changed: lenses and hovers should be asked again. */
  refresh(dir: string): void;
}

type BenchState = Kept;

export class Measurer {
  private readonly running = new Map<string, AbortController>();
  private readonly byDir = new Map<string, Map<string, BenchState>>();

  constructor(private readonly host: MeasureHost, private readonly sources: SourceCache, private readonly trusted: boolean,
    private readonly findingsOf: (dir: string) => Finding[], private readonly store = new MeasurementStore()) {}

  isRunning(dir: string): boolean { return this.running.has(dir); }

  state(dir: string): ReadonlyMap<string, BenchState> { return this.kept(dir); }

  /** What is kept for `dir`: in memory, else what the store has for the package as it is now. */
  private kept(dir: string): Map<string, BenchState> {
    let s = this.byDir.get(dir);
    if (!s) {
      s = this.store.load(dir);
      this.byDir.set(dir, s);
    }
    return s;
  }

  /** Puts the kept measurements on a fresh analysis' findings (called after every analysis). */
  decorate(dir: string, findings: readonly Finding[]): void {
    const s = this.kept(dir);
    if (s.size === 0) return;
    const previous = new Map<string, Measurement>();
    for (const [k, v] of s) if (v.previous) previous.set(k, v.previous);
    attachMeasurements(findings, [...s.values()].map((v) => v.last), previous);
  }

  /** Measures one benchmark, or all of the package's, for the package of `uri`. */
  async measure(uri: string, benchmark?: string): Promise<void> {
    if (!this.trusted) return;
    const file = uriToPath(uri);
    if (!file) return;
    const dir = path.dirname(file);
    if (this.running.has(dir)) {
      this.host.showMessage(`Go Escape Lens: already measuring benchmarks in ${path.basename(dir)}; cancel it from its progress notification first.`);
      return;
    }
    const s = await this.host.settings(uri);
    const abort = new AbortController();
    this.running.set(dir, abort);
    this.host.refresh(dir);
    const progress = await this.host.progress(`Measuring ${benchmark ?? `benchmarks of ${path.basename(dir)}`}`);
    progress.signal.addEventListener('abort', () => abort.abort(), { once: true });
    const kept = this.kept(dir);
    try {
      const env = { ...s.env, ...(insideModule(dir) ? {} : { GO111MODULE: 'off' }) };
      const r = await measurePackage({
        dir, benchmarks: benchmark ? [benchmark] : undefined, goCommand: s.goCommand, env, buildFlags: s.buildFlags, gcflags: s.gcflags,
        timeoutMs: s.timeoutSeconds * 1000, signal: abort.signal, sources: this.sources,
        onProgress: (message, done, total) => progress.report(Math.round((done / Math.max(1, total)) * 100), message),
      });
      if (r.analysis.errors.length > 0) {
        this.host.showMessage(`Go Escape Lens: the package does not build with its tests: ${r.analysis.errors[0].message.split('\n')[0]}`);
        return;
      }
      for (const m of r.measurements) {
        kept.set(m.benchmark, { last: m, previous: kept.get(m.benchmark)?.last });
        this.host.log(`[${dir}] ${m.benchmark}: go test ${m.goTest.bytesPerOp} B/op, ${m.goTest.allocsPerOp} allocs/op; ` +
          `findings explain ${m.explained.bytesPerOp} B/op (${Math.round(m.explained.share * 100)}%), ${m.sites.length} lines`);
      }
      for (const f of r.failures) this.host.log(`[${dir}] ${f.benchmark}: ${f.error}\n${f.output ?? ''}`);
      if (r.failures.length > 0) {
        const names = r.failures.map((f) => f.benchmark);
        this.host.showMessage(`Go Escape Lens: ${names.length} benchmark${names.length > 1 ? 's' : ''} not measured (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}): ` +
          `${r.failures[0].error.split('\n')[0]}; the others' figures are shown.`);
      }
      this.byDir.set(dir, kept);
      if (r.measurements.length > 0) this.store.save(dir, kept);
      this.decorate(dir, this.findingsOf(dir));
    } catch (e) {
      if (!(e instanceof CancelledError)) {
        const message = (e as Error).message;
        this.host.log(`[${dir}] measuring: ${message}\n${(e as { output?: string }).output ?? ''}`);
        this.host.showMessage(`Go Escape Lens: measuring failed: ${message}`);
      }
    } finally {
      this.running.delete(dir);
      progress.done();
      this.host.refresh(dir);
    }
  }

  cancelAll(): void {
    for (const a of this.running.values()) a.abort();
  }
}
