// The main journey through rapport's web pages, in a real Chromium, against
// the real binary ($RAPPORT_BIN serve) with a fresh data directory:
// setup -> add people -> people list -> org chart -> settings -> sign out ->
// sign in. Every main page is checked with axe (WCAG 2 A + AA) and
// screenshotted (target/screenshots/) at desktop and phone widths.
//
// Run: RAPPORT_BIN=target/debug/rapport node --test tests/browser/
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  DESKTOP, PHONE, SCREENSHOT_DIR,
  adminAddsPerson, adminSetsUpRapport, axeViolations, clickAndNavigate, formatViolations, launchBrowser, saveFailure,
  screenshot, startServer,
  isPageRequest,
} from './support.mjs';

const UUID_PATH = /^\/people\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

const ADMIN = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  title: 'Director of Engineering',
  timezone: 'Europe/Berlin',
  password: 'analytical engine 1843',
};
const GRACE = { name: 'Grace Hopper', email: 'grace@example.com', title: 'Engineering Manager', timezone: 'America/New_York' };
const ALAN = { name: 'Alan Turing', email: 'alan@example.com', title: 'Staff Engineer', timezone: 'Europe/London' };

let server;
let browser;
let context;
let page;
const ids = {};
// label -> violations (or an Error if axe itself failed); checked by the "accessibility" tests.
const a11y = new Map();
const A11Y_PAGES = ['/setup', '/sign-in', '/people', '/people/<id>', '/people/new', '/org', '/settings',
  '/people/new (with errors)', '/sign-in (with errors)'];
const consoleProblems = [];
let blockedBy = null;
let startupError = null;

const pathname = () => new URL(page.url()).pathname;
const url = (p) => `${server.baseUrl}${p}`;

async function goto(p) {
  const response = await page.goto(url(p), { waitUntil: 'load' });
  assert.ok(response, `no response for GET ${p}`);
  return response;
}

async function checkA11y(label) {
  try {
    a11y.set(label, await axeViolations(page));
  } catch (e) {
    a11y.set(label, e);
  }
}

/** The form that contains the submit button with this exact text. */
function formWithButton(text) {
  const button = page.getByRole('button', { name: text, exact: true });
  return { form: page.locator('form').filter({ has: button }), button };
}

async function phoneShot(name) {
  const phone = await browser.newContext({
    viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    storageState: await context.storageState(),
  });
  try {
    const p = await phone.newPage();
    await p.goto(page.url(), { waitUntil: 'load' });
    await screenshot(p, `${name}-phone`);
  } finally {
    await phone.close();
  }
}

async function fieldErrorNextTo(fieldName) {
  // The error belongs to the field: referenced by aria-describedby, or within
  // the field's wrapper (the input's parent or grandparent).
  return page.evaluate((name) => {
    const input = document.querySelector(`form [name="${name}"]`);
    if (!input) return { ok: false, why: `no field named ${name}` };
    const described = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)).filter(Boolean);
    const near = [input.parentElement, input.parentElement?.parentElement].filter(Boolean)
      .flatMap((el) => [...el.querySelectorAll('.field-error')]);
    const errors = [...described.filter((el) => el.matches('.field-error') || el.querySelector('.field-error')), ...near];
    const texts = errors.map((el) => el.textContent.trim()).filter(Boolean);
    return texts.length ? { ok: true, text: texts[0] } : {
      ok: false,
      why: `no non-empty .field-error next to [name=${name}]; all .field-error on page: ${
        JSON.stringify([...document.querySelectorAll('.field-error')].map((e) => e.textContent.trim()))}`,
    };
  }, fieldName);
}

/**
 * One journey step. Steps run in order and share the browser session. If a
 * `critical` step fails, the later steps are skipped (they could only fail
 * for the same reason); on any failure the page is saved under
 * target/screenshots/failures/.
 */
function step(name, fn, { critical = false } = {}) {
  it(name, async (t) => {
    if (blockedBy) {
      t.skip(`skipped: earlier step "${blockedBy}" failed`);
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      if (critical) blockedBy = name;
      const shot = page ? await saveFailure(page, name) : null;
      if (shot) e.message += `\n(page at failure: ${page.url()}, saved as ${shot})`;
      throw e;
    }
  });
}

describe('rapport in a browser', { timeout: 240_000 }, () => {
  before(async () => {
    await rm(path.join(SCREENSHOT_DIR, 'failures'), { recursive: true, force: true });
    // A failure here is reported by the first test (node:test reports hook
    // failures poorly) and skips the journey.
    try {
      server = await startServer();
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: DESKTOP });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
    } catch (e) {
      startupError = e;
      blockedBy = 'start-up';
      return;
    }
    page.on('console', (msg) => {
      // Failed loads are reported by the response listener (navigations that
      // answer 4xx on purpose, like a 422 form, are not problems).
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) consoleProblems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => consoleProblems.push(`uncaught exception on ${page.url()}: ${err.message}`));
    page.on('response', (r) => {
      const req = r.request();
      if (r.status() >= 400 && !isPageRequest(req) && !r.url().endsWith('/favicon.ico')) {
        consoleProblems.push(`${r.status()} for ${req.method()} ${r.url()} (on ${page.url()})`);
      }
    });
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    if (server) console.log(`server log: ${server.logPath}\nscreenshots: ${SCREENSHOT_DIR}`);
  });

  it('the server answers /healthz and Chromium starts', () => {
    if (startupError) throw startupError;
  });

  step('GET / on an empty instance redirects to /setup', async () => {
    const response = await goto('/');
    assert.equal(pathname(), '/setup', `GET / ended at ${page.url()} (status ${response.status()})`);
    assert.equal(response.status(), 200);
    await checkA11y('/setup');
    await screenshot(page, 'setup-desktop');
  }, { critical: true });

  step('setup form creates the admin and lands on their profile', async () => {
    const { form, button } = formWithButton('Create admin account');
    await assert.doesNotReject(button.waitFor(), 'no "Create admin account" button on /setup');
    for (const name of ['name', 'email', 'title', 'timezone', 'password']) {
      assert.equal(await form.locator(`[name="${name}"]`).count(), 1, `setup form has no single input named ${name}`);
    }
    // Time zone: a text input backed by a datalist of zone names.
    const tz = form.locator('input[name="timezone"]');
    const listId = await tz.getAttribute('list');
    assert.ok(listId, 'timezone input has no list= attribute (datalist)');
    const options = await page.locator(`datalist[id="${listId}"] option`).count();
    assert.ok(options > 10, `datalist #${listId} has ${options} options`);
    assert.ok(
      await page.locator(`datalist[id="${listId}"] option[value="Europe/Berlin"]`).count() === 1,
      'datalist lacks Europe/Berlin',
    );

    const response = await adminSetsUpRapport(page, (_, p) => goto(p), ADMIN);
    assert.equal(response.status(), 200, `setup answered ${response.status()} at ${page.url()}`);
    const m = pathname().match(UUID_PATH);
    assert.ok(m, `after setup expected /people/<uuid>, got ${page.url()}`);
    ids.ada = m[1];
    await assert.doesNotReject(page.locator('h1', { hasText: ADMIN.name }).first().waitFor(), `no <h1> with ${ADMIN.name}`);
    await checkA11y('/people/<id>');
    await screenshot(page, 'profile-desktop');
    await phoneShot('profile');
  }, { critical: true });

  step('/setup is closed once an admin exists', async () => {
    const response = await goto('/setup');
    assert.ok(pathname() !== '/setup' || response.status() >= 400,
      `GET /setup after setup still shows the form (status ${response.status()})`);
  });

  step('/people/new adds people with a manager', async () => {
    for (const [key, person, manager] of [['grace', GRACE, ADMIN.name], ['alan', ALAN, GRACE.name]]) {
      await goto('/people/new');
      const { form, button } = formWithButton('Add person');
      await assert.doesNotReject(button.waitFor(), 'no "Add person" button on /people/new');
      if (key === 'grace') {
        await checkA11y('/people/new');
        await screenshot(page, 'person-new-desktop');
        assert.equal(await form.locator('input[type="checkbox"][name="is_admin"]').count(), 1, 'no checkbox is_admin');
      }
      // Option labels are people's names (possibly followed by more, e.g. "Ada Lovelace (Director …)").
      const select = form.locator('select[name="manager_id"]');
      const options = await select.locator('option').evaluateAll((els) => els.map((o) => ({ label: o.textContent.trim(), value: o.value })));
      const option = options.find((o) => o.label === manager || o.label.startsWith(`${manager} `));
      assert.ok(option, `manager_id options ${JSON.stringify(options.map((o) => o.label))} lack ${manager}`);
      ids[key] = await adminAddsPerson(page, (_, p) => goto(p), person, manager);
      assert.match(pathname(), UUID_PATH);
      await assert.doesNotReject(page.locator('h1', { hasText: person.name }).first().waitFor(), `no <h1> with ${person.name}`);
    }
    assert.notEqual(ids.grace, ids.alan);
  }, { critical: true });

  step('/people/new with an invalid e-mail re-shows the form with 422 and keeps the values', async () => {
    await goto('/people/new');
    const { form, button } = formWithButton('Add person');
    await form.locator('[name="name"]').fill('Edsger Dijkstra');
    await form.locator('[name="email"]').fill('not-an-email');
    await form.locator('[name="title"]').fill('Principal Engineer');
    await form.locator('[name="timezone"]').fill('Europe/Amsterdam');
    const response = await clickAndNavigate(page, button);
    assert.equal(response.status(), 422, `invalid e-mail answered ${response.status()} at ${page.url()}`);
    const err = await fieldErrorNextTo('email');
    assert.ok(err.ok, err.why);
    const kept = formWithButton('Add person').form;
    assert.equal(await kept.locator('[name="name"]').inputValue(), 'Edsger Dijkstra');
    assert.equal(await kept.locator('[name="email"]').inputValue(), 'not-an-email');
    assert.equal(await kept.locator('[name="title"]').inputValue(), 'Principal Engineer');
    assert.equal(await kept.locator('[name="timezone"]').inputValue(), 'Europe/Amsterdam');
    await checkA11y('/people/new (with errors)');
    await screenshot(page, 'person-new-error-desktop');
  });

  step('/people lists people as links and searches with q', async () => {
    await goto('/people');
    for (const name of [ADMIN.name, GRACE.name, ALAN.name]) {
      assert.ok(await page.getByRole('link', { name, exact: true }).count() >= 1, `no link named ${name} on /people`);
    }
    assert.equal(await page.getByRole('link', { name: 'Edsger Dijkstra' }).count(), 0, 'the invalid person was saved');
    const q = page.locator('input[name="q"]');
    assert.equal(await q.count(), 1, 'no single input named q on /people');
    await checkA11y('/people');
    await screenshot(page, 'people-desktop');
    await phoneShot('people');

    // Searching narrows the list.
    await q.fill('Grace');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'Grace'), q.press('Enter')]);
    await page.waitForLoadState('load');
    assert.ok(await page.getByRole('link', { name: GRACE.name, exact: true }).count() >= 1, 'search for Grace lost Grace');
    assert.equal(await page.getByRole('link', { name: ALAN.name, exact: true }).count(), 0, 'search for Grace still lists Alan');
  });

  step('/org shows the chart from the top and focuses a person', async () => {
    await goto('/org');
    const main = page.locator('main');
    const scope = (await main.count()) ? main : page.locator('body');
    assert.ok(await scope.getByRole('link', { name: ADMIN.name }).count() >= 1, `no link to ${ADMIN.name} on /org`);
    assert.ok(await scope.getByRole('link').count() >= 2, '/org has fewer than two links');
    await checkA11y('/org');
    await screenshot(page, 'org-desktop');
    await phoneShot('org');

    await goto(`/org?focus=${ids.grace}`);
    const body = await scope.innerText();
    assert.ok(body.includes(GRACE.name), `/org?focus=<grace> does not show ${GRACE.name}`);
    assert.ok(await scope.getByRole('link', { name: ALAN.name }).count() >= 1,
      `/org?focus=<grace> does not list her direct report ${ALAN.name} as a link`);
    await screenshot(page, 'org-focus-desktop');
  });

  step('/settings has a password form and an API token form', async () => {
    const response = await goto('/settings');
    assert.equal(response.status(), 200);
    assert.ok(await page.locator('form').filter({ has: page.locator('input[type="password"]') }).count() >= 1,
      'no form with a password input on /settings');
    assert.ok(await page.locator('form').filter({ has: page.getByRole('button', { name: /token/i }) }).count() >= 1,
      'no form with a button mentioning "token" on /settings');
    await checkA11y('/settings');
    await screenshot(page, 'settings-desktop');
  });

  step('Sign out in the header ends the session', async () => {
    await goto(`/people/${ids.ada}`);
    const button = page.locator('form[action="/sign-out"]').getByRole('button', { name: 'Sign out', exact: true });
    assert.equal(await button.count(), 1, 'no single "Sign out" button in a form posting to /sign-out');
    assert.equal((await page.locator('form[action="/sign-out"]').getAttribute('method'))?.toLowerCase(), 'post');
    assert.equal(await page.locator('header form[action="/sign-out"], [role="banner"] form[action="/sign-out"]').count(), 1,
      'the sign-out form is not inside the page header');
    await clickAndNavigate(page, button);
    const response = await goto('/people');
    assert.ok(pathname().startsWith('/sign-in') || [401, 403].includes(response.status()),
      `after signing out, GET /people shows ${page.url()} with status ${response.status()}`);
  }, { critical: true });

  step('/sign-in rejects a wrong password with 422 and accepts the right one', async () => {
    await goto('/sign-in');
    const { form, button } = formWithButton('Sign in');
    await assert.doesNotReject(button.waitFor(), 'no "Sign in" button on /sign-in');
    assert.equal(await form.locator('[name="email"]').count(), 1, 'no input email');
    assert.equal(await form.locator('[name="password"]').count(), 1, 'no input password');
    await checkA11y('/sign-in');
    await screenshot(page, 'sign-in-desktop');
    await phoneShot('sign-in');

    await form.locator('[name="email"]').fill(ADMIN.email);
    await form.locator('[name="password"]').fill('wrong password 123');
    let response = await clickAndNavigate(page, button);
    assert.equal(response.status(), 422, `wrong password answered ${response.status()} at ${page.url()}`);
    const shown = page.locator('.field-error, [role="alert"]').filter({ hasText: /\S/ });
    assert.ok(await shown.count() >= 1, 'wrong password shows no .field-error or role=alert');
    await checkA11y('/sign-in (with errors)');
    await screenshot(page, 'sign-in-error-desktop');

    const again = formWithButton('Sign in');
    await again.form.locator('[name="email"]').fill(ADMIN.email);
    await again.form.locator('[name="password"]').fill(ADMIN.password);
    response = await clickAndNavigate(page, again.button);
    assert.equal(response.status(), 200, `right password answered ${response.status()} at ${page.url()}`);
    assert.ok(!pathname().startsWith('/sign-in'), `still on ${page.url()} after signing in`);
    assert.equal(await page.getByRole('button', { name: 'Sign out', exact: true }).count(), 1, 'not signed in: no Sign out button');
    const people = await goto('/people');
    assert.equal(people.status(), 200);
    assert.equal(pathname(), '/people');
  });

  describe('accessibility (axe, wcag2a + wcag2aa)', () => {
    for (const label of A11Y_PAGES) {
      it(`zero violations on ${label}`, (t) => {
        const result = a11y.get(label);
        if (result === undefined) {
          // The journey step that visits the page failed already (and is reported).
          t.skip('page not reached: its journey step failed');
          return;
        }
        if (result instanceof Error) throw result;
        assert.equal(result.length, 0, formatViolations(label, result));
      });
    }
  });

  it('no console errors, uncaught exceptions or failed sub-resources', () => {
    assert.deepEqual(consoleProblems, []);
  });
});
