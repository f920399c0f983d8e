// The kickoff in a real Chromium against the real binary: a manager adds a new teammate, who
// sets her focus hours; he starts weekly 1:1s that land in them (the kickoff page warns him and
// says why), edits the drafted note, previews and sends it; she then finds the note first — on
// her 1:1s page, on its own page, in her messages and on the series — before the first meeting.
// Every page is checked with axe (WCAG 2 A + AA); the kickoff pages on a phone width too.
//
// The steps are named functions taking the journey's state, so a longer journey can reuse them.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/kickoff.test.mjs
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  journeyHelpers, twoPersonJourney, everyPagePassesAxe,
} from './support.mjs';
import {
  managerAddsTeammate, teammateJoinsAndSetsFocusHours, managerStartsOneOnOnes, managerEditsAndSendsTheNote, teammateSeesTheNoteFirst, managerSeesItWasRead, managerSharesATalkingPoint,
} from './kickoff_steps.mjs';

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const h = journeyHelpers('kickoff', () => ({ server, browser, manager, teammate }));

describe('the kickoff in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(h, set);

  h.step('a manager sets up rapport and adds a new teammate', () => managerAddsTeammate(manager, h, ids), { critical: true });
  h.step('the teammate joins and keeps weekday mornings as focus hours', () => teammateJoinsAndSetsFocusHours(teammate, h, ids, server.baseUrl), { critical: true });
  h.step('the manager starts weekly 1:1s and is warned that the first falls in her focus hours', () => managerStartsOneOnOnes(manager, h, ids), { critical: true });
  h.step('he edits the drafted note, previews it and sends it', () => managerEditsAndSendsTheNote(manager, h), { critical: true });
  h.step('the teammate sees the note first, before the first meeting', () => teammateSeesTheNoteFirst(teammate, h, ids));
  h.step('the manager sees that she read it', () => managerSeesItWasRead(manager, h, ids));
  h.step('he shares a talking point with his organisation; it is on her first agenda', () => managerSharesATalkingPoint(manager, teammate, h, ids));

  everyPagePassesAxe(h, 'every kickoff page passes axe (WCAG 2 A and AA)');
});
