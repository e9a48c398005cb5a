// What every scenario of the real-VS-Code test drives: code-server on a free port, a page on it, quick
// open, screenshots (test-results/e2e/, and images/ with --update-images) and polling with a deadline.
/// <reference lib="dom" />
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..', '..'); // bundled into out/test/e2e/
export const OUT = path.join(REPO, 'test-results', 'e2e');
export const UPDATE_IMAGES = process.argv.includes('--update-images');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  if (UPDATE_IMAGES) fs.copyFileSync(file, path.join(REPO, 'images', `${name}.png`));
  console.log(`  screenshot ${path.relative(REPO, file)}`);
}

export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await until(`quick open lists ${name}`, async () => (await row.count()) > 0);
  await row.click();
  await until(`${name} open`, async () => (await page.locator('.tab.active').innerText()).includes(name));
  await page.waitForSelector('.monaco-editor .view-lines');
}

/** Starts code-server on a free loopback port and opens the workspace in a new page. */
export async function openWorkbench(
  browser: Browser, entry: string, ud: string, ext: string, ws: string, trusted: boolean, servers: ChildProcess[],
): Promise<Page> {
  const port = await freePort();
  const server = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', ud,
    '--extensions-dir', ext, '--disable-telemetry', '--disable-update-check', ...(trusted ? ['--disable-workspace-trust'] : []), ws],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(server);
  let log = '';
  server.stdout!.on('data', (d) => { log += d; });
  server.stderr!.on('data', (d) => { log += d; });
  await until('code-server listening', async () => log.includes('HTTP server listening'));
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  return page;
}

/** Runs a command from the command palette (F1) by its full title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  // Exactly this title ("Show Escape Path" is also the start of "Show Escape Path as Graph"); a row's label
  // may end with "…" and be followed by ", recently used" or a keybinding.
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const index = await until(`the command ${title} is listed`, async () => {
    const labels = await rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').split(',')[0].trim().replace(/(\.\.\.|…)$/, '')));
    const i = labels.indexOf(title);
    return i >= 0 ? i + 1 : undefined;
  });
  const row = rows.nth(index - 1);
  await row.click();
}

/** The boxes of the decorations matching `selector` (squiggles are drawn in an overlay layer). */
export function boxes(page: Page, selector: string): Promise<{ x: number; y: number; w: number; h: number }[]> {
  return page.locator(selector).evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
}

/** The decoration of `selector` on the editor line holding `text`, if any. */
export async function decorationOnLine(page: Page, selector: string, text: string): Promise<{ x: number; y: number; w: number; h: number } | undefined> {
  const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
  if ((await line.count()) === 0) return undefined;
  const box = (await line.boundingBox())!;
  return (await boxes(page, selector)).find((b) => Math.abs(b.y + b.h / 2 - (box.y + box.height / 2)) < box.height);
}

/** The status bar item of this extension (its text starts with the flame, sync, warning… icon and "Escapes"/"heap escape"). */
export async function statusText(page: Page): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: /heap escape|Escapes:/ }).first();
  return (await item.count()) ? (await item.innerText()).trim() : '';
}
