// Browser tests: the public pages in Debian's Chromium, as a person meets them.
//
//   node tests/browser/run.mjs --candor BUILD/tools/candor/candor --screenshots DIR --work DIR
//
// Builds a small register from schemas/examples/valid (candor keygen, register init, register
// add), starts `candor serve` on a free loopback port, and drives /usr/bin/chromium through
// playwright-core (no downloaded browser: `npx playwright install` cannot work here). Checks:
//   - each page type renders with the GOV.UK Frontend stylesheet and no failed request;
//   - no Content-Security-Policy violation (the console reports them);
//   - axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page;
//   - with JavaScript disabled, the search form on the home page finds records;
//   - a citizen's journey, without JavaScript: search for words, filter by mission area, open a
//     record, and compare its two versions (the register gets a second version of one example);
//   - the Atom feed is served as Atom, newest first;
//   - a regulator signs in with a token, sees the oversight page, and signs out;
//   - the server stops with exit 0 on SIGTERM.
// Screenshots of every page go to --screenshots. Exit 0 all passed, 1 a check failed, 77 skipped
// (Chromium or node_modules missing: run tools/setup), which ctest reports as "Skipped".
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SKIP = 77;
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const chromiumPath = process.env.CANDOR_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function skip(why) {
  console.log(`SKIPPED: ${why}`);
  process.exit(SKIP);
}

const candor = option('candor');
const screenshots = resolve(option('screenshots', join(process.cwd(), 'browser-screenshots')));
const work = resolve(option('work', join(process.cwd(), 'browser-work')));
if (!candor || !existsSync(candor)) {
  console.error('usage: run.mjs --candor PATH [--screenshots DIR] [--work DIR]');
  process.exit(2);
}
if (!existsSync(chromiumPath)) skip(`${chromiumPath} not found (tools/setup installs Debian's chromium)`);
const require = createRequire(join(root, 'package.json'));
let playwright;
let axeSource;
try {
  playwright = require('playwright-core');
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch {
  skip('node_modules has no playwright-core or axe-core (run tools/setup, or npm ci at the repository root)');
}
if (!existsSync(join(root, 'web', 'static', 'govuk', 'govuk-frontend.min.css'))) {
  skip('web/static/govuk/govuk-frontend.min.css is missing (node web/build-assets.mjs, or rebuild)');
}

// ---- results -----------------------------------------------------------------------------
let passed = 0;
const failures = [];
function check(ok, what, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok - ${what}`);
  } else {
    failures.push(what);
    console.log(`FAILED - ${what}${detail ? `\n  ${detail.replaceAll('\n', '\n  ')}` : ''}`);
  }
}

// ---- a register with the example records -------------------------------------------------
// The record the citizen journey finds and whose second version the register gets.
const journeyRecord = {
  organisation: 'eastbridge-council', id: 'free-school-meals-auto-award',
  title: 'Free school meals automatic award', missionArea: 'Education', reviewed: '2026-11-20',
};
function makeRegister() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const run = (...args) => execFileSync(candor, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  run('keygen', '--name', 'browser-test.example/register', '--out', work);
  const skey = join(work, readdirSync(work).find((f) => f.endsWith('.skey')));
  const db = join(work, 'register.db');
  run('register', 'init', '--db', db, '--key', skey);
  const examples = join(root, 'schemas', 'examples', 'valid');
  run('register', 'add', examples, '--db', db, '--any-org', '--key', skey,
    '--receipts', join(work, 'receipts'));
  // A second version of one record, so that history and diffs have something to show: the
  // same YAML with one field changed.
  const original = readFileSync(join(examples, `${journeyRecord.organisation}--${journeyRecord.id}.yaml`), 'utf8');
  const updated = original.replace(/last_reviewed: \d{4}-\d{2}-\d{2}/, `last_reviewed: ${journeyRecord.reviewed}`);
  if (updated === original) throw new Error('the journey record has no record.last_reviewed to change');
  const second = join(work, `${journeyRecord.id}.yaml`);
  writeFileSync(second, updated);
  run('register', 'add', second, '--db', db, '--org', journeyRecord.organisation, '--key', skey,
    '--receipts', join(work, 'receipts'));
  const regulatorToken = run('token', 'create', '--db', db, '--org', 'ai-regulator', '--org-name',
    'AI Regulator', '--role', 'regulator', '--label', 'browser-test').toString().trim();
  return { db, skey, regulatorToken };
}

// ---- the server ----------------------------------------------------------------------------
function startServer(db, skey) {
  return new Promise((resolvePromise, reject) => {
    // With the key, the server accepts writes: the regulator's review note below.
    const child = spawn(candor, ['serve', '--db', db, '--key', skey, '--listen', '127.0.0.1:0', '--threads', '4'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/"event":"listening".*"port":(\d+)/);
      if (m && !child.port) {
        clearTimeout(timer);
        child.port = Number(m[1]);
        resolvePromise(child);
      }
    });
    child.on('exit', (code) => {
      child.exitCode_ = code;
      clearTimeout(timer);
      if (!child.port) reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
}

function stopServer(child) {
  return new Promise((resolvePromise) => {
    if (child.exitCode_ !== undefined) return resolvePromise(child.exitCode_);
    child.on('exit', (code, signal) => resolvePromise(signal ? `signal ${signal}` : code));
    child.kill('SIGTERM');
  });
}

// ---- page checks ---------------------------------------------------------------------------
// Opens `path`, watching for CSP violations and failed subresources; returns the page.
async function open(context, base, path, expectStatus) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|404|503)/.test(msg.text())) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      problems.push(`${response.status()} for ${response.url()}`);
    }
  });
  const response = await page.goto(base + path, { waitUntil: 'load' });
  check(response.status() === expectStatus, `${path} answers ${expectStatus}`, `got ${response.status()}`);
  page.problems = problems;
  return page;
}

async function checkAccessible(page, name) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    wcagTags);
  const detail = results.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`).join('\n');
  check(results.violations.length === 0, `${name}: no WCAG 2.2 AA violations (axe-core)`, detail);
}

async function checkStyled(page, name) {
  const style = await page.evaluate(() => {
    const h1 = document.querySelector('h1');
    const s = h1 ? getComputedStyle(h1) : null;
    return s ? { font: s.fontFamily, size: parseFloat(s.fontSize) } : null;
  });
  check(style && /Helvetica|Arial/.test(style.font) && style.size >= 27,
    `${name}: styled by GOV.UK Frontend`, JSON.stringify(style));
  check(page.problems.length === 0, `${name}: no CSP violation or failed request`, page.problems.join('\n'));
}

// A fresh Chromium profile for each browser context, removed when the run ends: a profile is
// megabytes, and a run should leave none behind in the temporary directory.
const profiles = [];
function freshProfile() {
  const dir = mkdtempSync(join(tmpdir(), 'candor-chromium-'));
  profiles.push(dir);
  return dir;
}

async function main() {
  mkdirSync(screenshots, { recursive: true });
  const { db, skey, regulatorToken } = makeRegister();
  const server = await startServer(db, skey);
  const base = `http://127.0.0.1:${server.port}`;
  const recordPath = `/records/${journeyRecord.organisation}/${journeyRecord.id}`;
  let context;
  try {
    context = await playwright.chromium.launchPersistentContext(freshProfile(), {
      executablePath: chromiumPath, headless: true, args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
    });
    const pages = [
      { path: '/', name: 'home', status: 200 },
      { path: '/about', name: 'about', status: 200 },
      { path: '/search?q=school+meals', name: 'search-results', status: 200 },
      { path: '/search?q=zzzzqqqq', name: 'search-no-results', status: 200 },
      { path: '/search?q=', name: 'search-error', status: 400 },
      { path: '/no-such-page', name: 'not-found', status: 404 },
      { path: '/search', name: 'search-browse', status: 200 },
      { path: '/search?q=&mission_area=education&sort=updated', name: 'search-filtered', status: 200 },
      { path: '/search?q=zzzzqqqq&phase=idea', name: 'search-filtered-no-results', status: 200 },
      { path: `${recordPath}`, name: 'record', status: 200 },
      { path: `${recordPath}/versions/1`, name: 'record-version', status: 200 },
      { path: `${recordPath}/diff`, name: 'record-diff', status: 200 },
      { path: `${recordPath}/diff?from=9&to=2`, name: 'record-diff-error', status: 400 },
      { path: '/records/northshire-police/footage-redaction', name: 'record-one-version', status: 200 },
      { path: `/records/${journeyRecord.organisation}/no-such-record`, name: 'record-not-found', status: 404 },
      { path: `/organisations/${journeyRecord.organisation}`, name: 'organisation', status: 200 },
      { path: '/organisations', name: 'organisations', status: 200 },
      { path: '/statistics', name: 'statistics', status: 200 },
    ];
    for (const { path, name, status } of pages) {
      const page = await open(context, base, path, status);
      await checkStyled(page, name);
      await checkAccessible(page, name);
      await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
      await page.close();
    }

    const mobile = await context.newPage();
    await mobile.setViewportSize({ width: 375, height: 800 });
    for (const [path, name] of [['/', 'home-mobile'], ['/search?q=school+meals', 'search-mobile'],
      [recordPath, 'record-mobile'], [`${recordPath}/diff`, 'record-diff-mobile'],
      ['/statistics', 'statistics-mobile']]) {
      await mobile.goto(`${base}${path}`);
      // Nothing wider than the phone's screen: a page that scrolls sideways fails WCAG 1.4.10.
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${name}: fits a 375 px wide screen (reflow)`, `${overflow}px too wide`);
      await mobile.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    }
    await mobile.close();
    await context.close();

    // The search form works with JavaScript turned off: a plain GET form.
    context = await playwright.chromium.launchPersistentContext(freshProfile(), {
      executablePath: chromiumPath, headless: true, args: chromiumArgs, javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill('#q', 'school meals');
    await Promise.all([page.waitForURL(/\/search\?q=school\+meals$/), page.click('button[type=submit]')]);
    const results = await page.locator('.candor-results__item').count();
    check(results > 0, 'search form works without JavaScript', `${results} results at ${page.url()}`);
    const firstLink = await page.locator('.candor-results__title a').first().getAttribute('href');
    check(/^\/records\/eastbridge-council\//.test(firstLink || ''), 'search results link to record pages', firstLink);
    await page.screenshot({ path: join(screenshots, 'search-without-javascript.png'), fullPage: true });

    // A citizen's journey, still without JavaScript: search, filter, read, compare versions.
    await page.goto(`${base}/`);
    await page.fill('#q', 'school meals');
    await Promise.all([page.waitForURL(/\/search\?q=school\+meals$/), page.click('button[type=submit]')]);
    const missionArea = page.locator('fieldset', { hasText: 'Mission area' });
    await missionArea.getByLabel(new RegExp(`^${journeyRecord.missionArea}\\b`)).check();
    await Promise.all([page.waitForURL(/mission_area=education/),
      page.getByRole('button', { name: 'Apply filters' }).click()]);
    const filteredTitles = await page.locator('.candor-results__title a').allTextContents();
    check(filteredTitles.length > 0 && filteredTitles.includes(journeyRecord.title),
      'journey: filtering by mission area keeps the record', JSON.stringify(filteredTitles));
    const checked = await missionArea.getByLabel(new RegExp(`^${journeyRecord.missionArea}\\b`)).isChecked();
    check(checked, 'journey: the chosen filter stays ticked');
    await page.screenshot({ path: join(screenshots, 'journey-filtered.png'), fullPage: true });
    await Promise.all([page.waitForURL(new RegExp(`${recordPath}$`)),
      page.getByRole('link', { name: journeyRecord.title }).first().click()]);
    const heading = await page.locator('h1').textContent();
    check(heading.trim() === journeyRecord.title, 'journey: the record page opens', heading);
    const summaryFirst = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('h2[id]')].map((h) => h.id);
      return ids.indexOf('summary') >= 0 && ids.indexOf('summary') < ids.indexOf('details');
    });
    check(summaryFirst, 'journey: the plain-language summary comes before the detail');
    await Promise.all([page.waitForURL(/\/diff\?from=1&to=2$/),
      page.getByRole('link', { name: /see the changes in version 2/ }).first().click()]);
    const diffText = await page.locator('main').textContent();
    check(diffText.includes('What changed from version 1 to version 2') && diffText.includes(journeyRecord.reviewed),
      'journey: the diff shows the changed field', diffText.slice(0, 400));
    await page.screenshot({ path: join(screenshots, 'journey-diff.png'), fullPage: true });
    await context.close();
    context = undefined;

    // A regulator signs in with a token (JavaScript on, as most will have it): the form, a
    // wrong token's error, then the oversight page; every state checked by axe.
    context = await playwright.chromium.launchPersistentContext(freshProfile(), {
      executablePath: chromiumPath, headless: true, args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
    });
    const regulator = await open(context, base, '/regulator/sign-in', 200);
    await checkStyled(regulator, 'regulator-sign-in');
    await checkAccessible(regulator, 'regulator-sign-in');
    await regulator.screenshot({ path: join(screenshots, 'regulator-sign-in.png'), fullPage: true });
    await regulator.fill('#token', 'candor_not-a-real-token');
    await Promise.all([regulator.waitForLoadState('load'), regulator.click('button[type=submit]')]);
    const errorText = await regulator.locator('.govuk-error-summary').textContent().catch(() => '');
    check(errorText.includes('does not give access'), 'regulator: a wrong token is explained', errorText);
    await checkAccessible(regulator, 'regulator-sign-in-error');
    await regulator.screenshot({ path: join(screenshots, 'regulator-sign-in-error.png'), fullPage: true });
    regulator.problems.length = 0;  // the wrong token's page was a 401 document, as it should be
    await regulator.fill('#token', regulatorToken);
    await Promise.all([regulator.waitForURL(/\/regulator$/), regulator.click('button[type=submit]')]);
    const overview = await regulator.locator('h1').textContent();
    check(overview.trim() === 'Compliance across the register', 'regulator: signed in, the oversight opens', overview);
    await checkStyled(regulator, 'regulator');
    await checkAccessible(regulator, 'regulator');
    await regulator.screenshot({ path: join(screenshots, 'regulator.png'), fullPage: true });
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'candor_session');
    check(session && session.httpOnly && session.secure && session.sameSite === 'Strict',
      'regulator: the session cookie is HttpOnly, Secure and SameSite=Strict', JSON.stringify(session));
    // Signed in, the regulator writes a review note on the journey record: the record page offers
    // the form, an empty note is explained, a note with markup is published and shown as text.
    await regulator.goto(`${base}${recordPath}`);
    await Promise.all([regulator.waitForURL(/\/regulator\/reviews\/new\?/), regulator.getByRole('link', { name: /Add a review note/ }).click()]);
    await checkStyled(regulator, 'regulator-review');
    await checkAccessible(regulator, 'regulator-review');
    await regulator.screenshot({ path: join(screenshots, 'regulator-review.png'), fullPage: true });
    await Promise.all([regulator.waitForLoadState('load'), regulator.getByRole('button', { name: 'Publish the review note' }).click()]);
    const reviewError = await regulator.locator('.govuk-error-summary').textContent().catch(() => '');
    check(reviewError.includes('Enter the text of the review note'), 'regulator: an empty review note is explained', reviewError);
    await checkAccessible(regulator, 'regulator-review-error');
    await regulator.screenshot({ path: join(screenshots, 'regulator-review-error.png'), fullPage: true });
    regulator.problems.length = 0;  // the error page was a 400 document, as it should be
    await regulator.fill('#text', 'The bias testing of this version is adequate.\nPublish the <b>next</b> results by March.');
    await Promise.all([regulator.waitForURL((url) => url.pathname === recordPath), regulator.getByRole('button', { name: 'Publish the review note' }).click()]);
    const reviewsText = await regulator.locator('#reviews ~ .candor-finding').first().textContent().catch(() => '');
    check(reviewsText.includes('AI Regulator') && reviewsText.includes('Publish the <b>next</b> results'),
      'regulator: the published note is on the record page, as text', reviewsText);
    await checkStyled(regulator, 'record-with-review');
    await checkAccessible(regulator, 'record-with-review');
    await regulator.screenshot({ path: join(screenshots, 'record-with-review.png'), fullPage: true });
    await regulator.goto(`${base}/regulator`);  // where the sign-out button is
    await Promise.all([regulator.waitForURL(/\/$/), regulator.getByRole('button', { name: 'Sign out' }).click()]);
    const after = await context.newPage();
    await after.goto(`${base}/regulator`);
    check(after.url().endsWith('/regulator/sign-in'), 'regulator: signing out ends the session', after.url());
    await context.close();
    context = undefined;

    // The Atom feed: served as Atom, newest first (the journey record's second version).
    const feed = await fetch(`${base}/feed.atom`);
    const feedText = await feed.text();
    check(feed.status === 200 && (feed.headers.get('content-type') || '').startsWith('application/atom+xml'),
      '/feed.atom is an Atom document', `${feed.status} ${feed.headers.get('content-type')}`);
    const firstEntry = feedText.indexOf('<entry>');
    check(feedText.includes('<feed xmlns="http://www.w3.org/2005/Atom">') && firstEntry > 0 &&
      feedText.indexOf(`${recordPath}/versions/2</id>`) > firstEntry &&
      feedText.indexOf(`${recordPath}/versions/2</id>`) < feedText.indexOf('<entry>', firstEntry + 1),
    '/feed.atom lists the newest version first', feedText.slice(0, 600));
  } finally {
    if (context) await context.close().catch(() => {});
    const exit = await stopServer(server);
    check(exit === 0, 'candor serve exits 0 on SIGTERM', `exit: ${exit}`);
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`screenshots: ${screenshots}`);
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
