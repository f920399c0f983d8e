// The review's evidence picker in a real Chromium against the real binary (issue 14): typing in
// "Find evidence" hides what does not match as one types, a chosen item stays chosen (and in
// view) whatever is typed after, the counts follow, and the statement saves with it. axe at
// 1280 and 375 px, and no sideways scrolling on the phone.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/evidence.test.mjs
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import {
  clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe, adminSetsUpRapportAndAddsTeammate,
} from './support.mjs';

const MANAGER = { name: 'Nadia Okafor', email: 'nadia@example.com', timezone: 'Europe/London', password: 'no surprises at review 2026' };
const TEAMMATE = { name: 'Tomás Ruiz', email: 'tomas@example.com', timezone: 'Europe/Madrid', password: 'feedback every single week' };
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const INCIDENT = 'Your incident write-up was calm and clear.';
const ROTA = 'Thanks for covering the on-call rota in the holidays.';

let server;
let browser;
let manager;
let teammate;

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('evidence', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, step } = h;

describe('the evidence picker in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

  step('the admin sets up rapport, adds a teammate, a review period and two pieces of feedback', async () => {
    const page = manager.page;
    await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);
    await goto(page, '/reviews');
    await page.locator('#p-name').fill('This half');
    await page.locator('#p-start').fill(day(-60));
    await page.locator('#p-end').fill(day(60));
    await clickAndNavigate(page, page.getByRole('button', { name: 'Add period' }));
    for (const body of [INCIDENT, ROTA]) {
      await goto(page, '/feedback');
      await page.getByLabel('For').selectOption({ label: TEAMMATE.name });
      await page.getByLabel('What you want to say').fill(body);
      await clickAndNavigate(page, page.getByRole('button', { name: 'Share now' }));
    }
  }, { critical: true });

  step('typing hides what does not match; the chosen item stays chosen and in view', async () => {
    const page = manager.page;
    await goto(page, '/reviews');
    await clickAndNavigate(page, page.getByRole('link', { name: `${TEAMMATE.name}’s review` }));
    const picker = page.locator('#add-statement [data-evidence]');
    const incident = picker.getByLabel(/incident write-up/);
    const rota = picker.getByLabel(/on-call rota/);
    const count = picker.locator('[data-evidence-count]').first();
    assert.equal(await count.innerText(), '0 chosen of 2');
    assert.ok(await incident.isVisible() && await rota.isVisible(), 'everything shows before a search');

    const find = picker.getByLabel('Find evidence');
    await find.pressSequentially('incident');
    assert.ok(await incident.isVisible(), 'the match shows');
    assert.ok(!(await rota.isVisible()), 'what does not match is hidden as one types');
    assert.equal(new URL(page.url()).search, '', 'filtering does not reload the page');
    await incident.check();
    assert.equal(await count.innerText(), '1 chosen of 2', 'the count follows the box');

    await find.fill('rota');
    assert.ok(await rota.isVisible(), 'the new match shows');
    assert.ok(await incident.isVisible() && await incident.isChecked(), 'the chosen item survives another search');
    await find.fill('nothing like this at all');
    assert.ok(!(await rota.isVisible()));
    assert.ok(await incident.isVisible() && await incident.isChecked(), 'and one that matches nothing');
    await find.press('Enter');
    assert.equal(new URL(page.url()).search, '', 'Enter does not reload the page and lose what is written');
    await checkA11y(page, 'review, evidence filtered (1280)');
    await screenshot(page, 'evidence-filtered');

    await page.setViewportSize({ width: 375, height: 812 });
    try {
      await checkA11y(page, 'review, evidence filtered (375)');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 376, `the review page scrolls sideways at 375 px (${wide}px wide)`);
      await screenshot(page, 'evidence-filtered-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    // The statement saves with the chosen evidence, hidden search or not.
    await page.getByLabel('Statement', { exact: true }).fill('Handles incidents with a calm head.');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Add statement' }));
    const statements = await page.locator('#statements').innerText();
    assert.match(statements, /Handles incidents with a calm head\./);
    assert.match(statements, /Evidence: feedback from Nadia Okafor to Tomás Ruiz/);
  }, { critical: true });

  everyPagePassesAxe(h, 'the evidence picker passes axe (WCAG 2 A + AA) at 1280 and 375 px');
});
