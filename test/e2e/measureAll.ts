// Issue 24 in the real VS Code: "measure allocations of all benchmarks" on a package with a table-driven
// benchmark gives each leaf its own figures, shown on the b.Run call that makes them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openFile, shot, until } from './workbench';

/** A package (of the workspace's module) with one table-driven benchmark: size=16 and size=1024. */
export function tableBenchmarkPackage(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'table.go'), 'package table\n\n// Sized allocates n bytes.\nfunc Sized(n int) []byte { return make([]byte, n) }\n');
  fs.writeFileSync(path.join(dir, 'table_test.go'), [
    'package table', '', 'import (', '\t"fmt"', '\t"testing"', ')', '', 'var sink []byte', '',
    '// BenchmarkTable: n bytes in one allocation per operation, for each size.',
    'func BenchmarkTable(b *testing.B) {',
    '\tfor _, n := range []int{16, 1024} {',
    '\t\tb.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {',
    '\t\t\tfor i := 0; i < b.N; i++ {', '\t\t\t\tsink = Sized(n)', '\t\t\t}', '\t\t})', '\t}', '}', '',
  ].join('\n'));
}

export async function measureAllTable(page: Page): Promise<void> {
  await openFile(page, 'table_test.go');
  const lens = (text: string | RegExp) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
  await until('the package lens', async () => (await lens(/^measure allocations of all benchmarks$/).count()) > 0, 90_000);
  await lens(/^measure allocations of all benchmarks$/).first().click();
  // Each leaf, named as go test names it, on the b.Run call; the benchmark says how many it holds.
  const leaves = lens(/size=16: 16 B\/op, 1 allocs\/op · size=1024: 1,024 B\/op, 1 allocs\/op/);
  await until('per-leaf figures on the b.Run call', async () => (await leaves.count()) > 0, 180_000);
  assert.equal(await lens(/^2 sub-benchmarks measured · measure again$/).count(), 1, 'the benchmark counts its leaves');
  console.log(`  measure all: ${(await leaves.first().innerText()).trim()}`);
  await shot(page, 'measure-all-table');
}
