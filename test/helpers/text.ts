import * as fs from 'node:fs';
import type { Range } from '../../core/model';

const cache = new Map<string, string[]>();

/** The text a range covers in a file on disk (ranges are UTF-16, like JS strings). */
export function rangeText(f: { file: string; range: Range }): string {
  let lines = cache.get(f.file);
  if (!lines) { lines = fs.readFileSync(f.file, 'utf8').split('\n'); cache.set(f.file, lines); }
  const { start, end } = f.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}
