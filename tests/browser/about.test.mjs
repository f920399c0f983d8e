// The about page and setback records in a real Chromium against the real binary: a manager
// keeps an about page on a teammate (a birthday five days ahead; a holiday whose end is before
// its start is refused next to the field), sees the birthday suggested with its reason on the
// prep page, records a blameless setback with one follow-up action and finds that action on
// the next 1:1. The teammate's prep shows none of the about page, and the page itself is not
// found for her. Every page is checked with axe (WCAG 2 A + AA), and on a phone width.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/about.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe,
  adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts, managerStartsWeeklyOneOnOnes, tomorrow,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MANAGER = { name: 'Amara Okafor', email: 'amara@example.com', timezone: 'UTC', password: 'people before process 2026' };
const TEAMMATE = { name: 'Jonas Weber', email: 'jonas@example.com', timezone: 'UTC', password: 'my own 1:1 agenda 2026' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('about', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, onPhone, step } = h;

/** The birthday five days from today (UTC), as typed (a birth year) and as rapport says it. */
function birthdayInFiveDays() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 5));
  const typed = `1992-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  const year = d.getUTCFullYear() === now.getUTCFullYear() ? '' : ` ${d.getUTCFullYear()}`;
  return { typed, said: `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year}` };
}

describe('the about page and setback records in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

  step('a manager sets up rapport, adds a teammate who signs in, and starts weekly 1:1s', async () => {
    const page = manager.page;
    ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);

    const invite = await anInvitationLink(page);
    await theInviteeAccepts(teammate.page, invite, server.baseUrl, TEAMMATE.password);

    await managerStartsWeeklyOneOnOnes(page, goto, ids.teammate, tomorrow());
  }, { critical: true });

  step('the manager fills the about page: interests, a birthday five days ahead, a holiday', async () => {
    const page = manager.page;
    await goto(page, `/people/${ids.teammate}`);
    await clickAndNavigate(page, page.getByRole('link', { name: 'About', exact: true }));
    assert.equal(new URL(page.url()).pathname, `/people/${ids.teammate}/about`);
    assert.match(await page.locator('.privacy').innerText(), /Only you see this page/);
    await checkA11y(page, '/people/<id>/about (empty)');

    await page.getByLabel('Interests', { exact: true }).fill('Rowing on Sundays; learning Portuguese');
    await page.getByLabel('Family', { exact: true }).fill('Partner Sam; a cat called Miso');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Save', exact: true }));
    assert.match(await page.getByRole('status').innerText(), /Saved/);

    const birthday = birthdayInFiveDays();
    ids.birthday = birthday.said;
    await page.getByLabel('What it is').first().fill('Birthday');
    await page.getByLabel('Date', { exact: true }).fill(birthday.typed);
    await page.getByLabel(/Every year/).check();
    await clickAndNavigate(page, page.getByRole('button', { name: 'Add the date' }));
    assert.match(await page.locator('#dates').innerText(), /Birthday[\s\S]*every year[\s\S]*in 5 days/);

    // A holiday that ends before it starts: refused, with the reason next to the last day.
    const off = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add the time off' }) });
    await off.getByLabel('What it is').fill('Trip to Porto');
    await off.getByLabel('First day off').fill('2031-08-20');
    await off.getByLabel('Last day off').fill('2031-08-10');
    const r = await clickAndNavigate(page, off.getByRole('button', { name: 'Add the time off' }));
    assert.equal(r.status(), 422);
    assert.match(await page.locator('#f-off-ends-error').innerText(), /end on or after its start/);
    assert.equal(await page.getByLabel('Last day off').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('What it is').last().inputValue(), 'Trip to Porto', 'what was typed is kept');
    await checkA11y(page, '/people/<id>/about (a problem)');
    await page.getByLabel('Last day off').fill('2031-08-30');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Add the time off' }));
    assert.match(await page.locator('#time-off').innerText(), /Trip to Porto[\s\S]*from 20 to 30 August 2031/);
    await checkA11y(page, '/people/<id>/about');
    await screenshot(page, 'about');
    await onPhone(manager, 'about');
  }, { critical: true });

  step('the prep page suggests the birthday with its reason, and links to the about page', async () => {
    const page = manager.page;
    await goto(page, '/meetings');
    await clickAndNavigate(page, page.getByRole('link', { name: /Prepare/ }).first());
    const m = new URL(page.url()).pathname.match(new RegExp(`^/meetings/(${UUID})/prep$`));
    assert.ok(m, `expected a prep page, got ${page.url()}`);
    ids.meeting = m[1];
    const suggestion = page.locator('.suggestions li').filter({ hasText: 'Birthday' });
    assert.equal(await suggestion.count(), 1, await page.locator('.suggestions').innerText());
    assert.match(await suggestion.innerText(), new RegExp(`Remember “Birthday”[\\s\\S]*Why: Birthday is on ${ids.birthday}, in 5 days\\.`));
    assert.equal(await page.getByRole('link', { name: `About ${TEAMMATE.name}` }).getAttribute('href'), `/people/${ids.teammate}/about`);
    await checkA11y(page, '/meetings/<id>/prep (manager)');
    await screenshot(page, 'about-prep');
  }, { critical: true });

  step('the manager records a setback with one follow-up action, gets a gentle hint, and finds the action on the next 1:1', async () => {
    const page = manager.page;
    await goto(page, `/people/${ids.teammate}`);
    await clickAndNavigate(page, page.getByRole('link', { name: 'Setbacks', exact: true }));
    assert.equal(new URL(page.url()).pathname, `/people/${ids.teammate}/setbacks`);
    await checkA11y(page, '/people/<id>/setbacks (empty)');
    await page.getByLabel('What happened', { exact: true }).fill('The data export missed the deadline by three days; it was a careless estimate.');
    // While typing: a gentle hint, which does not stop saving.
    const hint = page.locator('#f-facts-blame');
    await hint.waitFor({ state: 'visible' });
    assert.match(await hint.innerText(), /The facts mention “careless”/);
    await page.getByLabel('Competing priorities').check();
    await page.getByLabel('Unclear expectations').check();
    await page.getByLabel('What the manager will do differently').fill('Agree on the deadline in writing, and protect the week from other work.');
    await page.getByLabel('What we learned').fill('Estimates need the data size first.');
    await page.getByLabel('Action 1', { exact: true }).fill('Write down the export size before estimating');
    await clickAndNavigate(page, page.getByRole('button', { name: 'Save the record' }));
    assert.match(new URL(page.url()).pathname, new RegExp(`^/setbacks/${UUID}$`));
    assert.equal(await page.getByRole('status').filter({ hasText: 'Saved.' }).count(), 1);
    assert.match(await page.locator('main').innerText(), /mention “careless”\. Could you describe what happened instead/);
    await checkA11y(page, '/setbacks/<id>');
    await screenshot(page, 'setback');
    await onPhone(manager, 'setback');

    await clickAndNavigate(page, page.getByRole('link', { name: 'Write down the export size before estimating' }));
    assert.equal(new URL(page.url()).pathname, `/meetings/${ids.meeting}`);
    assert.match(await page.locator('main').innerText(), /Write down the export size before estimating/);

    await goto(page, `/people/${ids.teammate}/setbacks`);
    assert.match(await page.locator('main').innerText(), /The data export missed the deadline/);
    await checkA11y(page, '/people/<id>/setbacks');
    await screenshot(page, 'setbacks');
    await onPhone(manager, 'setbacks');
  });

  step('the teammate’s prep shows nothing of the about page, which is not found for her', async () => {
    const page = teammate.page;
    await goto(page, `/meetings/${ids.meeting}/prep`);
    const text = await page.locator('main').innerText();
    for (const secret of ['Birthday', 'Rowing', 'Miso', 'Porto']) {
      assert.ok(!text.includes(secret), `“${secret}” is on the teammate's prep page`);
    }
    assert.equal(await page.getByRole('link', { name: /^About / }).count(), 0);
    await checkA11y(page, '/meetings/<id>/prep (teammate)');
    const r = await goto(page, `/people/${ids.teammate}/about`);
    assert.equal(r.status(), 404);
    assert.ok(!(await page.locator('main').innerText()).includes('Rowing'));
    // The setback record is hers to read, with its follow-up.
    await goto(page, `/people/${ids.teammate}/setbacks`);
    assert.match(await page.locator('main').innerText(), /The data export missed the deadline[\s\S]*1 follow-up action/);
    assert.equal(await page.getByRole('button', { name: 'Save the record' }).count(), 1, 'she may record her own');
    await checkA11y(page, '/people/<id>/setbacks (teammate)');
    await onPhone(teammate, 'setbacks-teammate');
  });

  everyPagePassesAxe(h, 'every page passes axe (WCAG 2 A and AA)');
});
