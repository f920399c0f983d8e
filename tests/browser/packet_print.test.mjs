// The print-ready review packet in a real Chromium against the real binary: its styles come
// from a stylesheet that rapport's own Content-Security-Policy (`style-src 'self'`) allows, so
// the page layout applies on screen and the print layout when printing, and the browser reports
// no CSP violation.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/packet_print.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  DESKTOP, adminSetsUpRapportAndAddsTeammate, clickAndNavigate, launchBrowser, saveFailure, startServer,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ADMIN = { name: 'Nadia Okafor', email: 'nadia@example.com', timezone: 'Europe/London', password: 'print it on paper 2026' };
const TEAMMATE = { name: 'Tomás Ruiz', email: 'tomas@example.com', timezone: 'Europe/Madrid' };
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('the review packet prints with its own stylesheet', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let context;
  let page;
  const problems = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('applies the screen and the print styles, with no CSP violation', async () => {
    const goto = (p) => page.goto(`${server.baseUrl}${p}`, { waitUntil: 'load' });
    try {
      await adminSetsUpRapportAndAddsTeammate(page, (_, p) => goto(p), ADMIN, TEAMMATE);

      await goto('/reviews');
      await page.locator('#p-name').fill('This half');
      await page.locator('#p-start').fill(day(-60));
      await page.locator('#p-end').fill(day(60));
      await clickAndNavigate(page, page.getByRole('button', { name: 'Add period' }));
      await clickAndNavigate(page, page.getByRole('link', { name: `${TEAMMATE.name}’s review` }));
      const review = new URL(page.url()).pathname;
      assert.match(review, new RegExp(`^/people/${UUID}/reviews/${UUID}$`));

      problems.length = 0;
      const response = await goto(`${review}/packet.html`);
      assert.equal(response.status(), 200);
      assert.match(response.headers()['content-security-policy'] ?? '', /style-src 'self'/, 'the page is served under the CSP');
      assert.match(await page.locator('h1').innerText(), new RegExp(`Review packet: ${TEAMMATE.name}`));
      const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => s.href));
      assert.ok(sheets.some((h) => h && new URL(h).pathname === '/static/print.css'), `the packet's stylesheet is loaded: ${sheets}`);

      const style = () => page.evaluate(() => {
        const s = getComputedStyle(document.body);
        return { maxWidth: s.maxWidth, fontSize: parseFloat(s.fontSize) };
      });
      await page.emulateMedia({ media: 'screen' });
      const screen = await style();
      assert.equal(screen.maxWidth, '704px', 'on screen the packet is a readable column (44rem)');
      await page.emulateMedia({ media: 'print' });
      const print = await style();
      assert.equal(print.maxWidth, 'none', 'printed, the column uses the page');
      assert.ok(Math.abs(print.fontSize - (11 * 96) / 72) < 0.1, `printed in 11pt, got ${print.fontSize}px`);

      assert.deepEqual(problems, [], 'no Content-Security-Policy violation was reported');
    } catch (e) {
      const shot = await saveFailure(page, 'packet print');
      if (shot) e.message += `\n(page at failure: ${page.url()}, saved as ${shot})`;
      throw e;
    }
  });
});
