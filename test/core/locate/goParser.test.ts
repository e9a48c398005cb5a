// The Go parser: go/parser of the machine's toolchain through the goast helper, shaped like tree-sitter-go.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { ensureHelper } from '../../../core/gohelper/goHelper';
import { GoParser, loadGoParser } from '../../../core/locate/goParser';
import { GoSource } from '../../../core/locate/goSource';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { SyntaxNode } from '../../../core/locate/syntaxTree';
import { GoNotFoundError } from '../../../core/run/runGo';
import { GOROOT, REPO, tempDir } from '../../helpers/goEnv';
import { SAMPLE } from '../../helpers/golden';
import { rangeText } from '../../helpers/text';

function goFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) { if (e.name !== 'testdata') goFiles(path.join(dir, e.name), out); }
    else if (e.name.endsWith('.go')) out.push(path.join(dir, e.name));
  }
  return out;
}

describe('Go parser (go/parser of the toolchain)', function () {
  this.timeout(600_000);
  let parser: GoParser;
  before(async () => { parser = await loadGoParser(); });

  it('parses every .go file under $GOROOT/src outside testdata without errors', async () => {
    const files = goFiles(path.join(GOROOT, 'src'));
    const t0 = performance.now();
    const bad: string[] = [];
    let nodes = 0;
    for (let i = 0; i < files.length; i += 200) {
      const batch = files.slice(i, i + 200);
      const trees = await parser.parseAll(batch.map((f) => fs.readFileSync(f, 'utf8')));
      trees.forEach((t, k) => {
        nodes += t.nodeCount;
        const errorNodes = t.rootNode.descendantsOfType('ERROR').length;
        if (t.errors.length > 0 || errorNodes > 0) bad.push(`${batch[k]}: ${t.errors[0] ?? `${errorNodes} ERROR nodes`}`);
      });
    }
    const ms = performance.now() - t0;
    console.log(`      $GOROOT/src: ${files.length} files, ${bad.length} with parse errors, ${nodes} nodes, ${(ms / 1000).toFixed(1)} s`);
    assert.ok(files.length > 1000);
    assert.deepEqual(bad, []);
  });

  it('walks children and siblings as the parent links say, on real files (links derived from the pre-order)', async () => {
    const files = [...goFiles(path.join(GOROOT, 'src', 'net', 'http')).filter((f) => !f.includes(`${path.sep}internal${path.sep}`)).slice(0, 40),
      path.join(GOROOT, 'src', 'runtime', 'proc.go')];
    const trees = await parser.parseAll(files.map((f) => fs.readFileSync(f, 'utf8')));
    let checked = 0;
    trees.forEach((t, n) => {
      // The children of each node from the parent links alone, in index (pre-order) order.
      const kids: number[][] = Array.from({ length: t.nodeCount }, () => []);
      for (let k = 1; k < t.nodeCount; k++) kids[t.parentOf(k)].push(k);
      for (let i = 0; i < t.nodeCount; i++) {
        const walked: number[] = [];
        for (let k = t.firstChildOf(i); k >= 0; k = t.nextSiblingOf(k)) walked.push(k);
        assert.deepEqual(walked, kids[i], `${files[n]}: children of node ${i}`);
        assert.deepEqual(t.kids(i), kids[i]);
        kids[i].forEach((k, j) => assert.equal(t.prevSiblingOf(k), j === 0 ? -1 : kids[i][j - 1], `${files[n]}: before node ${k}`));
      }
      assert.equal(t.nextSiblingOf(0), -1);
      assert.equal(t.prevSiblingOf(0), -1);
      checked += t.nodeCount;
    });
    assert.ok(checked > 100_000, `${checked} nodes`);
  });

  const text = [
    'package p',                                  // 0
    '',                                           // 1
    'import (',                                   // 2
    '\tx "strings"',                              // 3
    '\t"iter"',                                   // 4
    ')',                                          // 5
    '',                                           // 6
    '// Set is a generic alias.',                 // 7
    'type Set[T comparable] = map[T]struct{}',    // 8
    '',                                           // 9
    '// F doc.',                                  // 10
    'func F(seq iter.Seq[int]) *int {',           // 11
    '\ts := "😀日本"; p := new(len(s) + 1)',       // 12
    '\tfor v := range seq { *p += v }',           // 13
    '\treturn p',                                 // 14
    '}',                                          // 15
    'var _ = x.ToUpper',                          // 16
  ].join('\n');

  it('parses several files in one synchronous helper run exactly as one run each (parseAllSync)', () => {
    const shape = (t: ReturnType<GoParser['parseSync']>): string[] => {
      const out: string[] = [];
      for (let i = 0; i < t.nodeCount; i++) {
        const n = t.node(i);
        out.push(`${n.type}:${n.fieldName ?? ''}:${n.startIndex}-${n.endIndex}:${n.isNamed}`);
      }
      return out;
    };
    const dir = path.join(GOROOT, 'src', 'go', 'types');
    const texts = fs.readdirSync(dir).filter((f) => f.endsWith('.go')).slice(0, 25).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    texts.push(text, 'package p\nfunc f() { x := }\n', ''); // non-ASCII, a syntax error, an empty file
    const batch = parser.parseAllSync(texts);
    assert.equal(batch.length, texts.length);
    texts.forEach((t, i) => {
      const one = parser.parseSync(t);
      assert.deepEqual(shape(batch[i]), shape(one));
      assert.deepEqual(batch[i].errors, one.errors);
    });
    // The classifier's use: the sources lacking a tree get one, from one run.
    const sources = texts.slice(0, 3).map((t, i) => new GoSource(`/x/${i}.go`, t, parser));
    GoSource.loadAllSync(sources);
    assert.ok(sources.every((s) => s.hasTree));
  });

  it('gives tree-sitter-go node types, fields, tokens and comments', () => {
    const t = parser.parseSync(text);
    assert.deepEqual(t.errors, []);
    const root = t.rootNode;
    assert.equal(root.type, 'source_file');
    const alias = root.descendantsOfType('type_alias')[0];
    assert.equal(alias.childForFieldName('name')?.text, 'Set');
    assert.equal(alias.childForFieldName('type_parameters')?.type, 'type_parameter_list');
    assert.equal(alias.childForFieldName('type')?.type, 'map_type');
    const spec = root.descendantsOfType('import_spec')[0];
    assert.equal(spec.childForFieldName('name')?.type, 'package_identifier');
    assert.equal(spec.childForFieldName('path')?.text, '"strings"');
    const fn = root.namedChildren.find((n) => n.type === 'function_declaration')!;
    // Doc comments are siblings of what they document (quick fixes walk previousSibling over them).
    assert.equal(fn.previousSibling?.type, 'comment');
    assert.equal(fn.previousSibling?.text, '// F doc.');
    const param = fn.childForFieldName('parameters')!.namedChildren[0];
    assert.equal(param.type, 'parameter_declaration');
    assert.deepEqual(param.childrenForFieldName('name').map((n) => n.text), ['seq']);
    assert.equal(param.childForFieldName('type')?.type, 'generic_type');
    // new(expr): a call whose argument is an expression; the operator an anonymous token under `operator`.
    const call = root.descendantsOfType('call_expression').find((c) => c.childForFieldName('function')?.text === 'new')!;
    assert.equal(call.text, 'new(len(s) + 1)');
    const bin = call.childForFieldName('arguments')!.namedChildren[0];
    assert.equal(bin.type, 'binary_expression');
    const op = bin.childForFieldName('operator')!;
    assert.equal(op.text, '+');
    assert.equal(op.isNamed, false);
    // Offsets are UTF-16 code units of the text (the emoji counts 2) and rows are lines.
    assert.equal(call.startIndex, text.indexOf('new('));
    assert.equal(call.startPosition.row, 12);
    const range = root.descendantsOfType('range_clause')[0];
    assert.equal(range.childForFieldName('left')?.namedChildren[0].text, 'v');
    assert.equal(range.parent?.type, 'for_statement');
    const sv = root.descendantsOfType('short_var_declaration');
    assert.deepEqual(sv.map((d) => d.childForFieldName('left')?.text), ['s', 'p']);
    const sel = root.descendantsOfType('selector_expression').at(-1)!;
    assert.equal(sel.childForFieldName('operand')?.type, 'identifier');
    assert.equal(sel.childForFieldName('field')?.type, 'field_identifier');
    // The smallest node at a point, punctuation included (the compiler points at `(`, `{`, `&`, `.`).
    const paren = root.descendantForIndex(text.indexOf('(len'));
    assert.equal(paren.type, '(');
    assert.equal(paren.parent?.type, 'argument_list');
    const unary: SyntaxNode = root.descendantForIndex(text.indexOf('*p +='));
    assert.equal(unary.parent?.type, 'unary_expression');
    assert.equal(unary.parent?.parent?.type, 'expression_list');
    assert.equal(unary.parent?.parent?.parent?.type, 'assignment_statement');
  });

  it('reports syntax errors instead of failing', () => {
    const t = parser.parseSync('package p\nfunc f() { x := }\n');
    assert.ok(t.errors.length > 0);
    assert.equal(t.rootNode.type, 'source_file');
  });

  it('locates the findings of new(expr), generic aliases and range-over-func exactly', async () => {
    const dir = path.join(SAMPLE, 'modern');
    const r = await analyzePackage({ dir, sources: new SourceCache(parser) });
    assert.deepEqual(r.errors, []);
    const got = r.findings.map((f) => [f.message, rangeText(f), f.exact]);
    assert.deepEqual(got, [
      ['moved to heap: .autotmp_2', 'new(base() + 1)', true],
      ['append escapes to heap', 'append(ints, p)', true],
      ['leaking param content: words', 'words', true],
      ['map[string]struct {}{} escapes to heap', 'Set[string]{}', true],
      ['func literal escapes to heap', 'func(yield func(int) bool)', true],
      ['moved to heap: x', 'x', true],
      ['append escapes to heap', 'append(ints, &x)', true],
    ]);
  });

  it('fails with "go not found" when the go command is missing, never with a crash', async () => {
    const missing = path.join(tempDir(), 'no-such-go');
    const p = new GoParser({ goCommand: missing });
    await assert.rejects(p.ready(), GoNotFoundError);
    assert.throws(() => new GoSource('/x/p.go', 'package p\n', p).tree, GoNotFoundError);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'escape.go'), 'package p\n\nfunc f() *int { x := 1; return &x }\n');
    fs.writeFileSync(path.join(dir, 'm2.txt'), './escape.go:3:17: moved to heap: x\n');
    const cli = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--go', missing, '--input', path.join(dir, 'm2.txt'), '--cwd', dir], { encoding: 'utf8' });
    assert.equal(cli.status, 4, cli.stderr);
    assert.match(cli.stderr, /was not found/);
  });

  it('builds the helper once per toolchain into the cache, whatever GOFLAGS, go.work or GOOS the user set', async () => {
    const cache = tempDir();
    const saved = process.env.XDG_CACHE_HOME;
    // The go build cache's default location follows XDG_CACHE_HOME too: keep the warm one.
    const gocache = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();
    process.env.XDG_CACHE_HOME = cache;
    try {
      const env = { GOFLAGS: '-mod=vendor -race', GOWORK: path.join(cache, 'missing.work'), GOOS: 'plan9', GOCACHE: gocache };
      // Two concurrent builds into one cache: each writes a temp name and renames, so both see one good binary.
      const [a, b] = await Promise.all([ensureHelper({ env }), ensureHelper({ env })]);
      assert.equal(a, b);
      assert.equal(path.dirname(a), path.join(cache, 'go-escape-lens'));
      assert.deepEqual(fs.readdirSync(path.dirname(a)), [path.basename(a)]);
      const t0 = performance.now();
      assert.equal(await ensureHelper({ env }), a);
      console.log(`      helper cached: ${path.basename(a)}; found again in ${(performance.now() - t0).toFixed(0)} ms (go env)`);
      const tree = new GoParser({ env }).parseSync('package p\nvar x = new(1)\n');
      assert.deepEqual(tree.errors, []);
      // A cache cleaned while the server runs: the next helper start builds it again.
      const p = new GoParser({ env });
      await p.parse('package p\n');
      p.close();
      fs.rmSync(a);
      assert.deepEqual((await p.parse('package p\nvar y = new(2)\n')).errors, []);
      p.close();
      assert.ok(fs.existsSync(a));
      if (process.platform === 'linux') {
        // The CLI's long-lived helper (this cache's binary, so no other test's) ends when the CLI does.
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, 'escape.go'), 'package p\n\nfunc f() *int { x := 1; return &x }\n');
        fs.writeFileSync(path.join(dir, 'm2.txt'), './escape.go:3:17: moved to heap: x\n');
        const cli = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', '--input', path.join(dir, 'm2.txt'), '--cwd', dir],
          { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, GOCACHE: gocache } });
        assert.equal(cli.status, 0, cli.stderr);
        assert.equal(JSON.parse(cli.stdout).findings[0].exact, true);
        const running = () => fs.readdirSync('/proc').filter((p) => {
          try { return /^\d+$/.test(p) && fs.readlinkSync(`/proc/${p}/exe`) === a; } catch { return false; }
        });
        // A terminated process may take a moment to disappear from /proc.
        for (let i = 0; i < 20 && running().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(running(), []);
      }
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME; else process.env.XDG_CACHE_HOME = saved;
    }
  });
});
