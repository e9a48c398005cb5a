// The CLI's --json document. Versioned: fields are only added within a schemaVersion; any removal or
// change of meaning bumps it. README "JSON schema" documents every field.
import type { BuildError, Finding } from '../core/model';
import { summarize, type Summary } from '../core/summary';

// 2: parameter summaries have cause param-leak / param-leak-content with `via`, never allocate; param-to-result
// has no tier and is not counted under `heap`; `allocatesIf`, `inlinedFrom`, packages' `foreign`.
export const SCHEMA_VERSION = 2;

export interface PackageReport {
  dir: string;
  ok: boolean;
  errors: BuildError[];
  skipped: number;
  /** Findings in files outside the package (GOROOT generics, cgo's generated files), skipped. */
  foreign?: number;
}

export interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  packages: PackageReport[];
  findings: Finding[];
  summary: Summary;
}

export function jsonReport(version: string, packages: PackageReport[], findings: Finding[]): JsonReport {
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'go-escape-lens', version }, packages, findings, summary: summarize(findings) };
}

/**
 * Writes the report as it goes, one finding per line, so that memory holds the findings and never the
 * whole document as one string (a 600k-line compiler log makes a report of 100+ MB). The result is the
 * same JSON document `jsonReport` describes.
 */
export function writeJsonReport(
  write: (s: string) => void, version: string, packages: PackageReport[], findings: readonly Finding[],
  extra?: (f: Finding) => Record<string, unknown> | undefined,
  /** Further top-level fields, written after the findings (e.g. `contracts`). */
  more?: Record<string, unknown>,
): void {
  let buf = `{\n  "schemaVersion": ${SCHEMA_VERSION},\n  "tool": ${JSON.stringify({ name: 'go-escape-lens', version })},\n`
    + `  "packages": ${JSON.stringify(packages)},\n  "findings": [`;
  findings.forEach((f, i) => {
    const more = extra?.(f);
    buf += (i === 0 ? '\n    ' : ',\n    ') + JSON.stringify(more ? { ...f, ...more } : f);
    if (buf.length > 1 << 20) { write(buf); buf = ''; }
  });
  buf += `${findings.length ? '\n  ' : ''}],\n`;
  for (const [k, v] of Object.entries(more ?? {})) buf += `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`;
  buf += `  "summary": ${JSON.stringify(summarize(findings))}\n}\n`;
  write(buf);
}
