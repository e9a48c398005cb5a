// The stitched path in words, one arrow per callee: what the hover and the CLI print.
//   → fmt.Fprintln: leaking param content: a (print.go:303) → … ⇒ stored in a heap object…: p.arg = arg (print.go:683)
import * as path from 'node:path';
import type { DeepHop, DeepPath } from '../model/deep';

export function hopName(h: Pick<DeepHop, 'pkg' | 'function'>): string {
  // Methods read as fmt.(*pp).doPrintln; the package's last element is enough to recognise it.
  return `${h.pkg.slice(h.pkg.lastIndexOf('/') + 1)}.${h.function}`;
}

function at(file: string, line: number): string {
  return file ? `${path.basename(file)}:${line}` : '?';
}

/** The path past the package boundary as one line. */
export function deepPathText(d: DeepPath): string {
  const parts = d.hops.map((h) => `→ ${hopName(h)}: ${h.message} (${at(h.file, h.line)})`);
  if (d.sink) parts.push(`⇒ ${d.sink.text} (${at(d.sink.file, d.sink.line)})`);
  else if (d.note) parts.push(`⇒ ${d.note}`);
  return parts.join(' ');
}

/** One line per possible implementation of an interface call. */
export function implementationLines(d: DeepPath): string[] {
  return (d.implementations ?? []).map((i) =>
    `possible: ${i.pkg.slice(i.pkg.lastIndexOf('/') + 1)}.${i.method} (${at(i.file, i.line)}): ${i.message ?? 'no summary for this parameter'}${i.detail ? ` — ${i.detail}` : ''}`);
}
