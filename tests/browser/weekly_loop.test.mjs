// The weekly loop in a real Chromium against the real binary, once at 1280 px and once at
// 375 px: the manager's home says what needs her → she prepares → the meeting, with the
// teammate in a second browser (topics by both, notes typed by both at once, a topic's note,
// an action) → the teammate rates it → follow-up: the manager ticks her action off. Nothing is
// saved by hand where it saves itself; forms change the page in place. Every page is checked
// with axe (WCAG 2 A + AA), is no wider than the screen, and is screenshotted.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/weekly_loop.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  DESKTOP, clickAndNavigate, everyPagePassesAxe, journeyHelpers, screenshot, twoPersonJourney,
  adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts,
} from './support.mjs';

const MANAGER = { name: 'Amara Okafor', email: 'amara@example.com', title: 'Engineering Manager', timezone: 'UTC', password: 'a long walk by the sea' };
const TEAMMATE = { name: 'Lukas Brandt', email: 'lukas@example.com', title: 'Engineer', timezone: 'Europe/Berlin', password: 'mountains in the morning' };

let server;
let browser;
let manager;
let teammate;
const ids = {};
let startsAt = 0;
const problems = []; // script errors on the loop's pages, reported by the last test

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const helpers = journeyHelpers('weekly loop', () => ({ server, browser, manager, teammate }));
const { step, goto, checkA11y } = helpers;

/** The manager and the teammate, signed in, in browsers of the given width. */
const at = {};
async function pairAt(width) {
  if (at[width]) return at[width];
  const viewport = width === DESKTOP.width ? DESKTOP : { width, height: 812 };
  const phone = width < 600;
  const open = async (who) => {
    const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, storageState: await who.context.storageState() });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    return { context, page };
  };
  at[width] = { m: await open(manager), t: await open(teammate) };
  return at[width];
}

/** A page is looked at: axe, a screenshot, and nothing wider than the screen. */
async function lookAt(page, width, name) {
  await checkA11y(page, `${name} at ${width} px`);
  await screenshot(page, `loop-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${width}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= width, `${name} is ${wide}px wide at ${width} px`);
}

async function liveReady(page) {
  await page.locator('#live-indicator').waitFor({ state: 'visible', timeout: 10_000 });
}

describe('the weekly loop in a browser, at 1280 and at 375 px', { timeout: 480_000 }, () => {
  twoPersonJourney(helpers, set);

  step('a manager sets up rapport, adds a teammate who accepts, and plans a 1:1 a minute or so ahead', async () => {
    const page = manager.page;
    ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);
    const invite = await anInvitationLink(page);
    await theInviteeAccepts(teammate.page, invite, server.baseUrl, TEAMMATE.password);
    // A one-off, so that it can be rated during the journey: the first full minute at least
    // 75 s from now, in UTC, for an hour.
    startsAt = Math.ceil((Date.now() + 75_000) / 60_000) * 60_000;
    const iso = new Date(startsAt).toISOString();
    await goto(page, `/series/new?teammate=${ids.teammate}`);
    const button = page.getByRole('button', { name: 'Start 1:1s', exact: true });
    const form = page.locator('form').filter({ has: button });
    await form.locator('[name="kind"]').selectOption('one_off');
    await form.locator('[name="first_date"]').fill(iso.slice(0, 10));
    await form.locator('[name="time"]').fill(iso.slice(11, 16));
    await form.locator('[name="timezone"]').fill('UTC');
    await form.locator('[name="duration_minutes"]').selectOption('60');
    const r = await clickAndNavigate(page, button);
    assert.equal(r.status(), 200, `planning the 1:1 answered ${r.status()} at ${page.url()}`);
    ids.meeting = (await page.locator('main a[href^="/meetings/"]').first().getAttribute('href')).split('/').pop();
  }, { critical: true });

  for (const width of [DESKTOP.width, 375]) {
    const tag = `at ${width} px`;

    step(`${tag}: the home says, per person, what needs each of them`, async () => {
      const { m, t } = await pairAt(width);
      await goto(m.page, '/meetings');
      const row = m.page.locator('.home-row', { hasText: TEAMMATE.name });
      assert.equal(await row.count(), 1, 'one row for the teammate');
      assert.match(await row.innerText(), /Next:/);
      await lookAt(m.page, width, 'home (manager)');
      await goto(t.page, '/meetings');
      const mine = t.page.locator('.home-row', { hasText: MANAGER.name });
      if (width === DESKTOP.width) assert.match(await mine.innerText(), /Add your topics/);
      await lookAt(t.page, width, 'home (teammate)');
    }, { critical: true });

    step(`${tag}: the teammate adds a topic; the manager prepares and adds a question from prep`, async () => {
      const { m, t } = await pairAt(width);
      await goto(t.page, `/meetings/${ids.meeting}`);
      await t.page.locator('#f-point-body').fill(`Pairing rotation (${width})`);
      await clickAndNavigate(t.page, t.page.getByRole('button', { name: 'Add topic', exact: true }));
      await t.page.locator('li.point', { hasText: `Pairing rotation (${width})` }).waitFor();
      const homeRow = async () => { await goto(m.page, '/meetings'); return m.page.locator('.home-row', { hasText: TEAMMATE.name }).innerText(); };
      assert.match(await homeRow(), /new since you last looked/, "the teammate's topic is new to the manager");

      await clickAndNavigate(m.page, m.page.getByRole('link', { name: `Prepare for ${TEAMMATE.name}` }));
      assert.equal(new URL(m.page.url()).pathname, `/meetings/${ids.meeting}/prep`);
      assert.match(await m.page.locator('main').innerText(), new RegExp(`Pairing rotation \\(${width}\\)`), "the teammate's topic is on the prep page");
      const question = m.page.locator('.question-list li').first();
      const text = (await question.locator('.point-text').innerText()).trim();
      await clickAndNavigate(m.page, question.getByRole('button', { name: /^Add to the agenda/ }));
      assert.match(await m.page.locator('main').innerText(), /Added to the agenda of this 1:1/);
      ids[`question${width}`] = text;
      await lookAt(m.page, width, 'prep');
      assert.doesNotMatch(await homeRow(), /new since/, 'seen on the prep page');
      await goto(m.page, `/meetings/${ids.meeting}/prep`);
    }, { critical: true });

    step(`${tag}: in the meeting both type notes at once, one writes a topic's note, the other sees it; an action is added`, async () => {
      const { m, t } = await pairAt(width);
      await clickAndNavigate(m.page, m.page.getByRole('link', { name: 'Open the meeting' }));
      await goto(t.page, `/meetings/${ids.meeting}`);
      await Promise.all([liveReady(m.page), liveReady(t.page)]);
      const agenda = await m.page.locator('[data-live="agenda"]').innerText();
      assert.match(agenda, new RegExp(`Pairing rotation \\(${width}\\)`));
      assert.ok(agenda.includes(ids[`question${width}`].slice(0, 30)), 'the question from prep is on the agenda');

      // Notes typed by both at once, at different places, nobody pressing Save.
      const open = async (page) => {
        const fold = page.locator('#notes-edit summary');
        if (await fold.count()) await fold.click();
      };
      await open(m.page);
      await open(t.page);
      const base = await m.page.locator('#f-notes').inputValue();
      await Promise.all([
        m.page.locator('#f-notes').fill(`Amara (${width}): agreed to rotate pairs monthly\n${base}`),
        t.page.locator('#f-notes').fill(`${base}Lukas (${width}): I will draft the rota\n`),
      ]);
      for (const page of [m.page, t.page]) await page.locator('#notes [data-save-state]', { hasText: /^Saved/ }).waitFor({ timeout: 8000 });
      await m.page.locator('h1').click();
      await t.page.locator('h1').click();
      for (const page of [m.page, t.page]) {
        await page.waitForFunction((w) => {
          const text = document.querySelector('#f-notes')?.value || '';
          return text.includes(`Amara (${w})`) && text.includes(`Lukas (${w})`);
        }, width, { timeout: 8000 });
        assert.equal(await page.locator('.clash').count(), 0, 'no conflict to settle');
      }

      // A note under the teammate's topic, typed by the manager; the teammate sees it live.
      const topic = m.page.locator('li.point', { hasText: `Pairing rotation (${width})` });
      await topic.locator('summary', { hasText: 'Add a note' }).click();
      await topic.getByLabel(`Note on “Pairing rotation (${width})”`).pressSequentially('Start with the on-call pair', { delay: 5 });
      await topic.locator('[data-save-state]', { hasText: /^Saved/ }).waitFor({ timeout: 8000 });
      await t.page.locator('li.point', { hasText: `Pairing rotation (${width})` }).locator('.point-note', { hasText: 'on-call pair' }).waitFor({ timeout: 5000 });

      // An action, in place; the teammate sees it live.
      await m.page.evaluate(() => { window.stillHere = true; });
      await m.page.locator('#f-action-body').fill(`Share the rota template (${width})`);
      await clickAndNavigate(m.page, m.page.getByRole('button', { name: 'Add action', exact: true }));
      assert.equal(await m.page.evaluate(() => window.stillHere), true, 'adding an action reloaded the page');
      await t.page.locator('[data-live="actions"] .point-text', { hasText: `Share the rota template (${width})` }).waitFor({ timeout: 5000 });
      await lookAt(m.page, width, 'meeting (manager)');
      await lookAt(t.page, width, 'meeting (teammate)');
    }, { critical: true });

    step(`${tag}: once the meeting has begun, the teammate rates it and the manager sees the answer`, async () => {
      const { m, t } = await pairAt(width);
      const wait = startsAt - Date.now() + 1500;
      if (wait > 0) await sleep(wait);
      await goto(t.page, `/meetings/${ids.meeting}`);
      const score = width === DESKTOP.width ? 4 : 5;
      await t.page.getByRole('radio', { name: new RegExp(`^${score}`) }).check();
      await t.page.locator('#f-rating-comment').fill(`Clear next steps (${width})`);
      const r = await clickAndNavigate(t.page, t.page.locator('#rating').getByRole('button', { name: /your answer$/ }));
      assert.equal(r.status(), 200);
      assert.match(await t.page.locator('[data-live="flash"]').innerText(), /your answer is saved/);
      await lookAt(t.page, width, 'meeting rated (teammate)');
      await goto(m.page, `/meetings/${ids.meeting}`);
      const shown = await m.page.locator('#rating').innerText();
      assert.match(shown, new RegExp(`${score} out of 5`));
      assert.match(shown, new RegExp(`Clear next steps \\(${width}\\)`));
    });

    step(`${tag}: follow-up: the manager ticks her action off on her actions page, in place`, async () => {
      const { m } = await pairAt(width);
      await goto(m.page, '/actions');
      const item = m.page.locator('.action-item', { hasText: `Share the rota template (${width})` });
      assert.equal(await item.count(), 1);
      await lookAt(m.page, width, 'actions');
      await m.page.evaluate(() => { window.stillHere = true; });
      await clickAndNavigate(m.page, item.locator('button.tick'));
      await item.waitFor({ state: 'detached', timeout: 5000 });
      assert.equal(await m.page.evaluate(() => window.stillHere), true, 'ticking reloaded the page');
      assert.notEqual(await m.page.evaluate(() => document.activeElement?.tagName), 'BODY', 'the focus is not lost');
      await goto(m.page, '/actions');
      assert.equal(await m.page.locator('.action-item', { hasText: `Share the rota template (${width})` }).count(), 0, 'it stays done');
    });
  }

  everyPagePassesAxe(helpers, 'every page of the loop passes axe (WCAG 2 A and AA) at both widths');

  it('no script errors on any page of the loop', () => {
    assert.deepEqual(problems, []);
  });
});
