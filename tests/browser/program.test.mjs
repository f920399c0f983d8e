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
import { after, before, describe, it } from 'node:test';

import { formatViolations, launchBrowser, startServer, journeyHelpers } from './support.mjs';
import {
  setUpPair, managerSeesTheOverview, managerStartsTheProgram, managerRunsSessionOne, managerCapturesAndProgressMovesOn,
  managerSkipsAndReorders, teammateWritesAndShares, managerReadsIt,
} from './program_steps.mjs';

let server;
let browser;
let manager;
let teammate;
const ids = {};
let startupError = null;

const helpers = journeyHelpers('program', () => ({ server, browser, manager, teammate }));
const { a11y, newPerson, step, block } = helpers;

describe('the first ten 1:1s in a browser', { timeout: 300_000 }, () => {
  before(async () => {
    try {
      server = await startServer();
      browser = await launchBrowser();
      manager = await newPerson();
      teammate = await newPerson();
    } catch (e) {
      startupError = e;
      block('start-up');
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

  step('a manager sets up rapport, adds a teammate who accepts, and starts weekly 1:1s', () => setUpPair(helpers, manager, teammate, ids, server.baseUrl), { critical: true });
  step('the manager finds the program for his pairs', () => managerSeesTheOverview(helpers, manager));
  step('the manager starts the program for the pair', () => managerStartsTheProgram(helpers, manager, ids), { critical: true });
  step('he runs session 1 into the next 1:1: its questions are on the meeting page', () => managerRunsSessionOne(helpers, manager, ids), { critical: true });
  step('he captures what they learned; the progress moves on to session 2', () => managerCapturesAndProgressMovesOn(helpers, manager));
  step('he skips a session and moves another up', () => managerSkipsAndReorders(helpers, manager, ids));
  step('the teammate writes how to work with her and shares it', () => teammateWritesAndShares(helpers, teammate, ids), { critical: true });
  step('the manager reads it from the prep view', () => managerReadsIt(helpers, manager, ids));

  it('every page passes axe (WCAG 2 A and AA)', () => {
    assert.ok(a11y.size > 0, 'no page was checked');
    const failures = [];
    for (const [label, result] of a11y) {
      if (result instanceof Error) failures.push(`${label}: axe could not run: ${result.message}`);
      else if (result.length > 0) failures.push(formatViolations(label, result));
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
});
