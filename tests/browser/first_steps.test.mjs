// Issue 4's journey, end to end in a real Chromium against the real binary: a manager starts
// 1:1s with a new teammate (warned that the first falls in her focus hours), edits and sends the
// kickoff note, starts the first ten 1:1s and runs session 1 from the next 1:1's agenda; the
// teammate, signing in, finds the note first, before anything else and before the first meeting.
// Every page is checked with axe (WCAG 2 A + AA). The steps come from kickoff_steps.mjs and
// program_steps.mjs, the same ones their own journeys run.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/first_steps.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { formatViolations, launchBrowser, startServer, journeyHelpers } from './support.mjs';
import {
  managerAddsTeammate, teammateJoinsAndSetsFocusHours, managerStartsOneOnOnes, managerEditsAndSendsTheNote, teammateSeesTheNoteFirst,
} from './kickoff_steps.mjs';
import { managerStartsTheProgram, managerRunsSessionOne } from './program_steps.mjs';

let server;
let browser;
let manager;
let teammate;
const ids = {};
let startupError = null;

const h = journeyHelpers('first-steps', () => ({ server, browser, manager, teammate }));

describe('a start without fear, in a browser', { timeout: 300_000 }, () => {
  before(async () => {
    try {
      server = await startServer();
      browser = await launchBrowser();
      manager = await h.newPerson();
      teammate = await h.newPerson();
    } catch (e) {
      startupError = e;
      h.block('start-up');
    }
  });

  after(async () => {
    await manager?.context.close().catch(() => {});
    await teammate?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the server answers and Chromium starts', () => {
    if (startupError) throw startupError;
  });

  h.step('a manager sets up rapport and adds a new teammate', () => managerAddsTeammate(manager, h, ids), { critical: true });
  h.step('the teammate joins and keeps weekday mornings as focus hours', () => teammateJoinsAndSetsFocusHours(teammate, h, ids, server.baseUrl), { critical: true });
  h.step('the manager starts weekly 1:1s and is warned why the first is badly placed', () => managerStartsOneOnOnes(manager, h, ids), { critical: true });
  h.step('he edits the kickoff note, previews it and sends it', () => managerEditsAndSendsTheNote(manager, h), { critical: true });
  h.step('he starts the first ten 1:1s for the pair', () => managerStartsTheProgram(h, manager, ids), { critical: true });
  h.step('he runs session 1: its questions join the next 1:1’s agenda', () => managerRunsSessionOne(h, manager, ids), { critical: true });
  h.step('the teammate sees the note first, before the first meeting, and session 1 on its agenda', async () => {
    await teammateSeesTheNoteFirst(teammate, h, ids);
    const page = teammate.page;
    await h.goto(page, `/meetings/${ids.meeting}`);
    const agenda = await page.locator('#agenda').innerText();
    assert.match(agenda, /What is something about you that most people at work don't know\?/);
    assert.match(await page.locator('#program').innerText(), /Session 1: Getting to know each other/);
    await h.checkA11y(page, '/meetings/<id> (teammate, session 1)');
  });

  it('every page of the journey passes axe (WCAG 2 A and AA)', () => {
    assert.ok(h.a11y.size > 0, 'no page was checked');
    const failures = [];
    for (const [label, result] of h.a11y) {
      if (result instanceof Error) failures.push(`${label}: axe could not run: ${result.message}`);
      else if (result.length > 0) failures.push(formatViolations(label, result));
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
});
