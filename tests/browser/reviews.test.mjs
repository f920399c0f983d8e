// Reviews in a real Chromium against the real binary: an admin (who is also a manager) defines
// a review period, gives his teammate feedback, builds her review on top of the packet, sees the
// statement flagged (the feedback is too recent to count as heard) and shares it anyway; the
// teammate reads it, acknowledges and answers. Every page is checked with axe (WCAG 2 A + AA),
// on a phone width too.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/reviews.test.mjs
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe,
  adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MANAGER = { name: 'Nadia Okafor', email: 'nadia@example.com', timezone: 'Europe/London', password: 'no surprises at review 2026' };
const TEAMMATE = { name: 'Tomás Ruiz', email: 'tomas@example.com', timezone: 'Europe/Madrid', password: 'feedback every single week' };
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('reviews', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, onPhone, step } = h;

describe('reviews in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

  step('the admin sets up rapport and adds a teammate who accepts', async () => {
    const page = manager.page;
    ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);
    const invite = await anInvitationLink(page);
    await theInviteeAccepts(teammate.page, invite, server.baseUrl, TEAMMATE.password);
  }, { critical: true });

  step('the admin defines a review period; an inverted one is refused', async () => {
    const page = manager.page;
    await goto(page, '/reviews');
    await checkA11y(page, '/reviews (no periods)');
    await page.locator('#p-name').fill('Backwards');
    await page.locator('#p-start').fill(day(30));
    await page.locator('#p-end').fill(day(-30));
    let r = await clickAndNavigate(page, page.getByRole('button', { name: 'Add period' }));
    assert.equal(r.status(), 422);
    assert.match(await page.getByRole('alert').innerText(), /ends before it starts/);
    await checkA11y(page, '/reviews (refused)');
    await page.locator('#p-name').fill('This half');
    await page.locator('#p-start').fill(day(-60));
    await page.locator('#p-end').fill(day(60));
    r = await clickAndNavigate(page, page.getByRole('button', { name: 'Add period' }));
    assert.equal(r.status(), 200);
    assert.match(await page.locator('main').innerText(), /This half/);
  }, { critical: true });

  step('the manager gives feedback', async () => {
    const page = manager.page;
    await goto(page, '/feedback');
    await checkA11y(page, '/feedback (empty)');
    await page.getByLabel('For').selectOption({ label: TEAMMATE.name });
    await page.getByLabel('What you want to say').fill('Your incident write-up was calm and clear.');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Share now' }));
    assert.match(await page.locator('main').innerText(), /Your incident write-up was calm and clear\./);
    await checkA11y(page, '/feedback');
    await onPhone(manager, 'feedback');
  }, { critical: true });

  step('the manager builds a review, sees the statement flagged and shares it', async () => {
    const page = manager.page;
    await goto(page, '/reviews');
    await clickAndNavigate(page, page.getByRole('link', { name: `${TEAMMATE.name}’s review` }));
    const m = new URL(page.url()).pathname.match(new RegExp(`^/people/${ids.teammate}/reviews/(${UUID})$`));
    assert.ok(m, `expected the review page, got ${page.url()}`);
    ids.review = new URL(page.url()).pathname;
    await checkA11y(page, '/people/<id>/reviews/<period> (empty)');
    await page.getByLabel('Statement', { exact: true }).fill('Handles incidents with a calm head.');
    await page.getByLabel(/Your incident write-up/).check();
    await clickAndNavigate(page, page.getByRole('button', { name: 'Add statement' }));
    const statements = await page.locator('#statements').innerText();
    assert.match(statements, /Handles incidents with a calm head\./);
    assert.match(statements, /New to Tomás Ruiz\./);
    assert.match(statements, /only 0 days ago; it needs 21/);
    assert.match(statements, /1 of 1 statements will be new to Tomás Ruiz/);
    await checkA11y(page, '/people/<id>/reviews/<period> (flagged)');
    await screenshot(page, 'review-flagged');
    await onPhone(manager, 'review-flagged');
    // Rewritten before sharing: the edit form keeps the evidence ticked.
    const edit = page.locator('details.edit-statement').first();
    await edit.locator(':scope > summary').click();
    assert.equal(await edit.getByLabel(/Your incident write-up/).isChecked(), true);
    await edit.getByLabel('Statement', { exact: true }).fill('Handles incidents with a calm, clear head.');
    await checkA11y(page, '/people/<id>/reviews/<period> (editing a statement)');
    await clickAndNavigate(page, edit.getByRole('button', { name: 'Save the statement' }));
    assert.match(await page.locator('#statements').innerText(), /Handles incidents with a calm, clear head\./);
    await clickAndNavigate(page, page.getByRole('button', { name: `Share with ${TEAMMATE.name}` }));
    assert.match(await page.getByRole('status').innerText(), /Shared on/);
    assert.equal(await page.getByRole('button', { name: 'Add statement' }).count(), 0, 'a shared review no longer changes');
  }, { critical: true });

  step('the teammate reads the review, acknowledges and answers it', async () => {
    const page = teammate.page;
    await goto(page, '/reviews');
    await clickAndNavigate(page, page.getByRole('link', { name: 'Your review' }));
    assert.equal(new URL(page.url()).pathname, ids.review);
    const text = await page.locator('main').innerText();
    assert.match(text, /Handles incidents with a calm, clear head\./);
    assert.doesNotMatch(text, /New to/, 'the flag is for the manager');
    await checkA11y(page, '/people/<id>/reviews/<period> (teammate)');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Acknowledge' }));
    assert.match(await page.getByRole('status').innerText(), /You acknowledged it on/);
    await page.getByLabel('Your answer (optional)').fill('Thank you. I would like more on-call next half.');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Save answer' }));
    assert.match(await page.locator('#answer').innerText(), /more on-call next half/);
    await checkA11y(page, '/people/<id>/reviews/<period> (answered)');
    await screenshot(page, 'review-teammate');
    await onPhone(teammate, 'review-teammate');
    // The manager sees the acknowledgement and the answer.
    await goto(manager.page, ids.review);
    assert.match(await manager.page.locator('main').innerText(), /Tomás Ruiz acknowledged it on/);
  });

  everyPagePassesAxe(h, 'every review page passes axe (WCAG 2 A and AA)');
});
