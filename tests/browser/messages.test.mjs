// Messages in a real Chromium against the real binary: the calendar link (made, read,
// turned off), reminder settings (saved, and refused with an error next to the field), the
// inbox and the admins' jobs page. Each page is checked with axe (WCAG 2 A + AA) and
// screenshotted.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/messages.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  DESKTOP, adminSetsUpRapport, axeViolations, clickAndNavigate, formatViolations, launchBrowser, screenshot, startServer,
  isPageRequest,
} from './support.mjs';

const ADMIN = { name: 'Ada Lovelace', email: 'ada@example.com', title: 'Director', timezone: 'Europe/Berlin', password: 'analytical engine 1843' };

describe('messages, calendar and reminders in a browser', () => {
  let server;
  let browser;
  let context;
  let page;
  const problems = [];
  const url = (p) => `${server.baseUrl}${p}`;
  const button = (name) => page.getByRole('button', { name, exact: true });

  async function accessible(label) {
    const v = await axeViolations(page);
    assert.equal(v.length, 0, formatViolations(label, v));
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    // Documents answering 4xx are asserted step by step (a refused form is 422 on purpose);
    // any other console error, and any failing sub-resource, is a problem.
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (!isPageRequest(r.request()) && r.status() >= 400 && path !== '/favicon.ico') problems.push(`${r.status()} ${path}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('an admin sets up rapport', async () => {
    const r = await adminSetsUpRapport(page, (_, p) => page.goto(url(p)), ADMIN);
    assert.equal(r.status(), 200);
  });

  it('Settings leads to calendar and reminders; a calendar link is made, works, and can be turned off', async () => {
    await page.goto(url('/settings'));
    await clickAndNavigate(page, page.getByRole('link', { name: 'calendar and reminders' }));
    assert.equal(new URL(page.url()).pathname, '/settings/notifications');
    await accessible('/settings/notifications');
    await screenshot(page, 'notifications-desktop');

    const r = await clickAndNavigate(page, button('Make a calendar link'));
    assert.equal(r.status(), 200);
    const feedUrl = (await page.locator('#feed-url').textContent()).trim();
    assert.match(feedUrl, /\/calendar\/rcal_[0-9a-f]{64}\.ics$/);
    await accessible('/settings/notifications (new link)');
    await screenshot(page, 'notifications-new-link');
    const feed = await fetch(feedUrl);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^text\/calendar/);
    assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\n/);

    await clickAndNavigate(page, button('Turn the link off'));
    await page.getByText('The calendar link no longer works.').waitFor();
    assert.equal((await fetch(feedUrl)).status, 404);
  });

  it('reminder settings are saved, and a bad value is refused next to its field', async () => {
    await page.goto(url('/settings/notifications'));
    await page.locator('[name="prep_hours"]').fill('0');
    let r = await clickAndNavigate(page, button('Save reminders'));
    assert.equal(r.status(), 422);
    await page.locator('#f-prep_hours-error').waitFor();
    await accessible('/settings/notifications (with errors)');
    await page.locator('[name="prep_hours"]').fill('12');
    await page.locator('[name="weekly_digest"]').uncheck();
    r = await clickAndNavigate(page, button('Save reminders'));
    assert.equal(r.status(), 200);
    await page.getByText('Your reminder settings are saved.').waitFor();
    assert.equal(await page.locator('[name="prep_hours"]').inputValue(), '12');
    assert.equal(await page.locator('[name="weekly_digest"]').isChecked(), false);
  });

  it('the inbox and the jobs page are there and accessible', async () => {
    await page.goto(url('/messages'));
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    await accessible('/messages');
    await screenshot(page, 'messages-desktop');
    await page.goto(url('/admin/jobs'));
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await accessible('/admin/jobs');
    await screenshot(page, 'jobs-desktop');
  });

  it('no console errors or failed sub-resources', () => {
    assert.deepEqual(problems, []);
  });
});
