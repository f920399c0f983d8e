// Guidance in a real Chromium against the real binary: a manager starts weekly 1:1s with a
// teammate, finds a question in the bank by purpose, adds it to their next 1:1 (the bank then
// marks it as used with her), writes and imports questions of his own (a broken file shows its
// line and column and adds nothing), and fills the next agenda from a template on the prep page.
// Every page is checked with axe (WCAG 2 A + AA), the bank on a phone width too.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/guidance.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  PHONE, clickAndNavigate, screenshot, journeyHelpers, twoPersonJourney, everyPagePassesAxe,
  adminSetsUpRapportAndAddsTeammate, managerStartsWeeklyOneOnOnes, tomorrow,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MANAGER = { name: 'Kofi Mensah', email: 'kofi@example.com', timezone: 'UTC', password: 'questions open doors 2026' };
const TEAMMATE = { name: 'Lena Berg', email: 'lena@example.com', timezone: 'UTC', password: 'the meeting is mine 2026' };

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('guidance', () => ({ server, browser, manager, teammate }));
const { goto, checkA11y, step } = h;

/** Marks the page; `stayed` then says whether it is still the same document (nothing reloaded). */
async function markPage(page) {
  await page.evaluate(() => { window.__marker = 'still here'; });
  return async (what) => assert.equal(await page.evaluate(() => window.__marker), 'still here', `${what} reloaded the page`);
}
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return { id: e?.id || '', tag: e?.tagName || '', text: (e?.textContent || '').trim(), label: e?.getAttribute('aria-label') || '' };
});

describe('guidance in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

  step('a manager sets up rapport, adds a teammate and starts weekly 1:1s', async () => {
    const page = manager.page;
    ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);

    await managerStartsWeeklyOneOnOnes(page, goto, ids.teammate, tomorrow());
  }, { critical: true });

  step('the manager finds a wellbeing question and adds it to the next 1:1 with her', async () => {
    const page = manager.page;
    await goto(page, '/questions');
    // The bank opens on one purpose, not hundreds of questions on one page; every purpose is a click away.
    const opened = Number((await page.locator('h2#list-h').innerText()).match(/^(\d+) questions/)[1]);
    assert.ok(opened > 10 && opened < 80, `opened on ${opened} questions`);
    await checkA11y(page, '/questions');
    await clickAndNavigate(page, page.getByRole('link', { name: 'show every purpose' }));
    assert.match(await page.locator('h2#list-h').innerText(), /^3\d\d questions/);
    await page.getByLabel('Purpose').selectOption('wellbeing');
    await page.getByLabel('For my 1:1 with').selectOption({ label: TEAMMATE.name });
    await clickAndNavigate(page, page.getByRole('button', { name: 'Show questions' }));
    const item = page.locator('.question-list li').filter({ hasText: 'How are you, really?' });
    assert.equal(await item.count(), 1);
    await clickAndNavigate(page, item.getByRole('button', { name: /^Add to my next 1:1 with/ }));
    assert.match(await page.locator('.notice[role="status"]').innerText(), new RegExp(`Added to the agenda of your next 1:1 with ${TEAMMATE.name}`));
    const used = page.locator('.question-list li.used');
    assert.equal(await used.count(), 1, 'marked as used, and listed last');
    assert.match(await used.innerText(), /How are you, really\?/);
    assert.match(await page.locator('.question-list li').last().innerText(), /How are you, really\?/);
    await checkA11y(page, '/questions (for a pair, one used)');
    await screenshot(page, 'questions');

    // On the phone: no sideways scrolling, axe passes.
    const phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await manager.context.storageState() });
    try {
      const p = await phone.newPage();
      await p.goto(page.url(), { waitUntil: 'load' });
      await checkA11y(p, '/questions (phone)');
      const wide = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= PHONE.width + 1, `the bank scrolls sideways on a phone (${wide}px wide)`);
      await screenshot(p, 'questions-phone');
    } finally {
      await phone.close();
    }
  }, { critical: true });

  step('he writes a question of his own, and a broken import adds nothing', async () => {
    const page = manager.page;
    await goto(page, '/questions');
    await page.getByLabel('Question', { exact: true }).fill('What would make on-call weeks lighter?');
    await page.getByLabel('Wellbeing').check();
    await clickAndNavigate(page, page.getByRole('button', { name: 'Add my question' }));
    assert.match(await page.locator('.question-list').innerText(), /What would make on-call weeks lighter\?\s+Wellbeing\s+Yours/);

    await page.getByLabel('Format').selectOption('md');
    await page.getByLabel('Paste the file').fill('- [plans] What is your next step?\n- [nope] Not a purpose?\n');
    const r = await clickAndNavigate(page, page.getByRole('button', { name: 'Import', exact: true }));
    assert.equal(r.status(), 422);
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /Nothing was imported/);
    assert.match(alert, /Line 2, column 4: "nope" is not a purpose/);
    await checkA11y(page, '/questions (import problems)');
    assert.doesNotMatch(await page.locator('.question-list').innerText(), /What is your next step\?/);
  });

  step('on the prep page he fills the agenda from a template; a bad template of his own is refused', async () => {
    const page = manager.page;
    await goto(page, '/meetings');
    await clickAndNavigate(page, page.getByRole('link', { name: /Prepare/ }).first());
    const m = new URL(page.url()).pathname.match(new RegExp(`^/meetings/(${UUID})/prep$`));
    assert.ok(m, `expected a prep page, got ${page.url()}`);
    ids.meeting = m[1];
    assert.match(await page.locator('#questions-h').innerText(), /Questions not yet asked/);
    await checkA11y(page, '/meetings/<id>/prep');
    await page.getByLabel('Fill the agenda from a template').selectOption({ label: 'Career conversation' });
    await clickAndNavigate(page, page.getByRole('button', { name: 'Apply the template' }));
    assert.equal(new URL(page.url()).pathname, `/meetings/${ids.meeting}`);
    const agenda = await page.locator('main').innerText();
    assert.match(agenda, /How are you, really\?/);
    assert.match(agenda, /Where would you like to be in two or three years\?/);

    await goto(page, '/templates');
    await checkA11y(page, '/templates');
    await page.getByLabel('Name').fill('Quarter start');
    await page.getByLabel('Prompts, one per line').fill('[strategy] This quarter’s priorities\n[fun] Nope');
    const r = await clickAndNavigate(page, page.getByRole('button', { name: 'Save the template' }));
    assert.equal(r.status(), 422);
    assert.match(await page.locator('#t-prompts-err').innerText(), /"fun" is not a purpose/);
    await checkA11y(page, '/templates (problems)');
  });

  step('he imports templates from a Markdown file: a misspelt placeholder is named, the fixed file fills the agenda with her name', async () => {
    const page = manager.page;
    await goto(page, '/templates');
    const io = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Import and export your templates' }) });
    await io.getByLabel('Format').selectOption('md');
    await io.getByLabel('Paste the file').fill('# Team change\n- [strategy] {teamate}, what questions do you have about the new team?\n');
    const r = await clickAndNavigate(page, io.getByRole('button', { name: 'Import', exact: true }));
    assert.equal(r.status(), 422);
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /Nothing was imported/);
    assert.match(alert, /Line 2, column 14: \{teamate\} is not a placeholder/);
    await checkA11y(page, '/templates (import problems)');
    await screenshot(page, 'templates-import-problems');

    const fixed = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Import and export your templates' }) });
    await fixed.getByLabel('Paste the file').fill('# Team change\n- [strategy] {teammate}, what questions do you have about the new team?\n');
    await clickAndNavigate(page, fixed.getByRole('button', { name: 'Import', exact: true }));
    assert.match(await page.locator('.notice[role="status"]').innerText(), /Imported 1 template/);

    await goto(page, `/meetings/${ids.meeting}/prep`);
    await page.getByLabel('Fill the agenda from a template').selectOption({ label: 'Team change' });
    await clickAndNavigate(page, page.getByRole('button', { name: 'Apply the template' }));
    assert.match(await page.locator('main').innerText(), new RegExp(`${TEAMMATE.name.split(' ')[0]}, what questions do you have about the new team\\?`));
  });


  step('the question bank changes in place: his question is refused, added, made a favourite and deleted without a reload; the focus stays; filters still navigate', async () => {
    const page = manager.page;
    await goto(page, '/questions?purpose=support');
    const stayed = await markPage(page);

    // Refused: the problem next to the field, the focus on it, the address unchanged.
    await page.locator('#own-text').fill('');
    let r = await clickAndNavigate(page, page.getByRole('button', { name: 'Add my question' }));
    assert.equal(r.status(), 422);
    await stayed('a refused question');
    assert.equal(await page.locator('#own-text-err').innerText(), 'Write the question.');
    assert.equal((await focused(page)).id, 'own-text');
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/questions?purpose=support');
    await checkA11y(page, '/questions (refused in place)');

    // Added: listed, confirmed, and the form's button keeps the focus.
    await page.locator('#own-text').fill('Which part of the week drains you most?');
    await page.locator('#own-p-support').check();
    r = await clickAndNavigate(page, page.getByRole('button', { name: 'Add my question' }));
    assert.equal(r.status(), 200);
    await stayed('adding a question');
    const item = page.locator('.question-list li', { hasText: 'Which part of the week drains you most?' });
    assert.equal(await item.count(), 1);
    assert.match(await page.locator('.notice[role="status"]').innerText(), /Your question is added/);
    assert.equal((await focused(page)).text, 'Add my question');
    assert.equal(await page.locator('#own-text').inputValue(), '');

    // A favourite: the same button, pressed now, keeps the focus (favourites move to the top).
    await clickAndNavigate(page, item.getByRole('button', { name: /^Add to favourites:/ }));
    await stayed('a favourite');
    assert.equal(await item.getByRole('button', { name: /^Remove from favourites:/ }).getAttribute('aria-pressed'), 'true');
    assert.match((await focused(page)).label, /^Remove from favourites: Which part of the week drains you most\?/);

    // Deleted: gone, confirmed, and the list's heading takes the focus.
    await clickAndNavigate(page, item.getByRole('button', { name: /^Delete your question:/ }));
    await stayed('deleting a question');
    assert.equal(await item.count(), 0);
    assert.match(await page.locator('.notice[role="status"]').innerText(), /Your question is deleted/);
    assert.equal((await focused(page)).id, 'list-h');
    await checkA11y(page, '/questions (after changes in place)');

    // The filters are an ordinary search: a new page, with its own address.
    await page.getByLabel('Purpose').selectOption('career');
    r = await clickAndNavigate(page, page.getByRole('button', { name: 'Show questions' }));
    assert.ok(r.request().isNavigationRequest(), 'the filters navigate');
    assert.equal(await page.evaluate(() => window.__marker), undefined);
    assert.match(page.url(), /purpose=career/);
  });

  step('the templates page changes in place: a template is refused, saved and deleted without a reload; the focus stays', async () => {
    const page = manager.page;
    await goto(page, '/templates');
    const stayed = await markPage(page);
    const write = page.locator('#write');

    await write.getByLabel('Prompts, one per line').fill('How did the week end?');
    let r = await clickAndNavigate(page, write.getByRole('button', { name: 'Save the template' }));
    assert.equal(r.status(), 422);
    await stayed('a refused template');
    assert.match(await page.locator('#t-name-err').innerText(), /Give the template a name/);
    assert.equal((await focused(page)).id, 't-name');
    assert.equal(new URL(page.url()).pathname, '/templates');

    await page.locator('#t-name').fill('Friday wrap-up');
    r = await clickAndNavigate(page, write.getByRole('button', { name: 'Save the template' }));
    assert.equal(r.status(), 200);
    await stayed('saving a template');
    assert.equal(await page.locator('.template-list h2', { hasText: 'Friday wrap-up' }).count(), 1);
    assert.match(await page.locator('.notice[role="status"]').innerText(), /Your template is saved/);
    assert.equal((await focused(page)).text, 'Save the template');
    assert.equal(await page.locator('#t-name').inputValue(), '');
    await checkA11y(page, '/templates (saved in place)');

    await clickAndNavigate(page, page.getByRole('button', { name: 'Delete the template Friday wrap-up' }));
    await stayed('deleting a template');
    assert.equal(await page.locator('.template-list h2', { hasText: 'Friday wrap-up' }).count(), 0);
    assert.match(await page.locator('.notice[role="status"]').innerText(), /The template is deleted/);
    assert.equal((await focused(page)).tag, 'H1');
  });

  everyPagePassesAxe(h, 'every guidance page passes axe (WCAG 2 A and AA)');
});
