// Quick fixes: edits on source text, in UTF-16 offsets of the file they change.

export interface TextEditOffsets { file: string; start: number; end: number; newText: string }

export type FixKind = 'fmt-boxing' | 'sentinel-error' | 'loop-var-copy' | 'suppress-line' | 'suppress-function';

export interface FixCandidate {
  kind: FixKind;
  /** The finding it removes or hides: `file:line:col:message` of the compiler's position. */
  target: string;
  title: string;
  edits: TextEditOffsets[];
  /** Imports the edit needs or may leave unused (resolved against the build). */
  addImports?: string[];
  maybeUnusedImports?: string[];
  /** For fmt boxing: the argument whose type the compiler must tell before the edit is chosen. */
  probe?: { file: string; start: number; end: number; verb: string; call: { start: number; end: number } };
}

/** Applies edits (any order, non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function targetKey(f: { file: string; pos: { line: number; col?: number }; message: string }): string {
  return `${f.file}:${f.pos.line}:${f.pos.col ?? 0}:${f.message}`;
}
