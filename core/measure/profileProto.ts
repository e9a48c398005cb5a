// Reads a Go heap profile sample by sample, with every frame of every stack (inlined frames included),
// straight from the file: a gzipped perftools.profiles.Profile protocol buffer (github.com/google/pprof
// proto/profile.proto). Decoding it here, not through `go tool pprof -raw`, spares two processes per
// benchmark (a measurement reads two profiles per leaf). Only the fields a heap profile's samples and
// stacks need are read; everything else is skipped by its wire type.
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** One frame of a stack; `inlined` when the compiler inlined this function into the next frame. */
export interface Frame { fn: string; file: string; line: number; inlined: boolean }

/** One profile sample: what was allocated with this exact stack (leaf first). */
export interface Sample { objects: number; bytes: number; frames: Frame[] }

export async function loadProfile(file: string): Promise<Sample[]> {
  const data = await fs.promises.readFile(file);
  return parseProfile(data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data);
}

interface Fields { varints: Map<number, number[]>; bytes: Map<number, Uint8Array[]> }

/** The fields of one message: varints (packed ones unpacked) and length-delimited bytes, by field number. */
function fields(buf: Uint8Array, packed: ReadonlySet<number> = new Set()): Fields {
  const out: Fields = { varints: new Map(), bytes: new Map() };
  let i = 0;
  const varint = (): number => {
    let x = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++];
      x += (b & 0x7f) * mul;
      if (b < 0x80) return x;
      mul *= 128;
    }
  };
  const push = <T>(m: Map<number, T[]>, k: number, v: T) => { const a = m.get(k); if (a) a.push(v); else m.set(k, [v]); };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) push(out.varints, field, varint());
    else if (wire === 2) {
      const n = varint();
      const body = buf.subarray(i, i + n);
      i += n;
      if (packed.has(field)) {
        const inner = fields(concatKeyed(body));
        for (const v of inner.varints.get(1) ?? []) push(out.varints, field, v);
      } else push(out.bytes, field, body);
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`not a profile: wire type ${wire}`);
  }
  return out;
}

// A packed run of varints, read as repeated field 1 by prefixing each with its key.
function concatKeyed(body: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < body.length;) {
    out.push(0x08);
    while (body[i] >= 0x80) out.push(body[i++]);
    out.push(body[i++]);
  }
  return Uint8Array.from(out);
}

const utf8 = new TextDecoder();

export function parseProfile(buf: Uint8Array): Sample[] {
  // Profile: 1 sample_type, 2 sample, 4 location, 5 function, 6 string_table.
  const p = fields(buf);
  const strings = (p.bytes.get(6) ?? []).map((b) => utf8.decode(b));
  const types = (p.bytes.get(1) ?? []).map((b) => strings[fields(b).varints.get(1)?.[0] ?? 0]);
  const objectsAt = types.indexOf('alloc_objects');
  const bytesAt = types.indexOf('alloc_space');
  if (objectsAt < 0 || bytesAt < 0) throw new Error('not a heap profile with allocation samples (alloc_objects, alloc_space)');
  // Function: 1 id, 2 name, 4 filename.
  const functions = new Map<number, { fn: string; file: string }>();
  for (const b of p.bytes.get(5) ?? []) {
    const f = fields(b);
    functions.set(f.varints.get(1)?.[0] ?? 0, { fn: strings[f.varints.get(2)?.[0] ?? 0], file: strings[f.varints.get(4)?.[0] ?? 0] });
  }
  // Location: 1 id, 4 line (Line: 1 function_id, 2 line), innermost first, the last one the caller the others were inlined into.
  const locations = new Map<number, Frame[]>();
  for (const b of p.bytes.get(4) ?? []) {
    const l = fields(b);
    const lines = (l.bytes.get(4) ?? []).map((x) => fields(x));
    locations.set(l.varints.get(1)?.[0] ?? 0, lines.map((x, i) => {
      const f = functions.get(x.varints.get(1)?.[0] ?? 0);
      return { fn: f?.fn ?? '', file: f?.file ?? '', line: x.varints.get(2)?.[0] ?? 0, inlined: i < lines.length - 1 };
    }));
  }
  // Sample: 1 location_id, 2 value (packed or not).
  return (p.bytes.get(2) ?? []).map((b) => {
    const s = fields(b, new Set([1, 2]));
    const values = s.varints.get(2) ?? [];
    return { objects: values[objectsAt] ?? 0, bytes: values[bytesAt] ?? 0, frames: (s.varints.get(1) ?? []).flatMap((id) => locations.get(id) ?? []) };
  });
}
