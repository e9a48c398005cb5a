// Renders images/icon.svg to images/icon.png (256×256, transparent corners) with the headless Chromium the
// real-VS-Code test uses. Run once after changing the SVG and commit both: packaging needs only the PNG
// (the Marketplace rejects SVG icons).   node scripts/icon.mjs
import * as fs from 'node:fs';
import { chromium } from 'playwright-core';

const svg = fs.readFileSync('images/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: 'images/icon.png', omitBackground: true });
} finally {
  await browser.close();
}
