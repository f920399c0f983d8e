// Growth in a real Chromium against the real binary: an admin (who is also a manager) imports
// a career framework from a CSV matrix through the import page (check, preview, import),
// places a teammate on a level, assesses her, and sees readiness for the next level with its
// chart; the teammate sees the same picture, assesses herself, and the difference shows up as
// a topic to discuss. Every page is checked with axe (WCAG 2 A + AA), on a phone width too.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import {
  DESKTOP, clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe,
  adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MANAGER = { name: 'Nadia Okafor', email: 'nadia@example.com', timezone: 'Europe/London', password: 'frameworks are maps 2026' };
const TEAMMATE = { name: 'Tomás Ruiz', email: 'tomas@example.com', timezone: 'Europe/Madrid', password: 'levels are not ladders 7' };
const CSV = [
  'track,,,Engineering,,',
  'area,competency,description,Junior,Mid,Senior',
  'Craft,Code,Writing software,"Writes working code',
  'with tests, with help",Delivers features alone,Designs whole systems',
  'Craft,Reviews,,Gives kind reviews,Reviews for design — and ünïcødé,Raises the bar for the team',
  '',
].join('\n');

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('growth', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, onPhone, step } = h;

describe('growth in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

  step('the admin sets up rapport and adds a teammate who accepts', async () => {
    const page = manager.page;
    ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);
    const invite = await anInvitationLink(page);
    await theInviteeAccepts(teammate.page, invite, server.baseUrl, TEAMMATE.password);
  }, { critical: true });

  step('the admin imports a framework from a CSV matrix: check, preview, import', async () => {
    const page = manager.page;
    await goto(page, '/frameworks');
    await checkA11y(page, '/frameworks (empty)');
    await clickAndNavigate(page, page.getByRole('link', { name: 'Import a framework' }));
    await checkA11y(page, '/frameworks/import');

    // A broken file first: the problem is shown with its line and column, nothing is imported.
    await page.locator('#f-text').fill('area,competency,Junior,Mid\nCraft,Code,fine\n');
    await page.locator('#f-format').selectOption('csv');
    await page.locator('#f-name').fill('Engineering ladder');
    let r = await clickAndNavigate(page, page.getByRole('button', { name: 'Check and preview' }));
    assert.equal(r.status(), 422);
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /Nothing was imported/);
    assert.match(alert, /2\s+4 \(row\)/, `line 2, column 4 named: ${alert}`);
    await checkA11y(page, '/frameworks/import (problems)');

    await page.locator('#f-text').fill(CSV);
    r = await clickAndNavigate(page, page.getByRole('button', { name: 'Check and preview' }));
    assert.equal(r.status(), 200);
    const status = await page.getByRole('status').innerText();
    assert.match(status, /Importing will create “Engineering ladder” with 1 track, 3 levels, 1 areas, 2 competencies and 6 expectations/);
    const preview = page.locator('table.matrix');
    assert.match(await preview.innerText(), /Reviews for design — and ünïcødé/);
    await checkA11y(page, '/frameworks/import (preview)');
    await screenshot(page, 'framework-import-preview');

    await clickAndNavigate(page, page.getByRole('button', { name: 'Import', exact: true }));
    const m = new URL(page.url()).pathname.match(new RegExp(`^/frameworks/(${UUID})$`));
    assert.ok(m, `expected the framework's page, got ${page.url()}`);
    ids.framework = m[1];
    assert.match(await page.locator('main').innerText(), /Version 1/);
    assert.match(await page.locator('table.matrix').innerText(), /Writes working code\s+with tests, with help/);
    await checkA11y(page, '/frameworks/<id>');
    await screenshot(page, 'framework');
    await onPhone(manager, 'framework');
  }, { critical: true });

  step('the manager places the teammate on a level and assesses her', async () => {
    const page = manager.page;
    await goto(page, `/people/${ids.teammate}`);
    await clickAndNavigate(page, page.getByRole('link', { name: 'Growth', exact: true }));
    assert.equal(new URL(page.url()).pathname, `/people/${ids.teammate}/growth`);
    await checkA11y(page, '/people/<id>/growth (no level)');
    const level = page.locator('#f-level');
    await level.selectOption({ label: 'Junior' });
    await clickAndNavigate(page, page.getByRole('button', { name: 'Set level' }));
    const exp = await page.locator('#expectations').innerText();
    assert.match(exp, /Writes working code/, 'what is expected now');
    assert.match(exp, /Delivers features alone/, 'and at the next level, side by side');

    const code = page.locator('article.competency').filter({ has: page.getByRole('heading', { name: /^Code/ }) });
    await code.getByLabel('Rating').selectOption('exceeds');
    await code.getByLabel('Evidence').fill('Shipped the CSV importer on her own');
    await clickAndNavigate(page, code.getByRole('button', { name: 'Save assessment' }));

    const ready = page.locator('#readiness');
    assert.match(await ready.innerText(), /Readiness for Mid/);
    assert.match(await ready.innerText(), /1 of 2 competencies met/);
    assert.match(await ready.innerText(), /Shipped the CSV importer on her own/);
    assert.equal(await ready.locator('svg.chart circle').count(), 1, 'the chart has a point for today');
    assert.match(await ready.locator('figcaption table').innerText(), /1 of 2/);
    await checkA11y(page, '/people/<id>/growth (manager)');
    await screenshot(page, 'growth-manager');
    // The dark theme's colours must pass too.
    const dark = await browser.newContext({ viewport: DESKTOP, colorScheme: 'dark', storageState: await manager.context.storageState() });
    try {
      const p = await dark.newPage();
      await p.goto(page.url(), { waitUntil: 'load' });
      await checkA11y(p, '/people/<id>/growth (manager, dark)');
      await screenshot(p, 'growth-manager-dark');
    } finally {
      await dark.close();
    }
    await onPhone(manager, 'growth-manager');
  }, { critical: true });

  step('the teammate sees the same readiness, assesses herself, and the difference is a topic', async () => {
    const page = teammate.page;
    await goto(page, `/people/${ids.teammate}/growth`);
    assert.match(await page.locator('h1').innerText(), /Your growth/);
    assert.match(await page.locator('#readiness').innerText(), /1 of 2 competencies met/, 'the same picture as her manager');
    const reviews = page.locator('article.competency').filter({ has: page.getByRole('heading', { name: /^Reviews/ }) });
    await reviews.getByLabel('Rating').selectOption('exceeds');
    await clickAndNavigate(page, reviews.getByRole('button', { name: 'Save assessment' }));
    // Her manager has not assessed Reviews yet: no difference. He says "meets": now there is one.
    assert.equal(await page.locator('#discuss').count(), 0);
    const mp = manager.page;
    await goto(mp, `/people/${ids.teammate}/growth`);
    const mReviews = mp.locator('article.competency').filter({ has: mp.getByRole('heading', { name: /^Reviews/ }) });
    await mReviews.getByLabel('Rating').selectOption('meets');
    await clickAndNavigate(mp, mReviews.getByRole('button', { name: 'Save assessment' }));
    await goto(page, `/people/${ids.teammate}/growth`);
    const discuss = await page.locator('#discuss').innerText();
    assert.match(discuss, /Reviews/);
    assert.match(discuss, /exceeds expectations/);
    assert.match(discuss, /meets expectations/);
    await checkA11y(page, '/people/<id>/growth (teammate)');
    await screenshot(page, 'growth-teammate');
    await onPhone(teammate, 'growth-teammate');
  });


  step('the growth page changes in place: an assessment, a plan, a step added and ticked; a refused update shows next to its field', async () => {
    const page = manager.page;
    await goto(page, `/people/${ids.teammate}/growth`);
    await page.evaluate(() => { window.__marker = 'still here'; });
    const stayed = async (what) => assert.equal(await page.evaluate(() => window.__marker), 'still here', `${what} reloaded the page`);
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return { id: e?.id || '', text: (e?.textContent || '').trim(), label: e?.getAttribute('aria-label') || '', in: e?.closest('article')?.id || '' };
    });

    // An assessment: saved, in the history, the competency's button keeps the focus.
    const reviews = page.locator('article.competency').filter({ has: page.getByRole('heading', { name: /^Reviews/ }) });
    await reviews.getByLabel('Rating').selectOption('exceeds');
    await reviews.getByLabel('Evidence').fill('Her reviews teach the whole team');
    await clickAndNavigate(page, reviews.getByRole('button', { name: 'Save assessment' }));
    await stayed('saving an assessment');
    assert.match(await page.locator('#history').innerText(), /Her reviews teach the whole team/);
    assert.equal(await reviews.getByLabel('Rating').inputValue(), 'exceeds', 'the form starts at the new rating');
    assert.equal((await focused()).text, 'Save assessment');
    assert.equal(await reviews.getByRole('button', { name: 'Save assessment' }).evaluate((b) => b === document.activeElement), true);

    // A plan, then a step in it, then the step ticked off.
    await page.getByText('Start a plan', { exact: true }).click();
    await page.locator('#p-title').fill('Grow into Mid');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Start plan' }));
    await stayed('starting a plan');
    const plan = page.locator('article.plan', { hasText: 'Grow into Mid' });
    assert.equal(await plan.count(), 1);
    assert.equal((await focused()).text, 'Start plan');

    await plan.getByText('Add a step', { exact: true }).click();
    await plan.getByLabel('Step', { exact: true }).fill('Pair on two design reviews');
    await clickAndNavigate(page, plan.getByRole('button', { name: 'Add step' }));
    await stayed('adding a step');
    assert.match(await plan.locator('.actions-list').innerText(), /Pair on two design reviews/);
    assert.equal((await focused()).text, 'Add step');

    const tick = plan.getByRole('checkbox', { name: 'Done: Pair on two design reviews' });
    await clickAndNavigate(page, tick);
    await stayed('ticking a step');
    assert.equal(await tick.getAttribute('aria-checked'), 'true');
    assert.equal((await focused()).label, 'Done: Pair on two design reviews');

    // Refused: progress with nothing written. The problem shows in that form, the focus on its field.
    await plan.getByText('Record progress', { exact: true }).click();
    const r = await clickAndNavigate(page, plan.getByRole('button', { name: 'Record' }));
    assert.equal(r.status(), 422);
    await stayed('a refused update');
    const update = plan.locator('form[action$="/updates"]');
    assert.match(await update.getByRole('alert').innerText(), /Write the progress, an obstacle or the next steps/);
    const field = await focused();
    assert.match(field.id, /^up-/);
    assert.equal(await update.getByLabel('Progress').getAttribute('aria-invalid'), 'true');
    assert.equal(new URL(page.url()).pathname, `/people/${ids.teammate}/growth`);
    await checkA11y(page, '/people/<id>/growth (changed in place, refused update)');
  });

  everyPagePassesAxe(h, 'every growth page passes axe (WCAG 2 A and AA)');
});
