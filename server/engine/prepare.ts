// A good analysis made ready to publish: heap-profile weights and the project policy's actions on its
// findings, the findings by file with the text each range covers (how later edits are told apart from
// findings still in place), and the view to publish. Run by analyzePackage on the compile's early output
// while the backend still runs, else after go exits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFromDisk, type SourceCache } from '../../core/locate/sourceCache';
import type { AnalysisResult, Finding } from '../../core/model';
import type { Action } from '../../core/policy/policy';
import { loadHeapProfile, type HeapProfile } from '../../core/measure/heapProfile';
import { weigh } from '../../core/measure/weigh';
import { moduleRoot } from '../../core/run/module';
import { runInSlices, STEP, TimeSlice } from '../../core/util/steps';
import { PolicyCache, policyActions } from './policy';
import type { Settings } from '../settings';
import type { EngineHost } from './host';
import { textAt } from './lines';
import type { PackageState } from './packages';
import { SLICE_MS, type Publisher, type View } from './publisher';

export interface Prepared {
  findings: Map<string, Finding[]>;
  covered: Map<Finding, string>;
  actions?: Map<Finding, Action>;
  view: View;
}

export class Preparer {
  private readonly policies = new PolicyCache();
  private readonly profiles = new Map<string, { mtime: number; profile: Promise<HeapProfile> }>();

  constructor(private readonly host: EngineHost, private readonly sources: SourceCache, private readonly publisher: Publisher) {}

  async prepare(pkg: PackageState, s: Settings, r: AnalysisResult, overlay: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<Prepared> {
    if (s.heapProfile) await this.weighByProfile(r.findings, s, pkg.dir);
    const actions = policyActions(this.policies.get(pkg.dir, (m) => { this.host.log(`policy: ${m}`); this.host.showError(`Go Escape Lens: policy ${m}`); }), r.findings,
      (p) => overlay.get(p) ?? this.sources.peek(p)?.text ?? readFromDisk(p));
    this.host.decorate?.(pkg.dir, r.findings);
    // The new findings replace the last ones only when they are published: hovers meanwhile answer from the last result.
    const slice = new TimeSlice(SLICE_MS, signal);
    await slice.pause();
    const { findings, covered } = await runInSlices(coveredTexts(r.findings, (p) => this.sources.peek(p)?.text ?? overlay.get(p) ?? readFromDisk(p)), SLICE_MS, signal);
    await slice.pause();
    const view = await this.publisher.viewOf(pkg, s, 'done', findings, covered, false, actions, signal);
    return { findings, covered, actions, view };
  }

  /** Heap-profile costs on findings; the profile path is absolute or relative to the module root. */
  private async weighByProfile(findings: Finding[], s: Settings, dir: string): Promise<void> {
    const file = path.isAbsolute(s.heapProfile) ? s.heapProfile : path.join(moduleRoot(dir) ?? dir, s.heapProfile);
    let mtime: number;
    try { mtime = fs.statSync(file).mtimeMs; } catch {
      this.host.log(`goEscapeLens.heapProfile: ${file} not found`);
      return;
    }
    let entry = this.profiles.get(file);
    if (!entry || entry.mtime !== mtime) {
      entry = { mtime, profile: loadHeapProfile(file, s.goCommand, s.env, { timeoutMs: s.timeoutSeconds * 1000 }) };
      this.profiles.set(file, entry);
    }
    try {
      weigh(findings, await entry.profile);
    } catch (e) {
      this.host.log(`goEscapeLens.heapProfile: ${(e as Error).message}`);
      this.profiles.delete(file);
    }
  }
}

/**
 * The findings by file, and the text each one's range covers in the text it was located against (`read`:
 * the source cache's, so no second read). One string per distinct text: generated code repeats the same
 * expressions thousands of times.
 */
export function* coveredTexts(all: readonly Finding[], read: (file: string) => string | undefined):
  Generator<void, { findings: Map<string, Finding[]>; covered: Map<Finding, string> }> {
  const findings = new Map<string, Finding[]>();
  const covered = new Map<Finding, string>();
  const texts = new Map<string, string[]>();
  const same = new Map<string, string>();
  let n = 0;
  for (const f of all) {
    if ((++n & (STEP - 1)) === 0) yield;
    if (!f.file) continue;
    let list = findings.get(f.file);
    if (!list) { list = []; findings.set(f.file, list); }
    list.push(f);
    let lines = texts.get(f.file);
    if (!lines) { lines = (read(f.file) ?? '').split('\n'); texts.set(f.file, lines); }
    const text = textAt(lines, f);
    let one = same.get(text);
    if (one === undefined) same.set(text, one = text);
    covered.set(f, one);
  }
  return { findings, covered };
}
