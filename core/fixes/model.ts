// Quick fixes: edits on source text, in UTF-16 offsets of the file they change.
import type { Range } from '../model';

export interface TextEditOffsets { file: string; start: number; end: number; newText: string }

export type FixKind = 'fmt-boxing' | 'sprintf-concat' | 'sentinel-error' | 'preallocate' | 'loop-var-copy' | 'suppress-line' | 'suppress-function';

/** A value the compiler must type before a rewrite is chosen (fmt arguments, a ranged expression). */
export interface ProbedValue { start: number; end: number; verb: string }

export interface FixCandidate {
  kind: FixKind;
  /** The finding it removes or hides: `file:line:col:message` of the compiler's position. */
  target: string;
  title: string;
  edits: TextEditOffsets[];
  /** Imports the edit needs or may leave unused (resolved against the build). */
  addImports?: string[];
  maybeUnusedImports?: string[];
  /** Other findings the same edit removes (the members of a grouped call). */
  also?: string[];
  /**
   * For fmt rewrites: the arguments whose types the compiler must tell before the edit is chosen, the
   * call they replace and, for Sprintf of several values, the format's literal parts around the verbs.
   */
  probe?: { file: string; values: ProbedValue[]; call: { start: number; end: number }; parts?: string[]; parenthesize?: boolean };
  /**
   * For a rewrite the escape analysis cannot prove (the preallocated slice still escapes, it grows once):
   * the function whose allocations per call are measured before and after, and the ranged value's probe.
   */
  measure?: { function: string; ranged: ProbedValue; nilDeclared: boolean; name: string };
  /** The rewrite concatenates strings: the result's own allocation (which fmt made too) may appear. */
  concatenates?: boolean;
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

/** All fixes of one kind in a file or a package, verified together (fixAll.ts). */
export interface FixAll {
  kind: FixKind;
  /** The file it fixes, or undefined for the whole package. */
  file?: string;
  title: string;
  /** Edits in every file it changes, as lines and characters of the texts they were verified on. */
  changes: { file: string; range: Range; newText: string }[];
  /** The fixes it applies. */
  count: number;
}
