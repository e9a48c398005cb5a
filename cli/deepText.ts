// The lines --deep adds under a finding in the human output.
import { cause } from '../core/classify/causes';
import type { DeepPath } from '../core/model/deep';
import { deepPathText, implementationLines } from '../core/deep/text';

export function deepLines(d: DeepPath): string[] {
  const lines = [deepPathText(d)];
  if (d.refinedCause) lines.push(`cause refined by the sink: ${d.refinedCause} (${cause(d.refinedCause).title})`);
  lines.push(...implementationLines(d));
  return lines;
}
