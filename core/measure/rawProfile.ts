// Reads a Go heap profile sample by sample, with every frame of every stack (inlined frames included),
// through `go tool pprof -raw`: the text form of the profile proto, so no protobuf decoder is needed.
import { runPprof } from './pprof';

/** One frame of a stack; `inlined` when the compiler inlined this function into the next frame. */
export interface Frame { fn: string; file: string; line: number; inlined: boolean }

/** One profile sample: what was allocated with this exact stack (leaf first). */
export interface Sample { objects: number; bytes: number; frames: Frame[] }

// `     62: 0x52e944 M=1 example.com/measure.NewBlock /tmp/mfx/m.go:7:0 s=7`
const LOCATION = /^\s*(\d+): 0x[0-9a-f]+ (?:M=\d+ )?(.*)$/;
// `             example.com/measure.BenchmarkBoth /tmp/mfx/m_test.go:12:0 s=8` (an inlining caller)
const FUNCTION = /^(\S+) (.+?):(\d+)(?::\d+)?(?: s=\d+)?$/;
// `       1100      70400          0          0: 62 35 61 `
const SAMPLE = /^\s*((?:\d+\s+)+\d+):((?:\s+\d+)*)\s*$/;

/** Parses `go tool pprof -raw` output of a heap profile (sample types alloc_objects, alloc_space, ...). */
export function parseRawProfile(text: string): Sample[] {
  const lines = text.split('\n');
  let section = '';
  let types: string[] = [];
  const rows: { values: number[]; locs: number[] }[] = [];
  const locations = new Map<number, { fn: string; file: string; line: number }[]>();
  let current: { fn: string; file: string; line: number }[] | undefined;
  for (const line of lines) {
    if (/^(Samples|Locations|Mappings):?\s*$/.test(line)) { section = line.replace(/:?\s*$/, ''); current = undefined; continue; }
    if (section === 'Samples') {
      if (types.length === 0) { types = line.trim().split(/\s+/); continue; }
      const m = SAMPLE.exec(line);
      if (m) rows.push({ values: m[1].trim().split(/\s+/).map(Number), locs: m[2].trim().split(/\s+/).filter(Boolean).map(Number) });
    } else if (section === 'Locations') {
      const m = LOCATION.exec(line);
      if (m) {
        current = [];
        locations.set(Number(m[1]), current);
        const f = FUNCTION.exec(m[2].trim());
        if (f) current.push({ fn: f[1], file: f[2], line: Number(f[3]) });
        continue;
      }
      const f = FUNCTION.exec(line.trim());
      if (f && current) current.push({ fn: f[1], file: f[2], line: Number(f[3]) });
    }
  }
  const objectsAt = types.findIndex((t) => t.startsWith('alloc_objects'));
  const bytesAt = types.findIndex((t) => t.startsWith('alloc_space'));
  if (objectsAt < 0 || bytesAt < 0) throw new Error('not a heap profile with allocation samples (alloc_objects, alloc_space)');
  return rows.map((r) => ({
    objects: r.values[objectsAt],
    bytes: r.values[bytesAt],
    // Within one location the first function is the innermost, inlined into the next one.
    frames: r.locs.flatMap((id) => (locations.get(id) ?? []).map((fr, i, all) => ({ ...fr, inlined: i < all.length - 1 }))),
  }));
}

export async function loadRawProfile(file: string, goCommand = 'go', env?: Record<string, string>, signal?: AbortSignal, timeoutMs = 120_000): Promise<Sample[]> {
  return parseRawProfile(await runPprof(goCommand, ['-raw'], file, { env, signal, timeoutMs, maxBuffer: 512 * 1024 * 1024 }));
}
