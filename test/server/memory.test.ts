// The server on a big package: V8 collects its old generation only once it has grown by a factor of what
// survived the last collection, so an analysis' garbage (hundreds of MB on a big package) would stay
// resident beside the last result (kept for hovers) until the next analysis. The server parses the
// compiler's output as it comes (never keeping it whole), collects within an analysis when the result it
// keeps is big and its heap has grown well past it, and once after publishing a big result
// (server/engine/memory.ts): its log says what the heap was at each phase and around each collection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../helpers/lspClient';
import { tempDir } from '../helpers/goEnv';
import { generatePackage } from '../../bench/generate';
import { SERVER_ENV } from '../../server/launch';

/** Heap used (MB) at each phase of a published analysis, and before each full collection, from the server's log. */
function heapFigures(logs: readonly string[]): number[] {
  const out: number[] = [];
  for (const l of logs) {
    const phases = / heap MB at (.*)$/.exec(l);
    if (phases) for (const m of phases[1].matchAll(/(\d+)\/\d+/g)) out.push(Number(m[1]));
    const gc = / full collection \d+ ms \([^)]*\): heap (\d+) → /.exec(l);
    if (gc) out.push(Number(gc[1]));
  }
  return out;
}

function peakRssMB(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

describe('language server memory after a big analysis', function () {
  this.timeout(300_000);
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('keeps the heap bounded while a save of a 600k-line package is analysed beside the last result, and collects after publishing', async () => {
    // The scale benchmark's biggest package (7,300 functions, ~600k lines of -m=2 output, 87,600 findings).
    const dir = path.join(tempDir('gel-bigpkg-'), 'generated');
    generatePackage(dir, 7300);
    // Started as the VS Code client starts it (server/launch.ts).
    c = await LspClient.start(() => ({ quickFixes: false }), {}, undefined, {}, { env: { ...SERVER_ENV } });
    const file = path.join(dir, 'generated.go');
    const uri = c.open(file);
    await c.settled(file);
    const text = fs.readFileSync(file, 'utf8');
    const source = text.split('\n');
    const at = source.indexOf('\tt := &T{A: n, S: s}'); // F0's first allocation
    // Hovers all through the save and for a second after its diagnostics: the full collection after
    // publishing waits for a pause in them (a pause of its own they would wait for).
    let hovering = true;
    const hovers = (async () => {
      while (hovering) {
        await c!.hover(file, at, source[at].indexOf('&'));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // A save with new content: a second analysis while the first one's result is kept for hovers.
    const before = c.publishCount.get(uri) ?? 0;
    c.save(file, `${text}\n// saved\n`);
    await c.waitFor(() => (c!.publishCount.get(uri) ?? 0) > before, 'the diagnostics of the save');
    await new Promise((r) => setTimeout(r, 1000));
    const hoversEnd = c.logs.length;
    hovering = false;
    await hovers;
    const published = () => c!.logs.filter((l) => / published \d+ ms after go exited/.test(l));
    await c.waitFor(() => published().length === 2, 'the log of the second publish');
    // What the heap held at the second publish (`published USED/TOTAL`): above the threshold (100 MB), so one
    // full collection follows. The result the hovers read stays (~118–140 MB for this package); the analysis'
    // garbage goes.
    const used = Number(/, published (\d+)\/\d+$/.exec(published()[1])?.[1]);
    assert.ok(used >= 100, published()[1]);
    const after = c.logs.indexOf(published()[1]);
    const collected = () => c!.logs.slice(after).find((l) => / full collection \d+ ms \(published\): heap \d+ → \d+\/\d+ MB$/.test(l));
    const line = await c.waitFor(collected, 'the full collection after publishing', 30_000)
      .catch((e: Error) => { throw new Error(`${e.message}; the server's log:\n${c!.logs.join('\n').slice(-3000)}`); });
    assert.ok(c.logs.indexOf(line) >= hoversEnd, `collected while hovers kept coming: ${line}`);
    const [, heapBefore, heapAfter] = /heap (\d+) → (\d+)\//.exec(line)!.map(Number);
    assert.ok(heapAfter < heapBefore && heapAfter <= 160, line);
    // Bounded heap: before these changes it reached 530–550 MB at the second publish (the compiler's output
    // as one string, the parser's indexes, both results and the analysis' garbage); now 230–260 MB.
    const heap = heapFigures(c.logs);
    assert.ok(heap.length >= 8, c.logs.join('\n'));
    assert.ok(Math.max(...heap) <= 320, `heap MB over the two analyses: ${heap.join(', ')}\n${c.logs.join('\n')}`);
    // The process' peak (VmHWM, Linux): 0.73–0.86 GB before, 385–395 MB now; the bound leaves room for a busy machine.
    if (process.platform === 'linux') assert.ok(peakRssMB(c.proc.pid!) <= 480, `peak RSS ${peakRssMB(c.proc.pid!).toFixed(0)} MB`);
    assert.ok((c.diagnostics.get(uri) ?? []).length > 0);
    const hover = await c.hover(file, at, source[at].indexOf('&'));
    assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /heap/, 'a hover after the collections');
  });
});
