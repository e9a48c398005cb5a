// The CLI's --json document. Versioned: fields are only added within a schemaVersion; any removal or
// change of meaning bumps it. README "JSON schema" documents every field.
import type { BuildError, Finding } from '../core/model';
import { summarize, type Summary } from '../core/summary';

export const SCHEMA_VERSION = 1;

export interface PackageReport {
  dir: string;
  ok: boolean;
  errors: BuildError[];
  skipped: number;
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
