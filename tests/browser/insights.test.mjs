// The leader's view in a real Chromium against the real binary, on the demo organisation (its
// history has months of whole weeks): Maya Okafor, who leads five managers (and is the admin),
// opens the view of the organisation from her home. The teams of five and more are shown with a chart; the teams
// of four (Ingrid Larsen's and Samuel Mensah's) show nothing, not even their size, and the page
// says why; "Other teams" and "Everyone" hold them. She switches to four weeks and downloads
// the CSV, which says the same. A manager of one team (Aiko Tanaka) sees only her own team. Every
// page is checked with axe (WCAG 2 A + AA), at 1280 px and on a phone.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/insights.test.mjs
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import { clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe } from './support.mjs';

const PASSWORD = 'rapport-demo';
const DIRECTOR = 'maya.okafor@demo.rapport.example';
const MANAGER = 'aiko.tanaka@demo.rapport.example';

let server;
let browser;
let manager;
let teammate;

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('insights', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, onPhone, step } = h;

async function signIn(page, email) {
  await goto(page, '/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await clickAndNavigate(page, page.getByRole('button', { name: 'Sign in' }));
  assert.ok(!new URL(page.url()).pathname.startsWith('/sign-in'), `${email} could not sign in`);
}

/** The cells of the row headed `name` in the table `table`, as shown. */
async function cells(table, name) {
  const row = table.getByRole('row', { name: new RegExp(`^${name}\\b`) });
  assert.equal(await row.count(), 1, `one row for ${name}`);
  return row.locator('td').allInnerTexts();
}

describe('the leader’s view in a browser', { timeout: 300_000 }, () => {
  // `manager` is the director here, `teammate` a manager of one team.
  twoPersonJourney(h, set, { demo: true });

  step('the director signs in and opens her organisation’s view from her home', async () => {
    const page = manager.page;
    await signIn(page, DIRECTOR);
    await goto(page, '/meetings');
    await clickAndNavigate(page, page.getByRole('link', { name: 'Your organisation' }));
    assert.equal(new URL(page.url()).pathname, '/insights');
    // She is the demo's admin too: her view is the whole organisation's.
    assert.match(await page.locator('h1').innerText(), /The organisation’s 1:1s/);
  }, { critical: true });

  step('teams of five and more are shown with a chart; the teams of four show nothing, and the page says why', async () => {
    const page = manager.page;
    const table = page.getByRole('table', { name: /team by team/ });
    const aiko = await cells(table, 'Aiko Tanaka');
    assert.equal(aiko[0], '5', 'Aiko’s team of five');
    assert.match(aiko[1], /^\d+ %$/, 'its 1:1s held');
    for (const small of ['Ingrid Larsen', 'Samuel Mensah']) {
      const row = await cells(table, small);
      assert.equal(row[0], 'under 5', `${small}’s team size is not shown`);
      assert.ok(row.slice(1).every((c) => /not shown/.test(c)), `${small}: ${row.join(' | ')}`);
    }
    assert.match(await page.locator('.notice.info').innerText(), /Not shown on their own.*Ingrid Larsen, Samuel Mensah/);
    const others = await cells(table, 'Other teams');
    assert.ok(Number(others[0]) >= 5, `other teams hold five people or more: ${others[0]}`);
    assert.match(others[1], /^\d+ %$/);
    assert.equal(await page.locator('figure.practice-chart svg').count(), 1, 'a chart of the teams shown');
    await checkA11y(page, 'the organisation’s view');
    await screenshot(page, 'insights');
    await onPhone(manager, 'insights');
  });

  step('she switches to four weeks and downloads the CSV, which says the same', async () => {
    const page = manager.page;
    await clickAndNavigate(page, page.getByRole('link', { name: '4 weeks' }));
    assert.equal(new URL(page.url()).search, '?weeks=4');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'organisation-4-weeks.csv');
    const text = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
    const lines = text.trim().split(/\r?\n/);
    assert.match(lines[0], /^row,name,weeks,people,1:1s held as planned,/);
    assert.ok(lines.some((l) => /^team,Ingrid Larsen,4,,,,/.test(l)), text);
    assert.ok(lines.some((l) => /^team,Aiko Tanaka,4,5,\d/.test(l)), text);
    assert.match(lines.at(-1), /^everyone,Everyone,4,\d+,/);
  });

  step('a manager of one team sees her own team only', async () => {
    const page = teammate.page;
    await signIn(page, MANAGER);
    await goto(page, '/insights');
    const table = page.getByRole('table', { name: /team by team/ });
    const rows = await table.getByRole('row').allInnerTexts();
    assert.ok(rows.some((r) => r.startsWith('Aiko Tanaka')), rows.join('\n'));
    assert.ok(!rows.some((r) => /Ingrid Larsen|Tomás Herrera/.test(r)), rows.join('\n'));
    await checkA11y(page, 'a manager’s own view');
  });

  everyPagePassesAxe(h, 'every page of the leader’s view passes axe');
});
