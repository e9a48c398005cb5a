// One analysis of a package, as its scheduler starts it: run the go command over the open buffers (or the
// disk), prepare and publish the findings, then verify fixes. A build that fails keeps the last good
// findings still in place, marked stale; an error clears them; a cancelled run (a newer save, a closed
// file) just ends. Progress shows after a second; every run's figures go to the log.
import * as path from 'node:path';
import { analyzePackage } from '../../core/analysis/analyzePackage';
import { readFromDisk, type SourceCache } from '../../core/locate/sourceCache';
import type { AnalysisResult, Finding } from '../../core/model';
import { startReaper } from '../../core/gohelper/reaper';
import { insideModule } from '../../core/run/module';
import { CancelledError, GoNotFoundError, ignoredGoFiles } from '../../core/run/runGo';
import { longRunProgress } from './progress';
import type { RunContext } from './scheduler';
import type { Settings, SettingsCache } from '../settings';
import { firstError, mb, stallMonitor } from './analysisLog';
import { verifyPackageFixes } from './fixVerification';
import { toPath, type EngineHost } from './host';
import type { PackageState, Packages } from './packages';
import type { Prepared, Preparer } from './prepare';
import type { Publisher } from './publisher';
import type { Status } from './status';

/** Something that watches each analysis from its start to its end (the forced collections, memory.ts). */
export interface AnalysisWatch {
  start(dir: string): { published(current: () => boolean): void; end(): void };
}

export interface AnalysisRooms {
  host: EngineHost;
  settings: SettingsCache;
  sources: SourceCache;
  packages: Packages;
  status: Status;
  publisher: Publisher;
  preparer: Preparer;
  /** go commands found missing: not run again until the settings change or the user asks. */
  missingGo: Set<string>;
  watch?: AnalysisWatch;
}

export async function analyse(rooms: AnalysisRooms, pkg: PackageState, { signal, generation }: RunContext): Promise<void> {
  const { host, settings, sources, packages, status, publisher } = rooms;
  const open = packages.openIn(pkg.dir);
  if (open.length === 0) return;
  const s = await settings.get(open[0].uri);
  if (rooms.missingGo.has(s.goCommand)) return;
  // Before the first go command of the session: a SIGKILL of the server must not leave its builds running.
  void startReaper({ goCommand: s.goCommand, env: s.env });
  const overlay = new Map<string, string>();
  if (s.run === 'onType') {
    for (const d of open) {
      const p = toPath(d.uri)!;
      if (readFromDisk(p) !== d.text) overlay.set(p, d.text);
    }
  }
  const mode = s.includeTests || open.some((d) => d.uri.endsWith('_test.go')) ? 'test' : 'build';
  const env = { ...s.env, ...(insideModule(pkg.dir) ? {} : { GO111MODULE: 'off' }) };
  const current = () => pkg.scheduler.isLatest(generation);
  pkg.runs++;
  pkg.running++;
  let counted = true;
  status.set(pkg, 'analysing');
  const progress = longRunProgress(host, path.basename(pkg.dir), () => pkg.scheduler.cancel());
  const stalls = stallMonitor();
  const watched = rooms.watch?.start(pkg.dir);
  const memory: string[] = [];
  const t0 = performance.now();
  // Everything a publish needs that depends only on the analysis: run by analyzePackage on its result,
  // while the backend still runs when the compile's output came early (core/analysis/earlyAnalysis.ts).
  const prepare = (r: AnalysisResult, sig?: AbortSignal): Promise<Prepared> => rooms.preparer.prepare(pkg, s, r, overlay, sig);
  try {
    const r = await analyzePackage({
      onPhase: (phase) => { memory.push(`${phase} ${mb()}`); progress.phase(phase); },
      dir: pkg.dir, goCommand: s.goCommand, mode, gcflags: s.gcflags, buildFlags: s.buildFlags,
      env, overlay, timeoutMs: s.timeoutSeconds * 1000, signal, sources, all: s.showNonEscaping || s.showInlining,
      // The compile's output is analysed (and prepared for publishing) while its backend runs, and kept if go then prints the same.
      early: true,
      prepare: (r, sig) => (r.errors.length > 0 ? Promise.resolve(undefined) : prepare(r, sig)),
      // The output is logged only when the build fails: else (no early analysis) it is parsed as it comes, never kept whole.
      outputOnFailure: true,
      // Only open files are shown: locating the rest would be work nobody sees (opening one re-analyses),
      // unless the Escapes view shows the whole package.
      onlyFiles: packages.escapesViewOpen ? undefined : new Set(open.map((d) => toPath(d.uri)!)),
      // A first build may download the toolchain go.mod asks for: say so rather than look stuck.
      onDownload: (n) => {
        pkg.downloading = n.kind === 'toolchain' ? `Go toolchain ${n.what}` : `module ${n.what}`;
        host.log(`[${pkg.dir}] the go command is downloading ${pkg.downloading}`);
        status.send(pkg);
      },
    });
    memory.push(`analysed ${mb()}`);
    const tAnalysed = performance.now();
    pkg.downloading = undefined;
    progress.done();
    pkg.whole = packages.escapesViewOpen;
    pkg.running--;
    counted = false;
    if (!current()) return;
    host.log(`[${pkg.dir}] go ${r.args.join(' ')}: ${r.compileMs.toFixed(0)} ms, analysis ${r.analyzeMs.toFixed(0)} ms after it` +
      `${r.early === 'used' ? ' (analysed while compiling)' : r.early === 'redone' ? ' (early output not as printed: analysed again)' : ''}, ` +
      `${r.findings.length} findings${r.errors.length ? `, ${r.errors.length} errors` : ''}`);
    if (r.errors.length > 0) {
      // While the user types, most saves do not build: keep the last good findings whose text is still in
      // place (marked stale in the hover) instead of clearing every squiggle of the package.
      pkg.stale = pkg.findings.size > 0;
      pkg.contracts = undefined;
      host.log(r.output);
      await publisher.publish(pkg, s, 'failed', `build failed: ${firstError(r.errors[0])}`, undefined, signal);
      return;
    }
    // The compiler's whole output is not needed past this point, while the presentation, the publishing
    // and the fix verification that follow keep `r` alive.
    r.output = '';
    const prepared = (r.prepared as Prepared | undefined) ?? await prepare(r, signal);
    pkg.contracts = r.contracts;
    pkg.actions = prepared.actions;
    pkg.fixes = undefined;
    await publisher.publish(pkg, s, 'done', await note(rooms, pkg, s, prepared.findings),
      { findings: prepared.findings, covered: prepared.covered, stale: false }, signal, prepared.view);
    const tPublished = performance.now();
    host.log(`[${pkg.dir}] published ${(tPublished - t0 - r.compileMs).toFixed(0)} ms after go exited ` +
      `(${(tPublished - tAnalysed).toFixed(0)} ms after the analysis); longest event-loop stall ${stalls.stop().toFixed(0)} ms; heap MB at ${memory.join(', ')}, published ${mb()}`);
    watched?.published(() => current() && pkg.running === 0);
    if (s.quickFixes && !signal.aborted) {
      const read = (p: string) => overlay.get(p) ?? readFromDisk(p);
      await verifyPackageFixes(pkg, r.findings, read, sources, {
        goCommand: s.goCommand, mode, gcflags: s.gcflags, buildFlags: s.buildFlags,
        env, timeoutMs: s.timeoutSeconds * 1000, signal, overlay,
      }, current, () => status.send(pkg));
    }
  } catch (e) {
    pkg.downloading = undefined;
    progress.done();
    if (counted) pkg.running = Math.max(0, pkg.running - 1);
    if (e instanceof CancelledError) return;
    const message = (e as Error).message;
    host.log(`[${pkg.dir}] ${message}`);
    if (e instanceof GoNotFoundError) rooms.missingGo.add(s.goCommand);
    await publisher.publish(pkg, s, 'failed', message, { findings: new Map(), covered: new Map(), stale: false });
    if (e instanceof GoNotFoundError) host.showError(message);
  } finally {
    watched?.end();
    stalls.stop();
  }
}

/** Why an open file shows nothing, when it is excluded by build constraints (asked only then). */
async function note({ packages }: AnalysisRooms, pkg: PackageState, s: Settings, findings: Map<string, Finding[]>): Promise<string | undefined> {
  const silent = packages.openIn(pkg.dir).filter((d) => !findings.has(toPath(d.uri)!) && /^\/\/go:build /m.test(d.text));
  if (silent.length === 0) return undefined;
  try {
    const ignored = new Set(await ignoredGoFiles({ dir: pkg.dir, goCommand: s.goCommand, env: s.env, buildFlags: s.buildFlags, timeoutMs: s.timeoutSeconds * 1000 }));
    const names = silent.map((d) => path.basename(toPath(d.uri)!)).filter((n) => ignored.has(n));
    return names.length ? `${names.join(', ')} excluded by build constraints (set goEscapeLens.buildFlags, e.g. -tags=...)` : undefined;
  } catch {
    return undefined;
  }
}
