// Measurements kept across restarts: one file per package directory in the user's cache
// (<cache>/go-escape-lens/measurements/), holding the hash of the package's content (its Go files, test
// files included, and its module's go.mod and go.sum) and each benchmark's last two measurements. A load
// gives them back only while that hash is unchanged: figures of other code would be wrong. When the cache
// cannot be written (read-only, full, absent) the store keeps them in memory for this process instead.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from '../platform';
import { moduleRoot } from '../run/module';
import { goFilesIn } from '../util/goFiles';
import type { Measurement } from './model';

export interface Kept { last: Measurement; previous?: Measurement }

interface StoredFile { version: 1; dir: string; content: string; benchmarks: Record<string, Kept> }

export class MeasurementStore {
  private readonly memory = new Map<string, StoredFile>();

  constructor(private readonly root = path.join(userCacheDir(), 'go-escape-lens', 'measurements')) {}

  /** The kept measurements of the package in `dir`, by benchmark, when its content is what was measured. */
  load(dir: string): Map<string, Kept> {
    const content = contentHash(dir);
    const stored = this.memory.get(dir) ?? this.readFile(dir);
    if (!stored || stored.content !== content) return new Map();
    return new Map(Object.entries(stored.benchmarks));
  }

  /** Replaces what is kept for the package in `dir` (measured on its current content). */
  save(dir: string, benchmarks: ReadonlyMap<string, Kept>): void {
    const stored: StoredFile = { version: 1, dir, content: contentHash(dir), benchmarks: Object.fromEntries(benchmarks) };
    const file = this.fileOf(dir);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.root, { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(stored));
      fs.renameSync(tmp, file);
      this.memory.delete(dir);
    } catch {
      try { fs.rmSync(tmp, { force: true }); } catch { /* nothing was written */ }
      this.memory.set(dir, stored);
    }
  }

  private fileOf(dir: string): string {
    return path.join(this.root, `${crypto.createHash('sha256').update(dir).digest('hex').slice(0, 32)}.json`);
  }

  private readFile(dir: string): StoredFile | undefined {
    try {
      const doc = JSON.parse(fs.readFileSync(this.fileOf(dir), 'utf8')) as StoredFile;
      return doc.version === 1 && doc.dir === dir && typeof doc.benchmarks === 'object' ? doc : undefined;
    } catch {
      return undefined;
    }
  }
}

/** SHA-256 over the package's Go files (names and bytes, in name order) and its module's go.mod and go.sum. */
export function contentHash(dir: string): string {
  const h = crypto.createHash('sha256');
  const root = moduleRoot(dir);
  const files = [...goFilesIn(dir).sort(), ...(root ? [path.join(root, 'go.mod'), path.join(root, 'go.sum')] : [])];
  for (const f of files) {
    h.update(`${path.basename(f)}\0`);
    try { h.update(fs.readFileSync(f)); } catch { h.update('\0absent'); }
    h.update('\0');
  }
  return h.digest('hex');
}
