// `go list -export -test` compiles a package twice when it has in-package tests: as itself (`# p`) and as
// the variant its tests are compiled into (`# p [p.test]`), the one a test binary uses. `go test -c`
// compiles only the variant, so the plain section is an echo of the same files: left out, each finding
// and each compile error is reported once, as before.

/** The output without the sections of packages that also have a test variant's section. */
export function withoutShadowedSections(output: string): string {
  const lines = output.split('\n');
  const variants = new Set<string>();
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m && m[2] !== undefined) variants.add(m[1]);
  }
  if (variants.size === 0) return output;
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) dropping = m[2] === undefined && variants.has(m[1]);
    if (!dropping) kept.push(line);
  }
  return kept.join('\n');
}

/** `# importpath` or `# importpath [variant.test]`. */
const HEADER = /^# (\S+)( \[.*\])?$/;
