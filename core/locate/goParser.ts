// Loads tree-sitter's Go grammar (WebAssembly) once per process. Offsets it reports are UTF-16 code
// units of the JS string it parsed, the same units as LSP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

/** Finds a wasm file next to the bundle (dist/) or, when running from source, in node_modules. */
function wasmPath(file: string, pkgPath: string): string {
  const bundled = path.join(__dirname, file);
  if (fs.existsSync(bundled)) return bundled;
  return require.resolve(pkgPath);
}

export function loadGoParser(): Promise<Parser> {
  loading ??= (async () => {
    const runtime = wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    const go = await Language.load(wasmPath('tree-sitter-go.wasm', 'tree-sitter-wasms/out/tree-sitter-go.wasm'));
    const parser = new Parser();
    parser.setLanguage(go);
    return parser;
  })();
  return loading;
}

export function parseGo(parser: Parser, text: string): Tree {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
