/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The product in a real VS Code: the packaged .vsix installed into code-server (VS Code's own workbench),
// driven by headless Chromium through Playwright. Opens a fixture, saves, waits for the squiggles,
// hovers one and checks the text; screenshots go to test-results/e2e/ (and, with --update-images, to images/).
import * as assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { fakeToolchainProxy } from '../helpers/toolchain';
import { checkGraph, firstDay } from './firstDay';
import { measureAllTable, tableBenchmarkPackage } from './measureAll';
import { OUT, REPO, UPDATE_IMAGES, openFile, openWorkbench, shot, until } from './workbench';

/**
 * Issue 10 in the installed extension: the hover's "About <cause>" link opens a file the package really
 * holds (docs/causes.md), and "Toggle Non-Escaping Hints" writes user settings, never
 * .vscode/settings.json in the workspace.
 */
async function hardeningSteps(page: Page, ext: string, ws: string, ud: string): Promise<void> {
  // returned.go is still open from the first step (quick open would also match returned/escapes.golden).
  await page.locator('.tab', { hasText: /^returned\.go/ }).first().click();
  await until('returned.go active', async () => (await page.locator('.tab.active').first().innerText()).includes('returned.go'));
  const squiggle = page.locator('.monaco-editor .squiggly-info').first();
  await until('squiggles in returned.go', async () => (await squiggle.count()) > 0, 60_000);
  const box = (await squiggle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // The hover's cause link (it was "About <cause>"; now the cause id): it points at #cause-<id>.
  const about = page.locator('.monaco-hover:visible a[data-href*="#cause-"], .monaco-hover:visible a[href*="#cause-"]').first();
  await until('hover with a cause link', async () => (await about.count()) > 0, 30_000);
  const url = (await about.getAttribute('data-href')) ?? (await about.getAttribute('href'))!;
  const target = decodeURIComponent(new URL(url).pathname);
  assert.ok(target.startsWith(ext + path.sep), `${target} is inside the installed extension ${ext}`);
  assert.ok(fs.existsSync(target), `the About link's target ${target} exists in the installed extension`);
  assert.ok(fs.readFileSync(target, 'utf8').includes(`<a id="${new URL(url).hash.slice(1)}"></a>`), 'its anchor is there');
  await about.click();
  const tab = page.locator('.tab', { hasText: path.basename(target) });
  await until('the About link opens the causes page', async () => (await tab.count()) > 0, 30_000);
  console.log(`  cause link: ${path.relative(ext, target)}${new URL(url).hash} opens`);
  await page.keyboard.press('Control+W');

  const user = path.join(ud, 'User', 'settings.json');
  // On, then off again (the steps after this one expect the default).
  for (const state of [true, false]) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('Go Escape Lens: Toggle Non-Escaping Hints');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Toggle Non-Escaping Hints' }).first();
    await until('the command is listed', async () => (await row.count()) > 0);
    await page.keyboard.press('Enter');
    const note = page.locator('.notification-toast', { hasText: `Non-escaping hints ${state ? 'on' : 'off'} (in your user settings).` });
    await until('the toggle says where it wrote', async () => (await note.count()) > 0, 30_000);
    await until('user settings updated', async () => new RegExp(`"goEscapeLens\\.showNonEscaping":\\s*${state}`).test(fs.readFileSync(user, 'utf8')));
    const written = fs.readdirSync(ws, { recursive: true }).map(String).filter((f) => f.split(path.sep).includes('.vscode'));
    assert.deepEqual(written, [], 'nothing written into the workspace');
  }
  console.log('  Toggle Non-Escaping Hints: user settings (on, then off), no .vscode/ in the workspace');
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  if (UPDATE_IMAGES) fs.mkdirSync(path.join(REPO, 'images'), { recursive: true });
  const setup = spawnSync('bash', [path.join(REPO, 'test/e2e/setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  assert.equal(setup.status, 0, 'e2e setup failed');
  const entry = setup.stdout.trim().split('\n').pop()!;

  const vsix = path.join(REPO, 'dist', 'go-escape-lens.vsix');
  assert.ok(fs.existsSync(vsix), 'run npm run package first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-e2e-'));
  const ud = path.join(tmp, 'user-data');
  const ext = path.join(tmp, 'extensions');
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(path.join(REPO, 'fixtures', 'sample'), ws, { recursive: true });
  fs.cpSync(path.join(REPO, 'fixtures', 'fixes'), path.join(ws, 'fixes'), { recursive: true });
  fs.cpSync(path.join(REPO, 'fixtures', 'deep'), path.join(ws, 'deep'), { recursive: true });
  fs.cpSync(path.join(REPO, 'fixtures', 'signal'), path.join(ws, 'signal'), { recursive: true });
  profiledWorkspaceModule(path.join(ws, 'prof'));
  fs.cpSync(path.join(REPO, 'fixtures', 'measure'), path.join(ws, 'measure'), { recursive: true });
  fs.cpSync(path.join(REPO, 'fixtures', 'contracts'), path.join(ws, 'contracts'), { recursive: true });
  tableBenchmarkPackage(path.join(ws, 'table'));
  // A package whose go.mod asks for a toolchain the go command must download first (from a local proxy).
  const toolchain = fakeToolchainProxy('go1.99.4', 4);
  fs.mkdirSync(path.join(ws, 'toolchain'));
  fs.writeFileSync(path.join(ws, 'toolchain', 'go.mod'), `module example.com/toolchain\n\ngo 1.21\n\ntoolchain ${toolchain.version}\n`);
  fs.writeFileSync(path.join(ws, 'toolchain', 'newtoolchain.go'), 'package toolchain\n\nfunc F() *int { x := 1; return &x }\n');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  const goWrapper = goExtensionWrapper(tmp);
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({
    // The Go extension's setting (goEscapeLens.goCommand unset): every go run must go through it.
    'go.alternateTools': { go: goWrapper.command },
    // GOTOOLCHAIN=auto as on a user's machine; only toolchain/ asks for another toolchain.
    'goEscapeLens.env': toolchain.env,
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'editor.hover.delay': 200,
    'window.zoomLevel': 0,
    'extensions.ignoreRecommendations': true,
    // Relative to each package's module root: only ws/prof has one.
    'goEscapeLens.heapProfile': 'mem.out',
  }));
  const install = spawnSync(process.execPath, [entry, '--extensions-dir', ext, '--user-data-dir', ud, '--install-extension', vsix], { encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr + install.stdout);

  const servers: ChildProcess[] = [];
  let failurePage: Page | undefined;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    // `--first-day`: only the first-day script (issue 27), for working on it.
    if (process.argv.includes('--first-day')) {
      await firstDay(browser, entry, ext, tmp, servers, (p) => { failurePage = p; });
      console.log('e2e: 1 passed, 0 failed');
      return;
    }
    const page = await openWorkbench(browser, entry, ud, ext, ws, true, servers);
    failurePage = page;
    await openFile(page, 'returned.go');

    // Save, wait for the squiggles under exactly the escaping expressions.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+S');
    const squiggle = page.locator('.monaco-editor .squiggly-info');
    await until('squiggles', async () => (await squiggle.count()) >= 4, 90_000);
    const status = await until('status bar', async () => {
      const t = await page.locator('.statusbar-item', { hasText: 'heap escape' }).first().innerText();
      return t.includes('heap escape') ? t : undefined;
    });
    await until('analysis settled', async () => !(await page.locator('.statusbar-item', { hasText: 'analysing' }).count()));
    console.log(`  status bar: ${status.trim()}`);
    assert.match(status, /4 heap escapes/);
    assert.match(fs.readFileSync(goWrapper.log, 'utf8'), /^list -export -f \S+ -gcflags=-m=2 \.$/m, 'go.alternateTools.go was the go command');
    await shot(page, 'squiggles');

    // Hover the squiggle under &Order{ID: id} (line 11).
    const line = page.locator('.monaco-editor .view-line', { hasText: 'return &Order{ID: id}' });
    const box = (await line.boundingBox())!;
    // Squiggles are drawn in an overlay layer: take the one on that line.
    const boxes = await squiggle.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
    const target = boxes.find((b) => Math.abs(b.y + b.h / 2 - (box.y + box.height / 2)) < box.height)!;
    assert.ok(target, 'a squiggle on the &Order line');
    await page.mouse.move(target.x + target.w / 2, target.y + target.h / 2);
    // The problem's own text shows first; wait for the server's hover too (it arrives later under load).
    const hover = page.locator('.monaco-hover:visible', { hasText: 'This allocation is returned to the caller' });
    await until('hover', async () => (await hover.count()) > 0, 30_000);
    const hoverText = await hover.first().innerText();
    assert.match(hoverText, /&Order\{\.\.\.\}/);
    assert.match(hoverText, /L1 syntax/);
    assert.match(hoverText, /This allocation is returned to the caller/);
    assert.match(hoverText, /Path/);
    assert.match(hoverText, /What helps/);
    await shot(page, 'hover');
    await page.mouse.move(5, 5);

    // The Problems panel lists them with cause ids.
    await page.keyboard.press('Control+Shift+M');
    await until('problems', async () => (await page.locator('.markers-panel .monaco-list-row').count()) >= 4);
    await shot(page, 'problems');
    await page.keyboard.press('Control+Shift+M');

    // Quick fix: open the menu on `n` in fmt.Sprintf("%d", n), apply "Use strconv.Itoa(n)", save.
    await openFile(page, 'fmtbox.go');
    const statusText = () => page.locator('.statusbar-item', { hasText: 'heap escape' }).first().innerText();
    // One squiggle per allocation worth acting on: fmt.Sprint(a, b) is one, a bool's boxing none.
    await until('fmtbox analysed', async () => /7 heap escapes/.test(await statusText()), 90_000);
    const squiggleOnSprintf = () => page.evaluate(() => {
      // Monaco renders spaces as U+00A0.
      const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => (l.textContent ?? '').replace(/\s/g, ' ').includes('"%d", n'));
      if (!line) return -1;
      const y = line.getBoundingClientRect().y;
      return [...document.querySelectorAll('.monaco-editor .squiggly-info')].filter((q) => Math.abs(q.getBoundingClientRect().y - y) < 4).length;
    });
    assert.equal(await squiggleOnSprintf(), 1, 'a squiggle under n in fmt.Sprintf("%d", n)');
    const sprintf = page.locator('.monaco-editor .view-line', { hasText: 'fmt.Sprintf("%d", n)' });
    await sprintf.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const item = page.locator('.action-widget .action-list-row, .action-widget .monaco-list-row', { hasText: 'Use strconv.Itoa(n)' });
    await until('verified fix in the quick-fix menu', async () => {
      await page.keyboard.press('Control+.');
      await page.waitForSelector('.action-widget', { timeout: 5000 }).catch(() => undefined);
      if ((await item.count()) > 0) return true;
      await page.keyboard.press('Escape');
      await new Promise((r) => setTimeout(r, 500));
      return false;
    }, 60_000);
    await shot(page, 'quickfix-menu');
    // The menu focuses the first (preferred) action; check it is ours, then accept it as a user would.
    assert.match(await page.locator('.action-widget .focused, .action-widget [aria-selected="true"]').first().innerText(), /Use strconv\.Itoa\(n\)/);
    await page.keyboard.press('Enter');
    await until('edit applied', async () => (await page.locator('.monaco-editor .view-line', { hasText: 'strconv.Itoa(n)' }).count()) > 0);
    await page.keyboard.press('Control+S');
    await until('squiggle gone after save', async () => /6 heap escapes/.test(await statusText()), 60_000);
    const fixedLine = page.locator('.monaco-editor .view-line', { hasText: 'return strconv.Itoa(n)' });
    const fixedBox = (await fixedLine.boundingBox())!;
    const onFixed = await page.evaluate((y) => [...document.querySelectorAll('.monaco-editor .squiggly-info')]
      .filter((q) => Math.abs(q.getBoundingClientRect().y - y) < 4).length, fixedBox.y);
    assert.equal(onFixed, 0, 'no squiggle left on the fixed line');
    await shot(page, 'quickfix-applied');

    await escapesScenario(page);
    await brokenContract(page);
    await hardeningSteps(page, ext, ws, ud);
    await deepGraphScenario(page);
    await measureBeforeAfter(page);
    await measureAllTable(page);
    await walkthrough(page);
    await toolchainDownload(page);

    // Issue 27: a new user's first day, in a fresh module and a fresh profile.
    await firstDay(browser, entry, ext, tmp, servers, (p) => { failurePage = p; });

    // An untrusted workspace: nothing runs, the status says so.
    const ud2 = path.join(tmp, 'user-data-untrusted');
    fs.mkdirSync(path.join(ud2, 'User'), { recursive: true });
    fs.writeFileSync(path.join(ud2, 'User', 'settings.json'), JSON.stringify({
      'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always', 'workbench.startupEditor': 'none',
    }));
    const page2 = await openWorkbench(browser, entry, ud2, ext, ws, false, servers);
    failurePage = page2;
    const distrust = page2.locator('.monaco-dialog-box button, .dialog-buttons a, .monaco-button', { hasText: /No, I don.t trust/ });
    await until('trust prompt', async () => (await distrust.count()) > 0, 60_000);
    await distrust.first().click();
    await openFile(page2, 'returned.go');
    await page2.locator('.monaco-editor .view-lines').click();
    await page2.keyboard.press('Control+S');
    const off = await until('status: off', async () => {
      const item = page2.locator('.statusbar-item', { hasText: 'Escapes: off' });
      return (await item.count()) > 0 ? item.first().innerText() : undefined;
    }, 60_000);
    await new Promise((r) => setTimeout(r, 3000)); // what a run would have published by now
    assert.equal(await page2.locator('.monaco-editor .squiggly-info').count(), 0, 'no squiggles in an untrusted workspace');
    console.log(`  untrusted: ${off.trim()}, no squiggles`);
    await shot(page2, 'untrusted');
    console.log('e2e: 1 passed, 0 failed');
  } catch (e) {
    if (failurePage) await failurePage.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
    // Wait for code-server to end (it writes workspace storage while stopping), then remove, retrying.
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
      if (s.exitCode !== null || s.signalCode !== null) { resolve(); return; }
      const t = setTimeout(resolve, 10_000);
      s.once('exit', () => { clearTimeout(t); resolve(); });
      s.kill();
    })));
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/**
 * Paths across packages: the hover on `c` (handed to json.Unmarshal) continues into encoding/json; its
 * link opens the graph webview; clicking the sink node opens decode.go in GOROOT.
 */
async function deepGraphScenario(page: Page): Promise<void> {
  await openFile(page, 'app.go');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+S');
  const statusText = () => page.locator('.statusbar-item', { hasText: 'heap escape' }).first().innerText();
  await until('app.go analysed', async () => /heap escape/.test(await statusText()), 90_000);
  const line = page.locator('.monaco-editor .view-line', { hasText: 'var c Config' });
  const box = (await line.boundingBox())!;
  const target = await until('a squiggle under c in var c Config', async () => {
    const squiggles = await page.locator('.monaco-editor .squiggly-info').evaluateAll((els) =>
      els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
    return squiggles.find((b) => Math.abs(b.y + b.h / 2 - (box.y + box.height / 2)) < box.height);
  }, 60_000);
  // The first hover waits for the walk into encoding/json (issue 27: never "hover again" in a hover that
  // cannot update): the server's part arrives once, with the path across packages in it.
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Beyond this package' });
  await page.mouse.move(target.x + target.w / 2, target.y + target.h / 2);
  await until('cross-package hover, on the first hover', async () => (await hover.count()) > 0, 60_000);
  assert.doesNotMatch(await page.locator('.monaco-hover:visible').first().innerText(), /hover again|still being followed/);
  const text = await hover.first().innerText();
  assert.match(text, /json\.Unmarshal/);
  assert.match(text, /handed to reflection/);
  assert.match(text, /Cause refined by the sink/);
  // For the screenshot: the same hover from the keyboard, focused and scrolled to its cross-package part
  // (the problem's own text comes first).
  await page.mouse.move(5, 5);
  await page.mouse.click(target.x + 2, target.y + target.h / 2);
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await new Promise((r) => setTimeout(r, 600));
  }
  await page.keyboard.press('End');
  await new Promise((r) => setTimeout(r, 700));
  await shot(page, 'deep-hover');
  await hover.first().locator('a', { hasText: 'Show the path as a graph' }).click();
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const sink = view.locator('.node.kind-sink');
  await until('graph drawn', async () => (await sink.count()) > 0, 60_000);
  assert.ok(await view.locator('.cluster').count() >= 2, 'package clusters');
  assert.equal(await view.locator('.node.kind-allocation').count(), 1);
  await page.mouse.move(5, 5);
  // Tall enough for the whole path in the screenshot.
  await page.setViewportSize({ width: 1400, height: 1150 });
  await new Promise((r) => setTimeout(r, 500));
  await checkGraph(view, 'encoding/json path');
  await shot(page, 'graph');
  await page.setViewportSize({ width: 1400, height: 850 });
  const sinkLine = /decode\.go:(\d+)/.exec(await sink.first().textContent() ?? '')?.[1];
  assert.ok(sinkLine, 'the sink node names its line in decode.go');
  await sink.first().click();
  await until('clicking the sink opens decode.go', async () => (await page.locator('.tab', { hasText: 'decode.go' }).count()) > 0, 30_000);
  await until('at the sink\'s line', async () => new RegExp(`Ln ${sinkLine},`).test(await page.locator('.statusbar-item', { hasText: /Ln \d+/ }).first().innerText()), 10_000);
  // Issue 27: GOROOT is read, never analysed: nothing of it in the Problems panel, and the status says why.
  await until('decode.go: not analysed', async () => /not analysed/.test(await page.locator('.statusbar-item', { hasText: 'Escapes:' }).first().innerText()), 30_000);
  await new Promise((r) => setTimeout(r, 2000)); // what an analysis would have published by now
  assert.equal(await page.locator('.monaco-editor .squiggly-info, .monaco-editor .squiggly-warning').count(), 0, 'no squiggles in GOROOT');
  await page.keyboard.press('Control+Shift+M');
  await until('problems panel open', async () => (await page.locator('.markers-panel').count()) > 0);
  const problems = await page.locator('.markers-panel').first().innerText();
  assert.doesNotMatch(problems, /decode\.go/, 'no GOROOT file in the Problems panel');
  await shot(page, 'goroot-not-analysed');
  await page.keyboard.press('Control+Shift+M');
  console.log('  graph: drawn and fitted, sink node opened decode.go (GOROOT: not analysed, nothing in Problems)');
  // Leave one editor group, as the next scenarios expect: close the graph and every editor.
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('Close All Editor Groups');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Close All Editor Groups' }).first().click();
  await until('graph closed', async () => (await page.locator('.tab', { hasText: 'Escape path' }).count()) === 0, 10_000);
}

/** A go command set through the Go extension's go.alternateTools.go: logs each run, then runs the real go. */
function goExtensionWrapper(tmp: string): { command: string; log: string } {
  const real = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  const command = path.join(tmp, 'go-from-go-extension');
  const log = path.join(tmp, 'go-from-go-extension.log');
  fs.writeFileSync(command, `#!/bin/sh\necho "$*" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(path.join(real, 'bin', 'go'))} "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(log, '');
  return { command, log };
}

/** Opening a package whose go.mod needs another toolchain: the status bar says it is downloading, then counts. */
async function toolchainDownload(page: Page): Promise<void> {
  await openFile(page, 'newtoolchain.go');
  const downloading = page.locator('.statusbar-item', { hasText: 'downloading Go toolchain' });
  await until('status: downloading Go toolchain', async () => (await downloading.count()) > 0, 60_000);
  await shot(page, 'toolchain-download');
  await until('analysed after the download', async () =>
    /1 heap escape\b/.test(await page.locator('.statusbar-item', { hasText: 'heap escape' }).first().innerText()), 60_000);
  console.log('  toolchain: "downloading Go toolchain…" in the status bar, then 1 heap escape');
}

/** The first-run walkthrough: opened as a user would, screenshotted, and one step's button opens its setting. */
async function walkthrough(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('Welcome: Open Walkthrough');
  const command = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).first();
  await until('the Open Walkthrough command', async () => (await command.count()) > 0);
  await command.click();
  const ours = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Go Escape Lens' }).first();
  await until('our walkthrough in the list', async () => (await ours.count()) > 0);
  await ours.click();
  const steps = page.locator('.gettingStartedContainer .getting-started-step');
  await until('walkthrough steps', async () => (await steps.count()) >= 5, 30_000);
  const titles = await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts();
  assert.deepEqual(titles.map((t) => t.trim()), ['What the squiggles mean', 'Three tiers: syntax, call context, dynamic', 'See more',
    'Suppress what you accept', 'Measure before you fix']);
  // The tiers step shows its picture; take the screenshot there.
  await page.locator('.getting-started-step', { hasText: 'Three tiers' }).first().click();
  await until('tiers picture', async () => (await page.locator('.gettingStartedContainer .getting-started-media img, .gettingStartedContainer .getting-started-media iframe, .gettingStartedContainer .getting-started-media .webview').count()) > 0, 30_000);
  await new Promise((r) => setTimeout(r, 1000)); // the media fades in
  await shot(page, 'walkthrough');
  // "Measure before you fix" opens the real setting.
  await page.locator('.getting-started-step', { hasText: 'Measure before you fix' }).first().click();
  // Issue 27: the Measure button's label is whole (not cut off).
  const measure = page.locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a', { hasText: 'Measure Benchmarks' }).first();
  await until('the Measure button', async () => (await measure.count()) > 0 && await measure.isVisible(), 30_000);
  const cut = await measure.evaluate((b) => b.scrollWidth > b.clientWidth + 1);
  assert.equal(cut, false, 'the Measure button label fits');
  const button = page.locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a', { hasText: 'Set goEscapeLens.heapProfile' }).first();
  await until('the measure step\'s button', async () => (await button.count()) > 0 && await button.isVisible(), 30_000);
  await button.click();
  const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Heap Profile' });
  await until('the heapProfile setting opened', async () => (await setting.count()) > 0, 30_000);
  console.log('  walkthrough: 5 steps, the measure step opens goEscapeLens.heapProfile');
}

/** A module with a benchmark and its heap profile (mem.out at the module root), as a user would make one. */
function profiledWorkspaceModule(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/prof\n\ngo 1.24\n');
  fs.writeFileSync(path.join(dir, 'p.go'), 'package prof\n\nimport "fmt"\n\ntype T struct{ A [64]byte }\n\n' +
    '// New is where the benchmark allocates most: a warning, promoted by the profile.\nfunc New() *T { return &T{} }\n\n' +
    'func Label(n int) string { return fmt.Sprint(n) }\n');
  fs.writeFileSync(path.join(dir, 'p_test.go'), 'package prof\n\nimport "testing"\n\nvar sink any\n\nfunc BenchmarkNew(b *testing.B) {\n' +
    '\tfor i := 0; i < b.N; i++ {\n\t\tsink = New()\n\t\tsink = Label(i + 1000)\n\t}\n}\n');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-e2e-prof-'));
  try {
    const r = spawnSync('go', ['test', '-run=^$', '-bench=.', '-benchtime=20000x', `-memprofile=${path.join(dir, 'mem.out')}`, '-memprofilerate=1',
      '-o', path.join(out, 'prof.test'), '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Squiggles for what is worth acting on, the parameter summary at its signature, the Escapes view, the profile. */
async function escapesScenario(page: Page): Promise<void> {
  const statusText = () => page.locator('.statusbar-item', { hasText: 'heap escape' }).first().innerText();
  await openFile(page, 'writer.go');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+S');
  await until('writer.go analysed', async () => /\d+ heap escapes in this file/.test(await statusText()), 90_000);
  // The parameter summary: an inlay hint after `p` on Write's signature, not a squiggle.
  const signature = page.locator('.monaco-editor .view-line', { hasText: 'func (w *Writer) Write(p' });
  await until('inlay hint at the signature', async () => /leaks \(into an interface\)/.test((await signature.innerText()).replace(/\s/g, ' ')), 30_000);
  // The four operands of one fmt.Printf: one squiggle, under the callee.
  const printf = page.locator('.monaco-editor .view-line', { hasText: 'fmt.Printf("%d %s %v %v' });
  const pbox = (await printf.boundingBox())!;
  const onPrintf = await page.evaluate((y) => [...document.querySelectorAll('.monaco-editor .squiggly-info')]
    .filter((q) => Math.abs(q.getBoundingClientRect().y - y) < 4).map((q) => { const r = q.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }), pbox.y);
  assert.equal(onPrintf.length, 1, 'one squiggle on the fmt.Printf line');
  await page.mouse.move(onPrintf[0].x + onPrintf[0].w / 2, onPrintf[0].y + onPrintf[0].h / 2);
  const hover = page.locator('.monaco-hover:visible', { hasText: '4 values boxed for fmt.Printf' });
  await until('grouped hover', async () => (await hover.count()) > 0, 30_000);
  await page.waitForTimeout(800); // the hover fades in
  await shot(page, 'grouped-call');
  await page.mouse.move(5, 5);

  // The status bar opens the Escapes view: package → file → function → finding, counts on every node.
  const status = await statusText();
  console.log(`  status bar: ${status.trim()}`);
  await page.locator('.statusbar-item', { hasText: 'heap escape' }).first().click();
  const rows = page.locator('.part.sidebar .monaco-list-row');
  await until('Escapes view rows', async () => (await page.locator('.part.sidebar .monaco-list-row', { hasText: 'writer.go' }).count()) > 0, 60_000);
  await until('whole package in the view', async () => (await page.locator('.part.sidebar .monaco-list-row', { hasText: 'other.go' }).count()) > 0, 60_000);
  // Counts on every node (the view refreshes when the whole-package analysis lands: poll).
  const fileRow = await until('file row with its count', async () => {
    const t = (await page.locator('.part.sidebar .monaco-list-row', { hasText: 'writer.go' }).first().innerText()).replace(/\s+/g, ' ');
    return /writer\.go\s*\d+ findings/.test(t) ? t : undefined;
  }, 30_000);
  console.log(`  Escapes view: ${fileRow}`);
  await shot(page, 'escapes-view');

  // Group by cause.
  await page.locator('.part.sidebar .action-label[aria-label^="Group By"]').first().click();
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'by cause' }).first().click();
  await until('grouped by cause', async () => (await page.locator('.part.sidebar .monaco-list-row', { hasText: 'interface-conversion' }).count()) > 0, 30_000);
  await shot(page, 'escapes-view-by-cause');

  // Filter: only allocating findings.
  const countOf = async () => Number(/(\d+)\/(\d+) findings/.exec(await page.locator('.part.sidebar').first().innerText())?.[1] ?? NaN);
  const all = await until('view description with counts', async () => { const n = await countOf(); return Number.isFinite(n) ? n : undefined; });
  await page.locator('.part.sidebar .action-label[aria-label^="Filter"]').first().click();
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Only allocating' }).first().click();
  await page.keyboard.press('Enter');
  await until('filtered', async () => /allocating/.test(await page.locator('.part.sidebar').first().innerText()), 30_000);
  const allocating = await until('filtered count', async () => { const n = await countOf(); return n < all ? n : undefined; });
  console.log(`  Escapes view: ${all} findings, ${allocating} allocating; ${await rows.count()} rows`);
  await shot(page, 'escapes-view-filtered');

  // A heap profile promotes the line that holds most of its bytes to a warning.
  await openFile(page, 'p.go');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+S');
  await until('profile warning', async () => (await page.locator('.monaco-editor .squiggly-warning').count()) > 0, 90_000);
  const warn = (await page.locator('.monaco-editor .squiggly-warning').first().boundingBox())!;
  await page.mouse.move(warn.x + warn.width / 2, warn.y + warn.height / 2);
  const costHover = page.locator('.monaco-hover:visible', { hasText: 'Cost (heap profile)' });
  await until('cost in the hover', async () => (await costHover.count()) > 0, 30_000);
  const costText = await costHover.first().innerText();
  assert.match(costText, /return &T\{\} — returned/, 'the path in the user\'s words');
  await page.waitForTimeout(800);
  await shot(page, 'profile-warning');
}

/** Measure a benchmark from its lens, edit, measure again: the lens and the hover show before → after. */
async function measureBeforeAfter(page: Page): Promise<void> {
  await openFile(page, 'alloc_test.go');
  const lens = (text: string | RegExp) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
  await until('measure lens', async () => (await lens(/^measure allocations$/).count()) >= 3, 90_000);
  await lens(/^measure allocations$/).first().click(); // BenchmarkBoth, the first benchmark
  await until('measured', async () => (await lens('BenchmarkBoth: 72 B/op, 2 allocs/op').count()) > 0, 120_000);
  // The edit: the benchmark stops boxing (delete the line), save, measure again.
  await page.locator('.monaco-editor .view-line', { hasText: 'sink = Box(i + 1000)' }).click();
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+S');
  await until('analysis settled', async () => !(await page.locator('.statusbar-item', { hasText: 'analysing' }).count()));
  await lens('measure again').first().click();
  const after = lens('BenchmarkBoth: 72 → 64 B/op, 2 → 1 allocs/op');
  await until('before → after', async () => (await after.count()) > 0, 120_000);
  console.log(`  measure lens: ${(await after.first().innerText()).trim()}`);
  await page.mouse.move(5, 5);
  await new Promise((r) => setTimeout(r, 300)); // no hover over the lens in the picture
  await shot(page, 'measure');
  // Hover the inlined &Block{} at sink = NewBlock(): its per-finding change. A function of this package
  // inlined at a call is a hint there (it is squiggled in its own body), so hover the call's text.
  const line = page.locator('.monaco-editor .view-line', { hasText: 'sink = NewBlock()' }).first();
  const token = line.locator('span', { hasText: /^NewBlock$/ }).first();
  const target = (await token.boundingBox())!;
  assert.ok(target, 'the NewBlock call on the sink = NewBlock() line');
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2);
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Measured' });
  await until('measured hover', async () => (await hover.count()) > 0, 30_000);
  assert.match(await hover.first().innerText(), /64 → 64 B\/op, 1 → 1 allocs\/op in BenchmarkBoth/);
  await new Promise((r) => setTimeout(r, 500)); // the hover fades in
  await shot(page, 'measure-hover');
  await page.mouse.move(5, 5);
}

/** A function marked //escape:noheap that allocates: an error squiggle at the allocation, explained on hover. */
async function brokenContract(page: Page): Promise<void> {
  await openFile(page, 'noheap.go');
  const errors = page.locator('.monaco-editor .squiggly-error');
  // Direct and ViaInlined are in view (Monaco draws only visible lines).
  await until('contract error squiggles', async () => (await errors.count()) >= 2, 90_000);
  const line = page.locator('.monaco-editor .view-line', { hasText: 'last = &Point{X: x, Y: y}' });
  await line.scrollIntoViewIfNeeded();
  const box = (await line.boundingBox())!;
  const boxes = await errors.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
  const target = boxes.find((b) => Math.abs(b.y + b.h / 2 - (box.y + box.height / 2)) < box.height);
  assert.ok(target, 'an error squiggle under &Point{X: x, Y: y} in Direct');
  await page.mouse.move(target.x + target.w / 2, target.y + target.h / 2);
  // The problem's own text shows first; wait for the server's hover too (it arrives later under load).
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Broken by' });
  await until('contract hover', async () => (await hover.count()) > 0, 30_000);
  const text = await hover.first().innerText();
  assert.match(text, /\/\/escape:noheap/);
  assert.match(text, /Direct must not allocate/);
  assert.match(text, /Broken by &Point\{\.\.\.\} escapes to heap/);
  // Issue 27: one explanation of the allocation, one "What helps".
  await until('the finding\'s part of the hover', async () => /What helps/.test(await hover.first().innerText()), 30_000);
  const whole = await hover.first().innerText();
  assert.equal(whole.split('What helps').length - 1, 1, `one What helps:\n${whole}`);
  assert.equal(whole.split('stored in a longer-lived object').length - 1, 1, `the cause said once:\n${whole}`);
  await shot(page, 'contract');
  await page.mouse.move(5, 5);
}

main().catch((e) => { console.error(e); console.log('e2e: 0 passed, 1 failed'); process.exit(1); });
