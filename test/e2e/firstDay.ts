/// <reference lib="dom" />
// Issue 27, a new user's first day in a real VS Code: a fresh single-package module (go.mod beside the
// file), a fresh profile. Each step has a screenshot (test-results/e2e/first-day-*.png) and an assertion
// on what it shows.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { decorationOnLine, openFile, openWorkbench, runCommand, shot, statusText, until } from './workbench';

const COUNT_GO = `package firstday

import "fmt"

// Point is a small value.
type Point struct{ X, Y int }

// NewPoint returns a pointer: the point moves to the heap.
func NewPoint(x, y int) *Point { return &Point{X: x, Y: y} }

// Count formats n: fmt.Sprint boxes it.
func Count(n int) string { return fmt.Sprint(n) }
`;

const COUNT_TEST_GO = `package firstday

import "testing"

var sink any

func BenchmarkCount(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = Count(i + 1000)
	}
}
`;

/** The graph webview fits its pane: every text inside its node, the allocation in view, fitted to the width. */
export async function checkGraph(view: FrameLocator, what: string): Promise<void> {
  const facts = await view.locator('body').evaluate((body) => {
    const graph = body.querySelector('#graph') as HTMLElement;
    const pane = graph.getBoundingClientRect();
    const svg = body.querySelector('#graph svg') as SVGSVGElement;
    const overflow: string[] = [];
    for (const node of body.querySelectorAll('.node')) {
      const shape = (node.querySelector('rect, ellipse') as SVGGraphicsElement).getBoundingClientRect();
      for (const t of node.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.left < shape.left - 1 || r.right > shape.right + 1 || r.top < shape.top - 1 || r.bottom > shape.bottom + 1) overflow.push(t.textContent ?? '');
      }
    }
    const a = body.querySelector('.node.kind-allocation')!.getBoundingClientRect();
    return {
      overflow, scale: Number(body.dataset.scale), svgWidth: svg.getBoundingClientRect().width, paneWidth: pane.width,
      allocationInView: a.left >= pane.left - 1 && a.right <= pane.right + 1 && a.top >= 0 && a.bottom <= window.innerHeight,
    };
  });
  assert.deepEqual(facts.overflow, [], `${what}: every text inside its node`);
  assert.ok(facts.allocationInView, `${what}: the allocation node is in view`);
  assert.ok(facts.scale > 0 && facts.scale <= 1, `${what}: scale ${facts.scale}`);
  assert.ok(facts.svgWidth <= facts.paneWidth + 1 || facts.scale === 0.55, `${what}: fitted to the pane's width (${facts.svgWidth} in ${facts.paneWidth}) unless at the smallest readable scale`);
  console.log(`  graph (${what}): fitted at scale ${facts.scale}, ${facts.svgWidth.toFixed(0)} px in a ${facts.paneWidth.toFixed(0)} px pane, allocation in view, text inside every node`);
}

function freshModule(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/firstday\n\ngo 1.24\n');
  fs.writeFileSync(path.join(dir, 'count.go'), COUNT_GO);
  fs.writeFileSync(path.join(dir, 'count_test.go'), COUNT_TEST_GO);
}

async function toast(page: Page, text: string | RegExp, ms = 30_000): Promise<string> {
  const t = page.locator('.notification-toast', { hasText: text });
  await until(`notification "${text}"`, async () => (await t.count()) > 0, ms);
  return (await t.first().innerText()).trim();
}

async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  await page.keyboard.press('Escape');
}

export async function firstDay(browser: Browser, entry: string, ext: string, tmp: string, servers: ChildProcess[], current: (p: Page) => void): Promise<void> {
  const ws = path.join(tmp, 'first-day');
  freshModule(ws);
  const ud = path.join(tmp, 'user-data-first-day');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false,
    'editor.hover.delay': 200, 'extensions.ignoreRecommendations': true,
    // The policy is typed in as a whole: no closing bracket or quote added behind it.
    'editor.autoClosingBrackets': 'never', 'editor.autoClosingQuotes': 'never',
  }));
  const page = await openWorkbench(browser, entry, ud, ext, ws, true, servers);
  current(page);

  // 1. The walkthrough's buttons before any Go file is open: a clear message, not nothing.
  await runCommand(page, 'Welcome: Open Walkthrough');
  const ours = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Go Escape Lens' }).first();
  await until('our walkthrough in the list', async () => (await ours.count()) > 0);
  await ours.click();
  const step = page.locator('.getting-started-step', { hasText: 'What the squiggles mean' }).first();
  await until('the first step', async () => (await step.count()) > 0, 30_000);
  await step.click();
  const stepText = await page.locator('.getting-started-step.expanded').first().innerText();
  assert.match(stepText, /click it for the Escapes view/, 'the status bar opens the Escapes view, as the step says');
  await page.locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a', { hasText: 'Re-analyse Package' }).first().click();
  const message = await toast(page, 'open one first');
  assert.match(message, /Go Escape Lens re-analyses the package of a Go file: open one first/);
  await shot(page, 'first-day-1-walkthrough-no-go-file');
  await clearNotifications(page);
  console.log(`  first day 1: walkthrough without a Go file: "${/Go Escape Lens re-analyses[^\n]*/.exec(message)?.[0]}"`);

  // 2. Open the file (the package is the module root) and save: one squiggle per allocation, said in the singular where it is one.
  await openFile(page, 'count.go');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+S');
  await until('count.go analysed', async () => /2 heap escapes in this file/.test(await statusText(page)), 90_000);
  assert.ok(await decorationOnLine(page, '.monaco-editor .squiggly-info', 'return &Point{'), 'a squiggle under &Point{...}');
  assert.ok(await decorationOnLine(page, '.monaco-editor .squiggly-info', 'return fmt.Sprint(n)'), 'a squiggle on fmt.Sprint(n)');
  await page.locator('.statusbar-item', { hasText: 'heap escape' }).first().hover();
  const tip = page.locator('.monaco-hover:visible, .custom-hover:visible', { hasText: 'Problems panel' });
  await until('the status bar tooltip', async () => (await tip.count()) > 0, 15_000);
  const tipText = await tip.first().innerText();
  assert.match(tipText, /2 heap escapes in this file: the allocations worth acting on/);
  assert.match(tipText, /The Escapes view lists all \d+ findings? of this file/);
  assert.doesNotMatch(tipText, /\b1 (squiggles|findings|hints)\b/);
  await shot(page, 'first-day-2-saved');
  await page.mouse.move(5, 5);
  console.log(`  first day 2: ${await statusText(page)}; tooltip says what each count holds`);

  // 3. Hover: the server's explanation arrives in the first hover.
  const point = (await decorationOnLine(page, '.monaco-editor .squiggly-info', 'return &Point{'))!;
  await page.mouse.move(point.x + point.w / 2, point.y + point.h / 2);
  const hover = page.locator('.monaco-hover:visible', { hasText: 'What helps' });
  await until('the hover', async () => (await hover.count()) > 0, 30_000);
  const hoverText = await hover.first().innerText();
  assert.match(hoverText, /returned to the caller/);
  assert.doesNotMatch(hoverText, /hover again/);
  await page.waitForTimeout(600);
  await shot(page, 'first-day-3-hover');
  await page.mouse.move(5, 5);

  // 4. The quick fix, although the package is the module root (issue 27 item 1).
  const sprint = (await decorationOnLine(page, '.monaco-editor .squiggly-info', 'return fmt.Sprint(n)'))!;
  await page.mouse.click(sprint.x + 2, sprint.y + sprint.h / 2);
  const fix = page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row', { hasText: 'Use strconv.Itoa(n)' }).first();
  await until('the strconv quick fix', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    await page.waitForTimeout(1500);
    return (await fix.count()) > 0;
  }, 90_000);
  assert.match(await fix.innerText(), /Use strconv\.Itoa\(n\) — removes 1 heap allocation/);
  await shot(page, 'first-day-4-quick-fix');
  // The menu focuses the preferred action (the verified fix); accept it as a user would.
  assert.match(await page.locator('.action-widget .focused, .action-widget [aria-selected="true"]').first().innerText(), /Use strconv\.Itoa\(n\)/);
  await page.keyboard.press('Enter');
  await until('edit applied', async () => (await page.locator('.monaco-editor .view-line', { hasText: 'strconv.Itoa(n)' }).count()) > 0);
  await page.keyboard.press('Control+S');
  await until('the fix applied and analysed', async () => /1 heap escape in this file/.test(await statusText(page)), 90_000);
  assert.match(fs.readFileSync(path.join(ws, 'count.go'), 'utf8'), /return strconv\.Itoa\(n\)/);
  await shot(page, 'first-day-4-fixed');
  console.log(`  first day 4: "Use strconv.Itoa(n)" applied at the module root; ${await statusText(page)}`);

  // 5. The Escapes view: its title once, its count said for what it is.
  await page.locator('.statusbar-item', { hasText: 'heap escape' }).first().click();
  const fileRow = page.locator('.part.sidebar .monaco-list-row', { hasText: /count\.go\s*\d+ findings?/ }).first();
  await until('the Escapes view lists count.go', async () => (await fileRow.count()) > 0, 60_000);
  const title = (await page.locator('.part.sidebar .composite.title').first().innerText()).trim();
  const rowTip = page.locator('.monaco-hover:visible, .custom-hover:visible', { hasText: 'the squiggles the status bar counts' });
  // The view refreshes when an analysis lands (the hover goes with the row it was on): hover until it shows.
  await until('the file row says what it counts', async () => {
    await page.mouse.move(5, 5);
    await fileRow.hover();
    await page.waitForTimeout(2000);
    return (await rowTip.count()) > 0;
  }, 30_000);
  assert.equal(title.split('\n')[0].toUpperCase(), 'GO ESCAPES', `the view title once: ${title}`);
  await shot(page, 'first-day-5-escapes-view');
  console.log(`  first day 5: Escapes view titled "${title.split('\n')[0]}"`);

  // 6. The graph of &Point{...}: a progress bar while it computes, then fitted.
  await page.locator('.tab', { hasText: /^count\.go/ }).first().click();
  const again = (await decorationOnLine(page, '.monaco-editor .squiggly-info', 'return &Point{'))!;
  await page.mouse.click(again.x + again.w / 2, again.y + again.h / 2);
  await runCommand(page, 'Go Escape Lens: Show Escape Path as Graph');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await until('graph drawn', async () => (await view.locator('.node.kind-allocation').count()) > 0, 60_000);
  await checkGraph(view, 'first day');
  await shot(page, 'first-day-6-graph');
  await runCommand(page, 'View: Close All Editor Groups');
  await until('graph closed', async () => (await page.locator('.tab', { hasText: 'Escape path' }).count()) === 0, 10_000);

  // 7. Show Escape Path from the command palette, at the cursor.
  await openFile(page, 'count.go');
  const onPoint = (await until('squiggle again', () => decorationOnLine(page, '.monaco-editor .squiggly-info', 'return &Point{'), 30_000));
  await page.mouse.click(onPoint.x + onPoint.w / 2, onPoint.y + onPoint.h / 2);
  await runCommand(page, 'Go Escape Lens: Show Escape Path');
  await until('the path peeked', async () => (await page.locator('.peekview-widget').count()) > 0, 30_000);
  await shot(page, 'first-day-7-show-escape-path');
  await page.keyboard.press('Escape');

  // 8. Measure the benchmark: a cancellable progress notification, then the figures in the lens.
  await openFile(page, 'count_test.go');
  const lens = (text: string | RegExp) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
  await until('measure lens', async () => (await lens(/^measure allocations$/).count()) > 0, 90_000);
  await lens(/^measure allocations$/).first().click();
  const progress = await toast(page, /Measuring BenchmarkCount/, 60_000);
  const cancellable = await page.locator('.notification-toast', { hasText: /Measuring BenchmarkCount/ }).first().locator('.codicon-notifications-clear, a[aria-label*="Cancel"], .monaco-button', { hasText: /Cancel/ }).count()
    + await page.locator('.notification-toast', { hasText: /Measuring BenchmarkCount/ }).first().locator('[aria-label*="Cancel"]').count();
  assert.ok(cancellable > 0, `a Cancel button on "${progress}"`);
  await shot(page, 'first-day-8-measuring');
  await until('measured', async () => (await lens(/BenchmarkCount: [\d,.]+ B\/op/).count()) > 0, 180_000);
  console.log(`  first day 8: "${/Go Escape Lens: Measuring[^\n]*/.exec(progress)?.[0]}" (cancellable), then ${(await lens(/BenchmarkCount:/).first().innerText()).trim()}`);
  await shot(page, 'first-day-8-measured');

  // 9. Break the build: the last good findings stay, told apart (dots, "stale"); fix it: squiggles again.
  await page.locator('.tab', { hasText: /^count\.go/ }).first().click();
  await page.locator('.monaco-editor .view-line', { hasText: 'func Count(n int)' }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('func Broken() int { return nope }');
  await page.keyboard.press('Control+S');
  await until('build failed', async () => /build failed/.test(await statusText(page)), 90_000);
  const stale = await until('the stale finding drawn as a hint', () => decorationOnLine(page, '.monaco-editor .squiggly-hint', 'return &Point{'), 30_000);
  assert.equal(await decorationOnLine(page, '.monaco-editor .squiggly-info', 'return &Point{'), undefined, 'not drawn as before');
  await page.mouse.move(stale.x + stale.w / 2, stale.y + stale.h / 2);
  const staleHover = page.locator('.monaco-hover:visible', { hasText: 'stale: last good build' });
  await until('the stale hover', async () => (await staleHover.count()) > 0, 30_000);
  assert.match(await staleHover.first().innerText(), /From the last successful build/);
  await shot(page, 'first-day-9-broken-build');
  await page.mouse.move(5, 5);
  await page.locator('.monaco-editor .view-line', { hasText: 'func Broken()' }).first().click();
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+S');
  await until('built again', async () => /1 heap escape in this file/.test(await statusText(page)), 90_000);
  await until('squiggle back', () => decorationOnLine(page, '.monaco-editor .squiggly-info', 'return &Point{'), 30_000);
  await shot(page, 'first-day-9-fixed-build');
  console.log('  first day 9: a broken build keeps the finding as a stale hint; fixed, a squiggle again');

  // 10. Edit the policy (.escapelens.json) and save it: the open package is analysed again, L1 is an error.
  fs.writeFileSync(path.join(ws, '.escapelens.json'), '{ "rules": [] }\n');
  await openFile(page, '.escapelens.json');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete'); // else the first "{" surrounds the selection
  await page.keyboard.insertText('{ "rules": [{ "tier": "L1", "action": "fail", "comment": "no returned pointers here" }] }\n');
  await page.keyboard.press('Control+S');
  await until('policy saved', async () => /"fail"/.test(fs.readFileSync(path.join(ws, '.escapelens.json'), 'utf8')));
  const saved = fs.readFileSync(path.join(ws, '.escapelens.json'), 'utf8');
  assert.deepEqual(JSON.parse(saved).rules[0], { tier: 'L1', action: 'fail', comment: 'no returned pointers here' }, saved);
  await page.locator('.tab', { hasText: /^count\.go/ }).first().click();
  await until('the policy applied without a Go save', () => decorationOnLine(page, '.monaco-editor .squiggly-error', 'return &Point{'), 60_000);
  await shot(page, 'first-day-10-policy');
  console.log('  first day 10: saving .escapelens.json made the returned pointer an error');

  // 11. Restart Server says so.
  await runCommand(page, 'Go Escape Lens: Restart Server');
  const restarted = await toast(page, 'server restarted', 60_000);
  await shot(page, 'first-day-11-restart');
  console.log(`  first day 11: "${/Go Escape Lens: server restarted[^\n]*/.exec(restarted)?.[0]}"`);
  await clearNotifications(page);

  // 12. The extension's page: the README, without developer instructions; its images need a public URL.
  await page.keyboard.press('Control+Shift+X');
  await until('the Extensions view', async () => (await page.locator('.extensions-viewlet').count()) > 0, 30_000);
  await page.waitForTimeout(1000); // the search box takes the focus
  await page.keyboard.type('@installed Go Escape Lens');
  const entryRow = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Go Escape Lens' }).first();
  await until('the extension listed', async () => (await entryRow.count()) > 0, 30_000);
  await entryRow.click();
  await page.mouse.move(700, 600);
  // The README is in a webview (an iframe at the workbench's level): the frame whose page holds "First use".
  const page12 = await until('the README rendered', async () => {
    for (const frame of page.frames()) {
      const facts = await frame.evaluate(() => ({
        text: document.body?.innerText ?? '',
        images: [...document.querySelectorAll('img')].map((i) => ({ src: i.getAttribute('src') ?? '', loaded: i.complete && i.naturalWidth > 0 })),
      })).catch(() => undefined);
      if (facts && /First use/.test(facts.text) && /Go Escape Lens/.test(facts.text)) return facts;
    }
    return undefined;
  }, 60_000);
  assert.doesNotMatch(page12.text, /npm ci|npm run|git clone/, 'no developer instructions on the extension page');
  assert.match(page12.text, /First use/);
  await shot(page, 'first-day-12-extension-page');
  // VS Code's extension page shows only https: (and data:) images. A local build has no repository to
  // point the README's relative pictures at (package.json's is a placeholder), so they cannot show here;
  // what can be checked is that each is in the package, for vsce to rewrite against a real repository.
  const installed = fs.readdirSync(ext).find((d) => d.startsWith('go-escape-lens.go-escape-lens-'))!;
  assert.ok(page12.images.length >= 1, 'the README has pictures');
  for (const img of page12.images) {
    const rel = /images\/[\w-]+\.png$/.exec(decodeURIComponent(img.src))?.[0];
    assert.ok(rel && fs.existsSync(path.join(ext, installed, rel)), `${img.src} is in the installed package`);
  }
  const loaded = page12.images.filter((i) => i.loaded).length;
  console.log(`  first day 12: extension page README, no developer instructions; images ${loaded}/${page12.images.length} shown (${page12.images.map((i) => i.src).join(', ')})`);
}
