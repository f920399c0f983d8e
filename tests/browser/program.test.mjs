// The first ten 1:1s and "how to work with me" in a real Chromium against the real binary: a
// manager starts the program for a new teammate, runs session 1 into their next 1:1 (its
// questions appear on the meeting page), captures something there and sees the progress move
// on; the teammate writes and shares how to work with her, and the manager reads it. Every page
// is checked with axe (WCAG 2 A + AA) and at a phone's width.
//
// The steps are plain functions in program_steps.mjs, so a longer journey can reuse them.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/program.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  journeyHelpers, twoPersonJourney, everyPagePassesAxe,
} from './support.mjs';
import {
  setUpPair, managerSeesTheOverview, managerStartsTheProgram, managerRunsSessionOne, managerCapturesAndProgressMovesOn,
  managerSkipsAndReorders, teammateWritesAndShares, managerReadsIt,
} from './program_steps.mjs';

let server;
let browser;
let manager;
let teammate;
const ids = {};

const set = (v) => ({ server = server, browser = browser, manager = manager, teammate = teammate } = v);
const helpers = journeyHelpers('program', () => ({ server, browser, manager, teammate }));
const { step } = helpers;

describe('the first ten 1:1s in a browser', { timeout: 300_000 }, () => {
  twoPersonJourney(helpers, set);

  step('a manager sets up rapport, adds a teammate who accepts, and starts weekly 1:1s', () => setUpPair(helpers, manager, teammate, ids, server.baseUrl), { critical: true });
  step('the manager finds the program for his pairs', () => managerSeesTheOverview(helpers, manager));
  step('the manager starts the program for the pair', () => managerStartsTheProgram(helpers, manager, ids), { critical: true });
  step('he runs session 1 into the next 1:1: its questions are on the meeting page', () => managerRunsSessionOne(helpers, manager, ids), { critical: true });
  step('he captures what they learned; the progress moves on to session 2', () => managerCapturesAndProgressMovesOn(helpers, manager));
  step('he skips a session and moves another up', () => managerSkipsAndReorders(helpers, manager, ids));
  step('the teammate writes how to work with her and shares it', () => teammateWritesAndShares(helpers, teammate, ids), { critical: true });
  step('the manager reads it from the prep view', () => managerReadsIt(helpers, manager, ids));

  everyPagePassesAxe(helpers, 'every page passes axe (WCAG 2 A and AA)');
});
