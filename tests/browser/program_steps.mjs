// Steps of the first ten 1:1s journey, one function each, so a longer journey can reuse them.
// Each takes the journey helpers of support.mjs (`goto`, `checkA11y`, `onPhone`) and the people
// ({ context, page }) it acts as; `ids` collects what later steps need (teammate, series, meeting).
import assert from 'node:assert/strict';

import {
  clickAndNavigate, screenshot, adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts,
  managerStartsWeeklyOneOnOnes, tomorrow,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const MANAGER = { name: 'Amara Okafor', email: 'amara@example.com', timezone: 'UTC', password: 'ten good beginnings 2026' };
export const TEAMMATE = { name: 'Jonas Weber', email: 'jonas@example.com', timezone: 'UTC', password: 'how I like to work 2026' };

/** The admin-manager sets up rapport, adds a teammate who accepts, and starts weekly 1:1s. */
export async function setUpPair({ goto }, manager, teammate, ids, baseUrl) {
  const page = manager.page;
  ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, goto, MANAGER, TEAMMATE);
  const invite = await anInvitationLink(page);
  await theInviteeAccepts(teammate.page, invite, baseUrl, TEAMMATE.password);

  await managerStartsWeeklyOneOnOnes(page, goto, ids.teammate, tomorrow());
  // Starting 1:1s lands on the kickoff note for the teammate (kickoff_steps.mjs covers it).
  const s = new URL(page.url()).pathname.match(new RegExp(`^/series/(${UUID})/kickoff$`));
  assert.ok(s, `expected the kickoff note of the new series, got ${page.url()}`);
  ids.series = s[1];
}

/** The overview of one's pairs, reached from "Your 1:1s": the new pair is not started yet. */
export async function managerSeesTheOverview({ goto, checkA11y, onPhone }, manager, teammateName = TEAMMATE.name) {
  const page = manager.page;
  await goto(page, '/meetings');
  await clickAndNavigate(page, page.getByRole('link', { name: 'The first ten 1:1s' }));
  assert.equal(new URL(page.url()).pathname, '/program');
  assert.match(await page.locator('.program-pairs').innerText(), new RegExp(`${teammateName}[\\s\\S]*Not started`));
  await checkA11y(page, '/program');
  await screenshot(page, 'programs');
  await onPhone(manager, 'programs');
}

/** From the series page: "Start the program"; the program page shows session 1 of 10. */
export async function managerStartsTheProgram({ goto, checkA11y, onPhone }, manager, ids) {
  const page = manager.page;
  await goto(page, `/series/${ids.series}`);
  await checkA11y(page, '/series/<id> (program not started)');
  await clickAndNavigate(page, page.getByRole('button', { name: 'Start the program' }));
  assert.equal(new URL(page.url()).pathname, `/series/${ids.series}/program`);
  assert.match(await page.locator('.program-label').first().innerText(), /Session 1 of 10: Getting to know each other/);
  assert.equal(await page.locator('ol.sessions > li').count(), 10);
  await checkA11y(page, '/series/<id>/program');
  await screenshot(page, 'program');
  await onPhone(manager, 'program');
}

/** Session 1 into the next 1:1 from the program page: the meeting page lists its questions. */
export async function managerRunsSessionOne({ checkA11y, onPhone }, manager, ids) {
  const page = manager.page;
  const first = page.locator('#s-getting-to-know');
  await clickAndNavigate(page, first.getByRole('button', { name: /^Run session 1/ }));
  const m = new URL(page.url()).pathname.match(new RegExp(`^/meetings/(${UUID})$`));
  assert.ok(m, `expected the meeting page, got ${page.url()}`);
  ids.meeting = m[1];
  const agenda = await page.locator('#agenda').innerText();
  assert.match(agenda, /What is something about you that most people at work don't know\?/);
  assert.match(agenda, /What did you do before this job that still shapes how you work\?/);
  const panel = page.locator('#program');
  assert.match(await panel.innerText(), /Session 1: Getting to know each other/);
  assert.match(await panel.innerText(), /What to capture: What you learned about each other/);
  await checkA11y(page, '/meetings/<id> (session 1 here)');
  await screenshot(page, 'program-meeting');
  await onPhone(manager, 'program-meeting');
}

/** The capture form on the meeting page: empty is refused by its field; then it is saved. */
export async function managerCapturesAndProgressMovesOn({ checkA11y }, manager) {
  const page = manager.page;
  const panel = page.locator('#program');
  let r = await clickAndNavigate(page, panel.getByRole('button', { name: /^Capture/ }));
  assert.equal(r.status(), 422);
  assert.match(await page.locator('#cap-getting-to-know-body-error').innerText(), /Write something here/);
  await checkA11y(page, '/meetings/<id> (capture refused)');
  await page.getByLabel('What you learned about each other').fill('Jonas sails on Lake Constance and is learning Portuguese.');
  r = await clickAndNavigate(page, page.locator('#program').getByRole('button', { name: /^Capture/ }));
  assert.equal(r.status(), 200);
  assert.match(await page.getByRole('status').first().innerText(), /Captured/);
  assert.match(await page.locator('#program .program-label').innerText(), /Session 2 of 10: How we will use our 1:1s/);
  assert.match(await page.locator('#notes').innerText(), /Jonas sails on Lake Constance/);
}

/** On the program page: session 1 is done (folded), one is skipped, another moved up. */
export async function managerSkipsAndReorders({ goto, checkA11y }, manager, ids) {
  const page = manager.page;
  await goto(page, `/series/${ids.series}/program`);
  assert.match(await page.locator('#s-getting-to-know .state').innerText(), /Done/);
  assert.match(await page.locator('#s-using-one-on-ones .state').innerText(), /Next/);
  await clickAndNavigate(page, page.locator('#s-strengths').getByRole('button', { name: /^Skip/ }));
  assert.match(await page.locator('#s-strengths .state').innerText(), /Skipped/);
  await clickAndNavigate(page, page.locator('#s-career').getByRole('button', { name: /up$/ }));
  assert.equal((await page.locator('#s-career .session-number').innerText()).trim(), '8');
  assert.equal((await page.locator('ol.sessions > li').nth(7).getAttribute('id')), 's-career');
  await checkA11y(page, '/series/<id>/program (done, skipped, moved)');
  await screenshot(page, 'program-later');
}

/** The teammate writes two sections, saves a draft, then shares it with the manager. */
export async function teammateWritesAndShares({ goto, checkA11y, onPhone }, teammate, ids) {
  const page = teammate.page;
  await goto(page, `/people/${ids.teammate}`);
  await clickAndNavigate(page, page.getByRole('link', { name: 'How to work with me' }));
  await checkA11y(page, '/people/<id>/work-with-me (empty)');
  await page.getByLabel('How I like to communicate').fill('Chat for quick things; a call when we are going round in circles.');
  await page.getByLabel('How I like feedback').fill('Straight away and in private, **with an example**.');
  await clickAndNavigate(page, page.getByRole('button', { name: 'Save' }));
  assert.match(await page.getByRole('status').innerText(), /Only you see it until you share it/);
  await clickAndNavigate(page, page.getByRole('button', { name: 'Share with my manager' }));
  assert.match(await page.getByRole('status').innerText(), /Shared/);
  await checkA11y(page, '/people/<id>/work-with-me (shared)');
  await screenshot(page, 'work-with-me');
  await onPhone(teammate, 'work-with-me');
}

/** The manager finds it from the meeting's prep view and reads it. */
export async function managerReadsIt({ goto, checkA11y }, manager, ids, teammateName = TEAMMATE.name) {
  const page = manager.page;
  await goto(page, `/meetings/${ids.meeting}/prep`);
  assert.match(await page.locator('#program').innerText(), /The first ten 1:1s/);
  await checkA11y(page, '/meetings/<id>/prep (program)');
  await clickAndNavigate(page, page.getByRole('link', { name: 'Read it before you meet' }));
  assert.equal(new URL(page.url()).pathname, `/people/${ids.teammate}/work-with-me`);
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(`How to work with ${teammateName}`));
  assert.match(text, /a call when we are going round in circles/);
  assert.equal(await page.locator('main strong', { hasText: 'with an example' }).count(), 1, 'Markdown is shown as text with emphasis');
  await checkA11y(page, '/people/<id>/work-with-me (read by the manager)');
  await screenshot(page, 'work-with-me-read');
}
