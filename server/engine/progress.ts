// Work-done progress for analyses that take long (a big package, a cold build cache): shown only after
// a second (AFTER_MS), so the ordinary sub-second save never flashes a notification; it names the package
// and the phase, and cancelling it cancels the analysis (its go process tree included).
import type { AnalysisPhase } from '../../core/analysis/analyzePackage';

export interface Progress {
  report(percentage: number | undefined, message: string): void;
  done(): void;
  /** Aborted when the user cancels the notification. */
  signal: AbortSignal;
}

export interface ProgressHost {
  progress?(title: string): Promise<Progress>;
}

const AFTER_MS = 1000;

export interface LongRun {
  phase(p: AnalysisPhase): void;
  done(): void;
}

export function longRunProgress(host: ProgressHost, name: string, cancel: () => void, afterMs = AFTER_MS): LongRun {
  let phase: AnalysisPhase = 'compiling';
  let shown: Progress | undefined;
  let ended = false;
  const timer = host.progress ? setTimeout(() => {
    void host.progress!(`Escape analysis of ${name}`).then((p) => {
      if (ended) { p.done(); return; }
      shown = p;
      p.report(undefined, phase);
      p.signal.addEventListener('abort', () => { if (!ended) cancel(); }, { once: true });
    }, () => undefined);
  }, afterMs) : undefined;
  return {
    phase: (p) => { phase = p; shown?.report(undefined, p); },
    done: () => {
      if (ended) return;
      ended = true;
      if (timer) clearTimeout(timer);
      shown?.done();
    },
  };
}
