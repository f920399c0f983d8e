// Issue 4's journey, end to end in a real Chromium against the real binary: a manager starts
// 1:1s with a new teammate (warned that the first falls in her focus hours), edits and sends the
// kickoff note, starts the first ten 1:1s and runs session 1 from the next 1:1's agenda; the
// teammate, signing in, finds the note first, before anything else and before the first meeting.
// Every page is checked with axe (WCAG 2 A + AA). The steps come from kickoff_steps.mjs and
// program_steps.mjs, the same ones their own journeys run.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/first_steps.test.mjs
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  journeyHelpers, twoPersonJourney, everyPagePassesAxe,
} from './support.mjs';
import {
  managerAddsTeammate, teammateJoinsAndSetsFocusHours, managerStartsOneOnOnes, managerEditsAndSendsTheNote, teammateSeesTheNoteFirst,
} from './kickoff_steps.mjs';
import { managerStartsTheProgram, managerRunsSessionOne } from './program_steps.mjs';

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('first-steps', () => ({ server, browser, manager, teammate }));

describe('a start without fear, in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

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

  everyPagePassesAxe(h, 'every page of the journey passes axe (WCAG 2 A and AA)');
});
