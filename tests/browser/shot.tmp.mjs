import { chromium } from 'playwright-core';
const [,, base, email, ...paths] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [w, h, tag] of [[1280, 900, 'desk'], [375, 800, 'phone']]) {
  const p = await (await b.newContext({ viewport: { width: w, height: h } })).newPage();
  await p.goto(base + '/sign-in');
  await p.fill('[name="email"]', email);
  await p.fill('[name="password"]', 'rapport-demo');
  await Promise.all([p.waitForNavigation(), p.click('button[type="submit"]')]);
  for (const path of paths) {
    await p.goto(base + path);
    const name = path.replace(/[^a-z0-9]+/gi, '_');
    await p.screenshot({ path: `/tmp/shots/${tag}${name}.png`, fullPage: true });
  }
}
await b.close();
