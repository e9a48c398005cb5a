// Allocations per call of one function, measured with testing.AllocsPerRun through a test file that exists
// only in the go command's -overlay (nothing is written into the package). The proof for a rewrite the
// escape analysis cannot show: a preallocated slice still escapes, it only grows once.
//
// Conservative by design: only a plain function (no receiver, no type parameters, no variadic parameter)
// whose parameters are all built here without imports — slices of 64 zero elements, maps of 64 entries
// keyed by int or string, 64 for numbers, "x" for strings, the zero value of any other type of the package
// — is measured. Anything else (a parameter of another package's type, a function that panics on those
// inputs, tests that do not build) gives no number, and so no fix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SyntaxNode as Node } from '../locate/syntaxTree';
import type { GoSource } from '../locate/goSource';
import { makeTempDir, removeTempDir } from '../run/processes';
import { spawnTracked } from '../run/spawn';

export interface AllocsOptions {
  /** Where the go command runs: the package's directory, or a module that requires it (with `packages`). */
  dir: string;
  packages?: string[];
  goCommand?: string;
  env?: Record<string, string>;
  buildFlags?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

const HARNESS = 'zz_escapelens_allocs_test.go';
const TEST = 'TestEscapeLensAllocsPerCall';
const SIZE = 64;

/** The harness's text for function `fn` of `src`'s package, or undefined when its inputs cannot be built. */
export function allocsHarness(src: GoSource, fn: string): string | undefined {
  const root = src.tree.rootNode;
  const pkg = root.namedChildren.find((n) => n?.type === 'package_clause')?.namedChildren[0]?.text;
  const decl = root.namedChildren.find((n) => n?.type === 'function_declaration' && n.childForFieldName('name')?.text === fn);
  if (!pkg || !decl || decl.childForFieldName('type_parameters')) return undefined;
  const params = decl.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => !!p) ?? [];
  const args: string[] = [];
  const setup: string[] = [];
  for (const p of params) {
    if (p.type !== 'parameter_declaration') return undefined;
    const type = p.childForFieldName('type')?.text ?? '';
    const value = inputFor(type);
    if (!value) return undefined;
    for (let i = 0; i < Math.max(1, p.childrenForFieldName('name').length); i++) {
      setup.push(`\ta${args.length} := ${value}`);
      args.push(`a${args.length}`);
    }
  }
  // Called through a variable, so it is not inlined into the closure: its allocations are those its
  // callers see.
  return `package ${pkg}

import "testing"

var escapeLensAllocsTarget = ${fn}

func ${TEST}(t *testing.T) {
${setup.join('\n')}${setup.length ? '\n' : ''}\tn := testing.AllocsPerRun(50, func() { escapeLensAllocsTarget(${args.join(', ')}) })
\tt.Logf("escapelens-allocs %v", n)
}
`;
}

function inputFor(type: string): string | undefined {
  if (type.includes('.') || /\bfunc\b|\bchan\b|\binterface\b|\bstruct\b/.test(type)) return undefined;
  if (type.startsWith('[]')) return `make(${type}, ${SIZE})`;
  const m = /^map\[(int|string)\](.+)$/.exec(type);
  if (m) {
    const key = m[1] === 'int' ? 'i' : `string(rune('A' + i))`;
    return `func() ${type} {\n\t\tm := make(${type}, ${SIZE})\n\t\tfor i := 0; i < ${SIZE}; i++ {\n\t\t\tm[${key}] = *new(${m[2]})\n\t\t}\n\t\treturn m\n\t}()`;
  }
  if (/^u?int(8|16|32|64)?$|^uintptr$|^byte$|^rune$/.test(type)) return `${type}(${SIZE})`;
  if (type === 'string') return '"x"';
  if (/^[A-Za-z_]\w*$/.test(type) || /^\*?\[\d+\]/.test(type)) return `*new(${type})`;
  return undefined;
}

/**
 * Allocations per call of `fn` with the package's files as in `overlay`; undefined when it cannot be
 * measured (see the file's comment).
 */
export async function allocsPerCall(src: GoSource, fn: string, overlay: ReadonlyMap<string, string>, opts: AllocsOptions): Promise<number | undefined> {
  const harness = allocsHarness(src, fn);
  const harnessPath = path.join(path.dirname(src.path), HARNESS);
  if (!harness || fs.existsSync(harnessPath)) return undefined;
  const tmp = makeTempDir();
  try {
    const replace: Record<string, string> = {};
    let i = 0;
    for (const [file, text] of [...overlay, [harnessPath, harness] as const]) {
      const p = path.join(tmp, `${i++}-${path.basename(file)}`);
      fs.writeFileSync(p, text);
      replace[file] = p;
    }
    const overlayFile = path.join(tmp, 'overlay.json');
    fs.writeFileSync(overlayFile, JSON.stringify({ Replace: replace }));
    const r = await spawnTracked(opts.goCommand || 'go', ['test', `-overlay=${overlayFile}`, ...(opts.buildFlags ?? []),
      '-run', `^${TEST}$`, '-count=1', '-v', opts.packages?.[0] ?? '.'], {
      cwd: opts.dir, env: opts.env, all: true, timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal, what: 'go test',
    });
    const m = /escapelens-allocs (\d+(?:\.\d+)?)/.exec(r.all);
    return r.exitCode === 0 && m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    removeTempDir(tmp);
  }
}
