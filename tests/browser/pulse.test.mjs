// The pulse in a real Chromium against the real binary: the teammate answers the pulse of
// tomorrow's 1:1 on the home page (first without one answer, which is refused next to its
// question with the rest kept), and the home stops asking; the manager sees the answers on the
// meeting page and in prep, with the suggestion the low energy causes (this organisation asks
// to hear of one low answer: `pulse_low_times = 1`) and the trend with its table. Every page is
// checked with axe (WCAG 2 A + AA), at 1280 px and on a phone. Then the manager opens her own
// practice, switches to four weeks and downloads its CSV.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/pulse.test.mjs
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import {
  clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe,
  adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts, managerStartsWeeklyOneOnOnes, tomorrow,
} from './support.mjs';

const MANAGER = { name: 'Amara Okafor', email: 'amara@example.com', timezone: 'UTC', password: 'people before process 2026' };
const TEAMMATE = { name: 'Jonas Weber', email: 'jonas@example.com', timezone: 'UTC', password: 'my own 1:1 agenda 2026' };

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('pulse', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, onPhone, step } = h;

describe('the pulse in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set, { config: '[guidance]\npulse_low_times = 1\n' });

  step('a manager sets up rapport, adds a teammate who signs in, and starts weekly 1:1s from tomorrow', async () => {
    const page = manager.page;
    ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);
    const invite = await anInvitationLink(page);
    await theInviteeAccepts(teammate.page, invite, server.baseUrl, TEAMMATE.password);
    await managerStartsWeeklyOneOnOnes(page, goto, ids.teammate, tomorrow());
  }, { critical: true });

  step('the teammate answers the pulse on the home page; a missing answer is named and the rest kept', async () => {
    const page = teammate.page;
    await goto(page, '/meetings');
    const ask = page.locator('details.pulse-ask');
    await ask.waitFor();
    ids.meeting = (await ask.getAttribute('id')).replace('pulse-', '');
    await checkA11y(page, 'home asking for the pulse');
    await screenshot(page, 'pulse-home-ask');
    await onPhone(teammate, 'pulse-home-ask');

    await ask.getByRole('group', { name: 'How is your energy these days?' }).locator('input[value="2"]').check();
    await ask.getByRole('group', { name: 'Overall, how are things going for you at work?' }).locator('input[value="4"]').check();
    await ask.getByLabel('Anything behind your answers?').fill('Two releases in one week');
    const refused = await clickAndNavigate(page, ask.getByRole('button', { name: 'Send your answers' }));
    assert.equal(refused.status(), 422);
    const workload = page.getByRole('group', { name: 'How manageable is your workload?' });
    assert.match(await workload.innerText(), /Answer “How manageable is your workload\?” from 1 to 5\./);
    assert.equal(await page.getByRole('group', { name: 'How is your energy these days?' }).locator('input[value="2"]').isChecked(), true);
    assert.equal(await page.getByLabel('Anything behind your answers?').inputValue(), 'Two releases in one week');
    await checkA11y(page, 'meeting page with a refused pulse');

    await workload.locator('input[value="3"]').check();
    await clickAndNavigate(page, page.getByRole('button', { name: 'Send your answers' }));
    assert.equal(new URL(page.url()).pathname, `/meetings/${ids.meeting}`);
    assert.match(await page.locator('.notice').first().innerText(), /your answers are saved/);
    await goto(page, '/meetings');
    assert.equal(await page.locator('details.pulse-ask').count(), 0, 'the home no longer asks');
  }, { critical: true });

  step('the manager reads the answers on the meeting page, and in prep with its suggestion and trend', async () => {
    const page = manager.page;
    await goto(page, `/meetings/${ids.meeting}`);
    const card = page.locator('#pulse');
    assert.match(await card.locator('h2').innerText(), /Jonas Weber’s pulse/);
    const shown = await card.innerText();
    assert.match(shown, /Energy\s+2 of 5/);
    assert.match(shown, /Workload\s+3 of 5/);
    assert.match(shown, /Two releases in one week/);
    assert.equal(await card.locator('input[type="radio"]').count(), 0, 'the manager cannot answer it');
    await checkA11y(page, 'meeting page with the pulse (manager)');

    await goto(page, `/meetings/${ids.meeting}/prep`);
    const suggestions = await page.locator('.suggestions').innerText();
    assert.match(suggestions, /Make room for “Energy”/);
    assert.match(suggestions, /Energy was 2 out of 5 in the last pulse\./);
    const trend = page.locator('#pulse');
    assert.equal(await trend.locator('svg.pulse-line').count(), 3, 'a line per question');
    await trend.getByText('The answers as a table').click();
    const row = await trend.getByRole('row', { name: /Energy/ }).innerText();
    assert.match(row, /Energy\s+2/);
    await checkA11y(page, 'prep with the pulse');
    await screenshot(page, 'pulse-prep');
    await onPhone(manager, 'pulse-prep');
  });

  step('the manager opens her own practice: figures with what to try next, a chart and its table, a CSV', async () => {
    const page = manager.page;
    await goto(page, '/meetings');
    await clickAndNavigate(page, page.getByRole('link', { name: 'Your practice' }));
    assert.equal(new URL(page.url()).pathname, '/practice');
    assert.match(await page.locator('.privacy').innerText(), /Only you see this page/);
    assert.equal(await page.locator('.figure').count(), 7, 'seven figures');
    assert.equal(await page.getByRole('row', { name: /Jonas Weber/ }).count(), 1, 'a row for the teammate');
    await clickAndNavigate(page, page.getByRole('link', { name: '4 weeks' }));
    assert.equal(new URL(page.url()).search, '?weeks=4');
    const csv = await page.request.get(`${server.baseUrl}/practice.csv?weeks=4`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^person,weeks,/);
    await checkA11y(page, 'your practice');
    await screenshot(page, 'practice');
    await onPhone(manager, 'practice');
  });

  step('the manager opens the view of her organisation: nothing drawn from fewer than five people', async () => {
    const page = manager.page;
    await goto(page, '/meetings');
    await clickAndNavigate(page, page.getByRole('link', { name: 'Your organisation' }));
    assert.equal(new URL(page.url()).pathname, '/insights');
    assert.match(await page.locator('.privacy').innerText(), /fewer than five people is not shown/);
    // Her 1:1s begin tomorrow: no whole week of them yet.
    assert.match(await page.locator('#teams-h + .empty-note').innerText(), /No 1:1s took place/);
    const csv = await page.request.get(`${server.baseUrl}/insights.csv?weeks=12`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^row,name,weeks,people,/);
    await checkA11y(page, 'your organisation');
    await onPhone(manager, 'insights');
  });

  everyPagePassesAxe(h, 'every page of the pulse journey passes axe');
});
