// Shared helpers for the browser tests: start/stop the rapport server, launch
// Debian's Chromium through playwright-core, run axe, take screenshots.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';

const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
  : path.join(REPO_ROOT, 'target');
export const SCREENSHOT_DIR = process.env.RAPPORT_SCREENSHOT_DIR
  ? path.resolve(process.env.RAPPORT_SCREENSHOT_DIR)
  : path.join(TARGET_DIR, 'screenshots');
export const LOG_DIR = path.join(TARGET_DIR, 'browser-tests');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1280, height: 800 };
// The narrowest phone in common use (the issues ask for pages readable at 375 px).
export const PHONE = { width: 375, height: 812 };

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `$RAPPORT_BIN serve` on a free port with a fresh data dir (filled with the demo
 * organisation when `demo`) and waits until GET /healthz answers 200 (at most ~20 s, 90 s with
 * the demo). Returns a handle with
 * `baseUrl`, `stop()` and `logTail()`.
 */
export async function startServer({ config, demo = false } = {}) {
  const bin = process.env.RAPPORT_BIN
    ? path.resolve(REPO_ROOT, process.env.RAPPORT_BIN)
    : path.join(TARGET_DIR, 'debug', 'rapport');
  await mkdir(LOG_DIR, { recursive: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-browser-'));
  // Settings of the journey's own, read from ./rapport.toml (the server runs in the data dir).
  if (config) await writeFile(path.join(dataDir, 'rapport.toml'), config);
  const logPath = path.join(LOG_DIR, 'server.log');
  const log = createWriteStream(logPath);
  let tail = '';

  // Only our settings: no stray RAPPORT_* variable or ./rapport.toml may leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RAPPORT_')));
  env.RAPPORT_LOG ??= 'info';

  let lastError = null;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const args = ['serve', '--bind', `127.0.0.1:${port}`, '--data-dir', dataDir, ...(demo ? ['--demo'] : [])];
    log.write(`\n$ ${bin} ${args.join(' ')}\n`);
    let child;
    try {
      child = spawn(bin, args, { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`cannot start ${bin}: ${e.message} (set RAPPORT_BIN; build with cargo build --bins)`);
    }
    let exited = null;
    let spawnError = null;
    child.on('error', (e) => { spawnError = e; });
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        log.write(chunk);
        tail = (tail + chunk.toString()).slice(-4000);
      });
    }

    const baseUrl = `http://127.0.0.1:${port}`;
    // The demo organisation is made before rapport listens: a few seconds more on a debug build.
    const deadline = Date.now() + (demo ? 90_000 : 20_000);
    let healthy = false;
    while (Date.now() < deadline && !exited && !spawnError) {
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
        if (res.status === 200) { healthy = true; break; }
      } catch { /* not listening yet */ }
      await sleep(150);
    }
    if (healthy) {
      return {
        baseUrl,
        dataDir,
        logPath,
        logTail: () => tail,
        async stop() {
          if (!exited) {
            child.kill('SIGTERM');
            const t0 = Date.now();
            while (!exited && Date.now() - t0 < 5000) await sleep(50);
            if (!exited) child.kill('SIGKILL');
            while (!exited && Date.now() - t0 < 7000) await sleep(50);
          }
          log.end();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    }
    if (!exited) child.kill('SIGKILL');
    if (spawnError) {
      log.end();
      throw new Error(`cannot start ${bin}: ${spawnError.message} (set RAPPORT_BIN; build with cargo build --bins)`);
    }
    lastError = exited
      ? `server exited early (code ${exited.code}, signal ${exited.signal})`
      : `GET /healthz did not answer 200 within ${demo ? 90 : 20} s`;
    // Retry on a new port only when the port was taken under us.
    if (!/address already in use|AddrInUse/i.test(tail)) break;
  }
  log.end();
  await rm(dataDir, { recursive: true, force: true });
  throw new Error(`rapport server did not start: ${lastError}\n---- server output (tail) ----\n${tail}`);
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Runs axe (WCAG 2 A and AA) on the page; returns the violations. */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations;
}

/** Human-readable report of axe violations. */
export function formatViolations(label, violations) {
  const lines = [`${violations.length} axe violation(s) (wcag2a, wcag2aa) on ${label}:`];
  for (const v of violations) {
    lines.push('', `- [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}`, `  ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`  * target: ${JSON.stringify(node.target)}`);
      lines.push(`    html:   ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`);
      if (node.failureSummary) {
        lines.push(...node.failureSummary.split('\n').map((l) => `    ${l}`));
      }
    }
  }
  return lines.join('\n');
}

/** Full-page PNG into target/screenshots/NAME.png. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Screenshot and HTML of the page as it was when a step failed. */
export async function saveFailure(page, name) {
  try {
    const dir = path.join(SCREENSHOT_DIR, 'failures');
    await mkdir(dir, { recursive: true });
    const safe = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    await page.screenshot({ path: path.join(dir, `${safe}.png`), fullPage: true });
    await writeFile(path.join(dir, `${safe}.html`), `<!-- ${page.url()} -->\n${await page.content()}`);
    return path.join(dir, `${safe}.png`);
  } catch {
    return null;
  }
}

/**
 * A request for a page a person sees: a navigation, or a form the page's script sent in
 * place (its answer, a 422 with the problem shown next to the field included, is drawn
 * into the page as a navigation's would be).
 */
export function isPageRequest(req) {
  if (req.isNavigationRequest()) return true;
  let first = req;
  while (first.redirectedFrom()) first = first.redirectedFrom();
  return first.headers()['x-rapport-inplace'] === '1';
}

/**
 * Clicks the button and waits for the resulting document: returns the first
 * non-redirect response of the main frame's navigation (so a 422 re-shown
 * form is seen as 422, a POST-redirect-GET as the final GET's status). A form
 * sent in place (the page's script posts it and swaps in what changed) counts
 * too: its final response is returned once the page has been updated.
 */
export async function clickAndNavigate(page, button) {
  const swapsBefore = await page.evaluate(() => Number(document.documentElement.getAttribute('data-swaps') || 0));
  const here = new URL(page.url()).pathname;
  const responsePromise = page.waitForResponse((r) => {
    const req = r.request();
    if (r.status() >= 300 && r.status() < 400) return false;
    if (req.isNavigationRequest()) return req.frame() === page.mainFrame();
    // Sent in place and answered with this same page (or with the problem to show on it).
    return isPageRequest(req) && (new URL(r.url()).pathname === here || r.status() >= 400);
  });
  // The next document's load (a form sent in place may lead to another page only after its
  // answer came, when the click no longer waits for the navigation it started).
  const loaded = page.waitForEvent('load', { timeout: 30_000 });
  loaded.catch(() => {});
  await button.click();
  const response = await responsePromise;
  if (response.request().isNavigationRequest()) {
    await loaded;
  } else {
    await page.waitForFunction((n) => Number(document.documentElement.getAttribute('data-swaps') || 0) > n, swapsBefore);
  }
  return response;
}

/**
 * What a journey of a manager and a teammate shares: pages opened against the server, axe
 * results kept for a final step to report, a phone-width check, and steps that stop the rest
 * of the journey once a critical one failed (that failure is reported, with a screenshot of
 * each person's page). `state()` returns the journey's live values: server, browser, manager,
 * teammate.
 */
export function journeyHelpers(label, state) {
  const a11y = new Map();
  let blockedBy = null;

  async function goto(page, p) {
    const response = await page.goto(`${state().server.baseUrl}${p}`, { waitUntil: 'load' });
    assert.ok(response, `no response for GET ${p}`);
    return response;
  }

  async function checkA11y(page, name) {
    try {
      a11y.set(name, await axeViolations(page));
    } catch (e) {
      a11y.set(name, e);
    }
  }

  async function newPerson() {
    const context = await state().browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return { context, page };
  }

  /** The same page at a phone's width: axe, a screenshot, and no sideways scrolling. */
  async function onPhone(who, name) {
    const phone = await state().browser.newContext({
      viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      storageState: await who.context.storageState(),
    });
    try {
      const p = await phone.newPage();
      await p.goto(who.page.url(), { waitUntil: 'load' });
      await checkA11y(p, `${name} (phone)`);
      await screenshot(p, `${name}-phone`);
      const wide = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= PHONE.width + 1, `${name} scrolls sideways on a phone (${wide}px wide)`);
    } finally {
      await phone.close();
    }
  }

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
        const { manager, teammate } = state();
        for (const [who, p] of [['manager', manager?.page], ['teammate', teammate?.page]]) {
          const shot = p ? await saveFailure(p, `${label} ${name} ${who}`) : null;
          if (shot) e.message += `\n(${who}'s page at failure: ${p.url()}, saved as ${shot})`;
        }
        throw e;
      }
    });
  }

  return { a11y, state, goto, checkA11y, newPerson, onPhone, step, block: (name) => { blockedBy = name; } };
}

/**
 * The frame of a journey between a manager and a teammate: before the steps, start rapport and
 * Chromium and open a browser for each of them (handed to `set`); after, close everything. A
 * start-up failure is reported as a test of its own, and the steps are then skipped.
 */
export function twoPersonJourney(h, set, { config, demo } = {}) {
  let startupError = null;
  before(async () => {
    try {
      set({ server: await startServer({ config, demo }) });
      set({ browser: await launchBrowser() });
      set({ manager: await h.newPerson(), teammate: await h.newPerson() });
    } catch (e) {
      startupError = e;
      h.block('start-up');
    }
  });

  after(async () => {
    const { server, browser, manager, teammate } = h.state();
    await manager?.context.close().catch(() => {});
    await teammate?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the server answers and Chromium starts', () => {
    if (startupError) throw startupError;
  });
}

/** One test listing every axe violation on the pages the journey's steps checked. */
export function everyPagePassesAxe(h, title) {
  it(title, () => {
    assert.ok(h.a11y.size > 0, 'no page was checked');
    const failures = [];
    for (const [label, result] of h.a11y) {
      if (result instanceof Error) failures.push(`${label}: axe could not run: ${result.message}`);
      else if (result.length > 0) failures.push(formatViolations(label, result));
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
  });
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * The admin sets rapport up on `page` (`goto` is the journey's: `goto(page, path)`): `admin` is
 * { name, email, timezone, password, title? }. Returns the response of the form (the admin's
 * profile, where they land).
 */
export async function adminSetsUpRapport(page, goto, admin) {
  await goto(page, '/setup');
  const button = page.getByRole('button', { name: 'Create admin account' });
  const form = page.locator('form').filter({ has: button });
  for (const key of ['name', 'email', 'title', 'timezone', 'password']) {
    if (admin[key] !== undefined) await form.locator(`[name="${key}"]`).fill(admin[key]);
  }
  return clickAndNavigate(page, button);
}

/**
 * On the admin's `page`, the admin adds `person` ({ name, email, timezone, title? }) reporting to
 * the person named `managerName`. Returns the new person's id (from the profile the admin lands on).
 */
export async function adminAddsPerson(page, goto, person, managerName) {
  await goto(page, '/people/new');
  const button = page.getByRole('button', { name: 'Add person' });
  const form = page.locator('form').filter({ has: button });
  for (const key of ['name', 'email', 'title', 'timezone']) {
    if (person[key] !== undefined) await form.locator(`[name="${key}"]`).fill(person[key]);
  }
  const select = form.locator('select[name="manager_id"]');
  await select.selectOption(await select.locator('option', { hasText: managerName }).first().getAttribute('value'));
  const r = await clickAndNavigate(page, button);
  assert.equal(r.status(), 200, `adding ${person.name} answered ${r.status()} at ${page.url()}`);
  const m = new URL(page.url()).pathname.match(new RegExp(`^/people/(${UUID})$`));
  assert.ok(m, `after adding ${person.name} expected their profile, got ${page.url()}`);
  return m[1];
}

/**
 * The first steps of most journeys, on the admin's `page`: the admin sets rapport up, then adds
 * `teammate` reporting to them (see the two steps above). Returns the teammate's id.
 */
export async function adminSetsUpRapportAndAddsTeammate(page, goto, admin, teammate) {
  await adminSetsUpRapport(page, goto, admin);
  return adminAddsPerson(page, goto, teammate, admin.name);
}

/** On someone's profile, the admin makes their invitation link; returns it. */
export async function anInvitationLink(page) {
  await clickAndNavigate(page, page.getByRole('button', { name: 'Create invitation link' }));
  return (await page.locator('#invite-link').innerText()).trim();
}

/** The invited person opens `invite` (on the server at `baseUrl`), sets `password` and is signed in. */
export async function theInviteeAccepts(page, invite, baseUrl, password) {
  await page.goto(invite.replace(/^https?:\/\/[^/]+/, baseUrl), { waitUntil: 'load' });
  await page.locator('[name="password"]').fill(password);
  await clickAndNavigate(page, page.getByRole('button', { name: 'Set password and sign in' }));
}

/** The manager starts weekly 1:1s with `teammateId` on `firstDate` (YYYY-MM-DD) at 10:00 UTC. */
export async function managerStartsWeeklyOneOnOnes(page, goto, teammateId, firstDate) {
  await goto(page, `/series/new?teammate=${teammateId}`);
  const button = page.getByRole('button', { name: 'Start 1:1s', exact: true });
  const form = page.locator('form').filter({ has: button });
  await form.locator('[name="first_date"]').fill(firstDate);
  await form.locator('[name="time"]').fill('10:00');
  await form.locator('[name="timezone"]').fill('UTC');
  const r = await clickAndNavigate(page, button);
  assert.equal(r.status(), 200, `starting the series answered ${r.status()} at ${page.url()}`);
  return r;
}

/** Tomorrow (UTC), as YYYY-MM-DD. */
export function tomorrow() {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}
