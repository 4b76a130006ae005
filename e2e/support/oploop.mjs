// Helpers for specs against the application itself: the logins `oploop demo` prints, signing
// in (with the two-step code), submitting a form and reading the page that comes back, and a
// check that a page ran cleanly. Selectors use the ids and names the templates give fields
// (web::Form: "f-<name>"), so the helpers work in either language.
import assert from 'node:assert/strict';

import { totp } from './totp.mjs';

// `oploop demo` prints per user "  <role>  <email>  wachtwoord/password: <pw>" and, for the
// roles with two-step sign-in, a next line ending in "TOTP secret: <BASE32>".
// Returns {email: {role, email, password, totpSecret}} (totpSecret null without 2FA).
export function parseDemoLogins(stdout) {
  const logins = {};
  let last = null;
  for (const line of stdout.split('\n')) {
    const login = line.match(/^\s+(\w+)\s+(\S+@\S+)\s+wachtwoord\/password:\s+(\S+)\s*$/);
    if (login) {
      last = { role: login[1], email: login[2], password: login[3], totpSecret: null };
      logins[last.email] = last;
      continue;
    }
    const secret = line.match(/TOTP secret:\s*([A-Z2-7]+=*)\s*$/);
    if (secret && last) last.totpSecret = secret[1];
  }
  return logins;
}

// Clicks `target` (a locator) and waits for the page the browser ends on, after any
// redirects. Returns that page's response, so a test can check 200, 403 or 422.
export async function clickAndWait(page, target, { timeoutMs = 15_000 } = {}) {
  let onResponse;
  const landed = new Promise((resolve) => {
    onResponse = (response) => {
      const request = response.request();
      const status = response.status();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
      if (status >= 300 && status < 400) return; // the redirect, not where it leads
      resolve(response);
    };
    page.on('response', onResponse);
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no page loaded within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await target.click();
    const response = await Promise.race([landed, timeout]);
    await page.waitForLoadState('load');
    return response;
  } finally {
    clearTimeout(timer);
    page.off('response', onResponse);
  }
}

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

// The page's <h1>, whitespace collapsed.
export async function heading(page) {
  return (await page.locator('h1').first().innerText()).replace(/\s+/g, ' ').trim();
}

const submitButton = (page, action) => page.locator(`form[action="${action}"] button[type=submit]`);

// Signs in through the forms: password, then the code from the authenticator (computed from
// the secret) when the account has two-step sign-in. `visit(stage)` runs on each page on the
// way ("login", "code"), e.g. for an accessibility check. Ends on the page after sign-in.
export async function signIn(page, { email, password, totpSecret }, { visit = async () => {} } = {}) {
  const response = await page.goto('/inloggen');
  assert.equal(response.status(), 200, 'GET /inloggen');
  await visit('login');
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await clickAndWait(page, submitButton(page, '/inloggen'));
  if (pathOf(page) === '/inloggen/code') {
    assert.ok(totpSecret, `${email} needs a two-step code but has no secret`);
    await visit('code');
    await page.locator('#f-code').fill(totp(totpSecret));
    await clickAndWait(page, submitButton(page, '/inloggen/code'));
  }
}

// Fills the referral form (the coordinator's and the public one share the fields) from
// {field name: value}; `consent` and `urgency` are a checkbox and radios, the rest text.
export async function fillReferralForm(page, values) {
  for (const [name, value] of Object.entries(values)) {
    if (name === 'consent') await page.locator('#f-consent').setChecked(Boolean(value));
    else if (name === 'urgency') await page.locator(`#f-urgency-${value}`).check();
    else await page.locator(`#f-${name}`).fill(value);
  }
}

// A complete, valid referral (consent given) for a family called `contactName`.
export function validReferral(contactName, extra = {}) {
  return {
    contact_name: contactName,
    postcode: '3511 ab',
    house_number: '8',
    children_birth_years: '2015, 2019',
    languages: 'nl, ar',
    reason: 'Moeder staat er alleen voor, de kinderen missen vaak school. Het gezin wil graag iemand om mee te praten.',
    urgency: 'urgent',
    other_care: 'Maatschappelijk werk',
    referrer_name: 'Jan Verwijzer',
    referrer_organisation: 'Basisschool De Regenboog (demo)',
    referrer_email: 'jan.verwijzer@school.demo.oploop.test',
    referrer_phone: '030 123 45 67',
    consent: true,
    ...extra,
  };
}

// The error summary above a form: its title and the text and target of each item.
export async function errorSummary(page) {
  const summary = page.locator('.oploop-error-summary');
  if ((await summary.count()) === 0) return null;
  const items = [];
  for (const link of await summary.locator('li a').all()) {
    items.push({ text: (await link.innerText()).trim(), href: await link.getAttribute('href') });
  }
  return { title: (await summary.locator('h2').innerText()).trim(), items };
}

// The error message shown at a field (without the visually hidden "Fout:" prefix), or null.
export async function fieldError(page, id) {
  const message = page.locator(`#${id}-error`);
  if ((await message.count()) === 0) return null;
  const hidden = await message.locator('.oploop-visually-hidden').textContent();
  return (await message.textContent()).replace(hidden, '').replace(/\s+/g, ' ').trim();
}

// Console errors, page errors and failed sub-resources. The app answers some pages with
// 403 or 422 on purpose, and Chromium logs that document status as a console error; those
// lines are left out, while a failing style sheet, script or image is still caught.
export function watchPage(page, problems) {
  page.on('response', (response) => {
    const request = response.request();
    if (request.resourceType() !== 'document' && response.status() >= 400) {
      problems.push(`${response.status()} for ${request.resourceType()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // A load cut short because the page moved on (a form posted while the favicon was still
    // coming) is the browser's doing, not a broken resource: an error answer is caught above.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`failed ${request.resourceType()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  return () =>
    problems.filter(
      (p) => !/^console: Failed to load resource: the server responded with a status of (403|404|422)/.test(p),
    );
}

// A fresh context and page with JavaScript switched off: every page must work without
// oploop.js (progressive enhancement only). Same shape as browser.mjs's newPage().
export async function newPageWithoutScripts(browser, { viewport, locale = 'nl-NL', baseURL } = {}) {
  const context = await browser.newContext({
    viewport,
    locale,
    baseURL,
    javaScriptEnabled: false,
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}
