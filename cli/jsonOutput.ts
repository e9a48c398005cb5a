// The CLI's --json document. Versioned: fields are only added within a schemaVersion; any removal or
// change of meaning bumps it. docs/cli.md ("JSON schema") documents every field.
import type { BuildError, Finding } from '../core/model';
import { summarize, type Summary } from '../core/present/summary';

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
 * whole document as one string (a big package's report is far larger than its findings). The result is
 * the same JSON document `jsonReport` describes.
 */
export function writeJsonReport(
  write: (s: string) => void, version: string, packages: PackageReport[], findings: readonly Finding[],
  extra?: (f: Finding) => Record<string, unknown> | undefined,
  /** Further top-level fields, written after the findings (e.g. `contracts`). */
  more?: Record<string, unknown>,
): void {
  for (const chunk of jsonReportChunks(version, packages, findings, extra, more)) write(chunk);
}

/**
 * writeJsonReport to a stream that may not take it as fast as it is made (a pipe to a slower reader):
 * waits for the stream to drain before going on, so the text waiting in memory stays within a chunk.
 */
export async function writeJsonReportTo(
  stream: NodeJS.WritableStream, version: string, packages: PackageReport[], findings: readonly Finding[],
  extra?: (f: Finding) => Record<string, unknown> | undefined, more?: Record<string, unknown>,
  /** The findings the summary counts (all of them unless told: the CLI leaves out what the policy ignores). */
  counted: readonly Finding[] = findings,
): Promise<void> {
  for (const chunk of jsonReportChunks(version, packages, findings, extra, more, counted)) {
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}

/**
 * Characters of report text held before they are written. Small: text that outlives a young-generation
 * collection is copied to the old generation and stays there until a full one: large pieces of a large
 * report leave such garbage behind.
 */
const CHUNK = 64 * 1024;

/** The report's text in pieces of about CHUNK characters. */
function* jsonReportChunks(
  version: string, packages: PackageReport[], findings: readonly Finding[],
  extra?: (f: Finding) => Record<string, unknown> | undefined, more?: Record<string, unknown>, counted: readonly Finding[] = findings,
): Generator<string> {
  let buf = `{\n  "schemaVersion": ${SCHEMA_VERSION},\n  "tool": ${JSON.stringify({ name: 'go-escape-lens', version })},\n`
    + `  "packages": ${JSON.stringify(packages)},\n  "findings": [`;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const add = extra?.(f);
    buf += (i === 0 ? '\n    ' : ',\n    ') + JSON.stringify(add ? { ...f, ...add } : f);
    if (buf.length > CHUNK) { yield buf; buf = ''; }
  }
  buf += `${findings.length ? '\n  ' : ''}],\n`;
  for (const [k, v] of Object.entries(more ?? {})) buf += `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`;
  buf += `  "summary": ${JSON.stringify(summarize(counted))}\n}\n`;
  yield buf;
}
