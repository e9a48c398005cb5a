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
