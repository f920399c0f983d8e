// The kickoff journey's steps, as functions of the journey's state, shared by kickoff.test.mjs
// and the longer first_steps.test.mjs (a module of its own, so importing it runs no test).
import assert from 'node:assert/strict';

import {
  clickAndNavigate, screenshot, adminSetsUpRapportAndAddsTeammate, anInvitationLink, theInviteeAccepts,
  managerStartsWeeklyOneOnOnes,
} from './support.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const MANAGER = { name: 'Tomás Ruiz', email: 'tomas@example.com', timezone: 'UTC', password: 'a start without fear 2026' };
export const TEAMMATE = { name: 'Amara Okafor', email: 'amara@example.com', timezone: 'UTC', password: 'my meeting my topics 2026' };

/** The first weekday at least two days from now, as YYYY-MM-DD (UTC). */
export function firstWeekdayAfterTomorrow() {
  const d = new Date(Date.now() + 2 * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The manager sets rapport up, adds the teammate, and makes her invitation link. */
export async function managerAddsTeammate({ page }, h, ids) {
  ids.teammate = await adminSetsUpRapportAndAddsTeammate(page, h.goto, MANAGER, TEAMMATE);
  ids.invite = await anInvitationLink(page);
}

/** The teammate accepts, and keeps weekday mornings for deep work. */
export async function teammateJoinsAndSetsFocusHours({ page }, h, ids, baseUrl) {
  await theInviteeAccepts(page, ids.invite, baseUrl, TEAMMATE.password);
  await h.goto(page, '/settings');
  await clickAndNavigate(page, page.getByRole('link', { name: 'focus hours' }));
  await h.checkA11y(page, '/settings/focus');
  // Weekdays are ticked by default; a wrong order of times is named next to the field.
  await page.getByLabel('From').fill('12:00');
  await page.getByLabel('Until').fill('09:00');
  const bad = await clickAndNavigate(page, page.getByRole('button', { name: 'Save focus hours' }));
  assert.equal(bad.status(), 422);
  assert.match(await page.locator('#f-end-error').innerText(), /end after they start/);
  await h.checkA11y(page, '/settings/focus (problem)');
  await page.getByLabel('From').fill('09:00');
  await page.getByLabel('Until').fill('12:00');
  await clickAndNavigate(page, page.getByRole('button', { name: 'Save focus hours' }));
  assert.match(await page.getByRole('status').innerText(), /Saved/);
  await screenshot(page, 'kickoff-focus-hours');
}

/** The manager starts weekly 1:1s in her focus hours and lands on the kickoff note, warned. */
export async function managerStartsOneOnOnes(who, h, ids) {
  const { page } = who;
  ids.firstDate = firstWeekdayAfterTomorrow();
  await managerStartsWeeklyOneOnOnes(page, h.goto, ids.teammate, ids.firstDate);
  const m = new URL(page.url()).pathname.match(new RegExp(`^/series/(${UUID})/kickoff$`));
  assert.ok(m, `expected the kickoff page, got ${page.url()}`);
  ids.series = m[1];
  assert.match(await page.locator('h1').innerText(), new RegExp(`Tell ${TEAMMATE.name} about your 1:1s`));
  const warning = await page.locator('.notice.warning').innerText();
  assert.match(warning, /Before you send/);
  assert.match(warning, /falls in Amara's focus hours \(Mon–Fri 09:00–12:00, UTC\)/);
  assert.match(await page.locator('.letter').innerText(), /^Our 1:1s: what they are for\s+Hi Amara,/);
  await h.checkA11y(page, '/series/<id>/kickoff (draft, warned)');
  await screenshot(page, 'kickoff-draft');
  await h.onPhone(who, 'kickoff-draft');
}

/** He makes the note his own, previews it (a typo in a placeholder is caught), and sends it. */
export async function managerEditsAndSendsTheNote({ page }, h) {
  const body = page.getByLabel('Message');
  const draft = await body.inputValue();
  await body.fill(draft.replace('Hi {name},', 'Hi {name}, welcome to the team!').replace('{first}', '{frist}'));
  const bad = await clickAndNavigate(page, page.getByRole('button', { name: 'Preview' }));
  assert.equal(bad.status(), 422);
  assert.match(await page.locator('#f-body-error').innerText(), /\{frist\} \(line \d+, column \d+\) is not a placeholder/);
  await h.checkA11y(page, '/series/<id>/kickoff (problem)');
  await body.fill((await body.inputValue()).replace('{frist}', '{first}'));
  await clickAndNavigate(page, page.getByRole('button', { name: 'Preview' }));
  assert.match(await page.getByRole('status').first().innerText(), /Nothing is saved or sent yet/);
  assert.match(await page.locator('.letter').innerText(), /Hi Amara, welcome to the team!/);
  await clickAndNavigate(page, page.getByRole('button', { name: 'Send to Amara' }));
  assert.match(await page.getByRole('status').innerText(), /Sent\. Amara finds it/);
  assert.match(await page.locator('#sent-h').innerText(), /^Sent /);
  assert.match(await page.locator('main').innerText(), /has not opened it yet/);
  await h.checkA11y(page, '/series/<id>/kickoff (sent)');
}

/** She sees the note first: on her 1:1s page, then the note itself, her messages and the series. */
export async function teammateSeesTheNoteFirst(who, h, ids) {
  const { page } = who;
  await h.goto(page, '/meetings');
  const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'About your 1:1s' }) });
  assert.match(await card.innerText(), /new\s+Our 1:1s: what they are for\s+from Tomás Ruiz/i);
  const first = await page.locator('main section').first().innerText();
  assert.match(first, /About your 1:1s/, 'the note comes before anything else on her page');
  await h.checkA11y(page, '/meetings (a note received)');
  await clickAndNavigate(page, card.getByRole('link', { name: 'Our 1:1s: what they are for' }));
  assert.match(await page.locator('h1').innerText(), /Tomás Ruiz wrote to you about your 1:1s/);
  const note = await page.locator('main').innerText();
  assert.match(note, /Hi Amara, welcome to the team!/);
  assert.match(note, /The meeting is yours\./);
  assert.doesNotMatch(note, /Before you send|focus hours/);
  const start = new Date(`${ids.firstDate}T10:00:00Z`);
  assert.ok(start.getTime() > Date.now(), 'she reads it before the first meeting');
  await h.checkA11y(page, '/series/<id>/kickoff (teammate)');
  await screenshot(page, 'kickoff-teammate');
  await h.onPhone(who, 'kickoff-teammate');
  // The way to her first agenda is one click away.
  assert.equal(await page.getByRole('link', { name: 'Add a topic to the first 1:1' }).count(), 1);

  // In her messages too (the worker delivers within a few seconds).
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await h.goto(page, '/messages');
    found = (await page.locator('main').innerText()).includes('Our 1:1s: what they are for');
    if (!found) await new Promise((r) => setTimeout(r, 1000));
  }
  assert.ok(found, 'the note arrives in her messages');
  await h.goto(page, `/series/${ids.series}`);
  assert.match(await page.locator('#kickoff-h').innerText(), /A note from Tomás Ruiz/);
}

/** Back on his side, he sees that she read it. */
export async function managerSeesItWasRead({ page }, h, ids) {
  await h.goto(page, `/series/${ids.series}/kickoff`);
  assert.match(await page.locator('main').innerText(), /Amara read it /);
  await h.goto(page, `/series/${ids.series}`);
  assert.match(await page.locator('#kickoff-h + p').innerText(), /Sent .*, read\./);
}

/** He shares a quarter's priorities with his organisation; it lands on her first agenda. */
export async function managerSharesATalkingPoint(managerWho, teammateWho, h, ids) {
  const page = managerWho.page;
  await h.goto(page, '/questions');
  await clickAndNavigate(page, page.getByRole('link', { name: 'Share with your organisation' }));
  await h.checkA11y(page, '/strategy');
  await page.getByLabel('What should every pair talk about?').fill('Q1: fewer, better launches. What would you stop doing?');
  await clickAndNavigate(page, page.getByRole('button', { name: 'See who it reaches' }));
  assert.match(await page.getByRole('status').innerText(), /next 1:1 of 1 pair[\s\S]*Tomás Ruiz and Amara Okafor/);
  await h.checkA11y(page, '/strategy (preview)');
  await clickAndNavigate(page, page.getByRole('button', { name: 'Place it in this 1:1' }));
  assert.match(await page.getByRole('status').innerText(), /Placed in one 1:1\./);
  await screenshot(page, 'strategy');
  await h.onPhone(managerWho, 'strategy');
  const her = teammateWho.page;
  await h.goto(her, `/series/${ids.series}/kickoff`);
  await clickAndNavigate(her, her.getByRole('link', { name: 'Add a topic to the first 1:1' }));
  assert.match(await her.locator('main').innerText(), /From Tomás Ruiz: Q1: fewer, better launches/);
}
