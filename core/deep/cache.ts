// In-memory cache of dependency outputs, shared by every deep explanation of a process (the language server
// keeps one for its lifetime). Keys say what the output depends on:
//   (import path, module@version | Go version for the standard library | file stamps for main-module
//    packages, go command, environment, build flags).
// Entries are promises, so concurrent walks share one go command per package. At most `maxProcesses` go
// commands run at once; the least recently used outputs are dropped beyond `capacity`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGo } from '../run/runGo';
import { moduleRoot } from '../run/module';
import { filesStamp, goVersion, listDeps, type GoQuery, type PkgInfo } from './packages';
import { PackageOutput } from './packageOutput';

export interface RunCounter { runs: number }

export class DeepCache {
  private readonly outputs = new Map<string, Promise<PackageOutput>>();
  private readonly lists = new Map<string, Promise<Map<string, PkgInfo>>>();
  private readonly versions = new Map<string, Promise<string>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Go commands started by this cache since it was made. */
  runs = 0;

  constructor(readonly maxProcesses = 2, readonly capacity = 48) {}

  private base(q: GoQuery): string {
    return JSON.stringify([q.goCommand || 'go', q.env ?? {}, q.buildFlags ?? []]);
  }

  /** The user's package and everything it imports (or every package matching `target`). */
  packages(q: GoQuery, counter?: RunCounter, target = '.'): Promise<Map<string, PkgInfo>> {
    const root = moduleRoot(q.dir);
    let stamp = '';
    try { stamp = root ? String(fs.statSync(path.join(root, 'go.mod')).mtimeMs) : ''; } catch { /* no go.mod */ }
    const key = `${this.base(q)}\0${q.dir}\0${target}\0${stamp}`;
    return this.memo(this.lists, key, () => this.limited(counter, () => listDeps(q, target)));
  }

  private version(q: GoQuery, counter?: RunCounter): Promise<string> {
    return this.memo(this.versions, this.base(q), () => this.limited(counter, () => goVersion(q)));
  }

  /** `-m=2` output of one package, compiled as the user's build compiles it. */
  async output(q: GoQuery, info: PkgInfo, packages: ReadonlyMap<string, PkgInfo>, counter?: RunCounter): Promise<PackageOutput> {
    const version = info.standard ? `std@${await this.version(q, counter)}`
      : info.main || !info.module?.includes('@') ? `main@${filesStamp(info)}` : info.module;
    const key = `${this.base(q)}\0${info.importPath}\0${version}`;
    return this.memo(this.outputs, key, async () => {
      const run = await this.limited(counter, () => runGo({
        dir: q.dir, goCommand: q.goCommand, env: q.env, buildFlags: q.buildFlags, packages: [info.importPath],
        timeoutMs: q.timeoutMs ?? 120_000, signal: q.signal,
      }));
      return new PackageOutput(info, run.output, q.dir, packages);
    });
  }

  /** `-m=2` output of every package of the user's module (for implementations of an interface method). */
  async moduleOutput(q: GoQuery, modulePath: string, counter?: RunCounter): Promise<PackageOutput | undefined> {
    const pattern = `${modulePath}/...`;
    const all = await this.packages(q, counter, pattern);
    const mine = [...all.values()].filter((p) => p.main && (p.importPath === modulePath || p.importPath.startsWith(modulePath + '/')));
    if (mine.length === 0) return undefined;
    const key = `${this.base(q)}\0${pattern}\0${mine.map((p) => `${p.importPath}:${filesStamp(p)}`).join(';')}`;
    return this.memo(this.outputs, key, async () => {
      const run = await this.limited(counter, () => runGo({
        dir: q.dir, goCommand: q.goCommand, env: q.env, buildFlags: q.buildFlags, packages: [pattern],
        timeoutMs: q.timeoutMs ?? 120_000, signal: q.signal,
      }));
      return new PackageOutput(mine[0], run.output, q.dir, all);
    });
  }

  clear(): void {
    this.outputs.clear();
    this.lists.clear();
    this.versions.clear();
  }

  get size(): number { return this.outputs.size; }

  private memo<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit) {
      map.delete(key);
      map.set(key, hit);
      return hit;
    }
    const p = make();
    map.set(key, p);
    // A failed or cancelled run is not remembered: the next request tries again.
    p.catch(() => { if (map.get(key) === p) map.delete(key); });
    while (map.size > this.capacity) map.delete(map.keys().next().value as string);
    return p;
  }

  private async limited<T>(counter: RunCounter | undefined, run: () => Promise<T>): Promise<T> {
    while (this.running >= this.maxProcesses) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    this.runs++;
    if (counter) counter.runs++;
    try {
      return await run();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
