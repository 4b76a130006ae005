// The first vertical slice in a real browser against a real server: a coordinator signs in
// with a two-step code, takes a referral through the form (with its errors), accepts it and
// finds the family on the waiting list; a volunteer is refused the same pages; a new
// coordinator sets up two-step sign-in; and the language switch, also without JavaScript.
// One server on a fresh SQLite database for the whole file, seeded by `oploop demo`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkAccessibility } from './support/axe.mjs';
import { DESKTOP, launchBrowser, overflowsHorizontally, PHONE } from './support/browser.mjs';
import { withPage as withDemoPage } from './support/demo.mjs';
import {
  clickAndWait,
  errorSummary,
  fieldError,
  fillReferralForm,
  heading,
  newPageWithoutScripts,
  parseDemoLogins,
  pathOf,
  signIn,
  validReferral,
  watchPage,
} from './support/oploop.mjs';
import { screenshot } from './support/screenshot.mjs';
import { OPLOOP_BINARY, startServer } from './support/server.mjs';
import { totp } from './support/totp.mjs';

const ENROLLING = {
  email: 'eva.instelmans@demo.oploop.test',
  name: 'Eva Instelmans',
  password: 'lange-wandeling-langs-de-vecht',
};

let server;
let browser;
let logins;

before(async () => {
  server = await startServer({
    setup: [
      [OPLOOP_BINARY, 'demo'],
      {
        argv: [
          OPLOOP_BINARY, 'user', 'add', '--org', 'demo', '--role', 'coordinator',
          '--email', ENROLLING.email, '--name', ENROLLING.name, '--team', 'Team Noord',
          '--password-stdin',
        ],
        input: `${ENROLLING.password}\n`,
      },
    ],
  });
  logins = parseDemoLogins(server.setupResults[0].stdout);
  for (const email of [
    'coordinator@demo.oploop.test',
    'coordinator.zuid@demo.oploop.test',
    'vrijwilliger@demo.oploop.test',
  ]) {
    assert.ok(logins[email], `oploop demo printed no login for ${email}:\n${server.setupResults[0].stdout}`);
  }
  assert.ok(logins['coordinator@demo.oploop.test'].totpSecret, 'no TOTP secret for the coordinator');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A fresh page per scenario, which must run cleanly (support/demo.mjs).
const withPage = (options, body) => withDemoPage({ server, browser }, options, body);

const navLabels = (page) => page.locator('nav[aria-label="Hoofdmenu"] a').allInnerTexts();
const flash = async (page) => (await page.locator('.oploop-flash').innerText()).trim();

test('coordinator: sign in with a code, refer a family, accept it, find it on the waiting list', async () => {
  const coordinator = logins['coordinator@demo.oploop.test'];
  await withPage({ viewport: DESKTOP }, async (page) => {
    // Sign in: password, then the code from the authenticator app.
    await signIn(page, coordinator, {
      visit: async (stage) => {
        if (stage === 'login') {
          assert.equal(await heading(page), 'Inloggen');
          await checkAccessibility(page, { label: 'inloggen' });
        } else {
          assert.equal(await heading(page), 'Inlogcode');
          await checkAccessibility(page, { label: 'inlogcode (2FA)' });
        }
      },
    });

    // Vandaag: new referrals and the waiting list of the demo.
    assert.equal(pathOf(page), '/');
    assert.equal(await page.title(), 'Vandaag – Oploop');
    assert.equal(await heading(page), 'Goedendag, Lea');
    assert.equal(await page.locator('nav a[aria-current="page"]').innerText(), 'Vandaag');
    const newReferrals = page.locator('section[aria-labelledby="new-referrals"]');
    assert.equal(await newReferrals.locator('h2').innerText(), 'Nieuwe aanmeldingen');
    assert.ok((await newReferrals.locator('li a').count()) >= 1, 'the demo has a new referral');
    const waiting = page.locator('section[aria-labelledby="waiting-list"]');
    assert.equal(await waiting.locator('h2').innerText(), 'Wachtlijst (langst wachtend eerst)');
    assert.ok((await waiting.locator('li a').count()) >= 1, 'the demo has waiting families');
    await checkAccessibility(page, { label: 'Vandaag (coördinator)' });
    await screenshot(page, 'slice-home-1280');

    // Nieuwe aanmelding, first sent empty.
    await clickAndWait(page, newReferrals.getByRole('link', { name: 'Nieuwe aanmelding' }));
    assert.equal(pathOf(page), '/aanmeldingen/nieuw');
    assert.equal(await heading(page), 'Nieuwe aanmelding');
    await checkAccessibility(page, { label: 'nieuwe aanmelding' });
    const save = page.getByRole('button', { name: 'Aanmelding opslaan' });
    let response = await clickAndWait(page, save);
    assert.equal(response.status(), 422);
    assert.equal(pathOf(page), '/aanmeldingen');

    let summary = await errorSummary(page);
    assert.ok(summary, 'an error summary above the form');
    assert.equal(summary.title, 'Er ging iets mis');
    const summaryTargets = summary.items.map((i) => i.href).sort();
    for (const id of [
      'f-contact_name', 'f-postcode', 'f-house_number', 'f-reason',
      'f-referrer_name', 'f-referrer_organisation', 'f-referrer_email', 'f-consent',
    ]) {
      assert.ok(summaryTargets.includes(`#${id}`), `summary names ${id}: ${JSON.stringify(summary.items)}`);
    }
    // Each item leads to a field marked invalid, with the same plain-Dutch message beside it.
    for (const item of summary.items) {
      const id = item.href.slice(1);
      assert.equal(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true', `${id} aria-invalid`);
      // The summary names the field, then gives the same message as beside the field.
      const message = await fieldError(page, id);
      assert.ok(item.text.endsWith(`: ${message}`), `summary line for ${id}: ${item.text}`);
    }
    assert.equal(await fieldError(page, 'f-contact_name'), 'Vul dit veld in.');
    assert.equal(await fieldError(page, 'f-consent'), 'Het gezin moet toestemming geven voordat u het aanmeldt.');
    // Screen readers hear "Fout:" before the message.
    assert.equal(
      (await page.locator('#f-contact_name-error').textContent()).replace(/\s+/g, ' ').trim(),
      'Fout: Vul dit veld in.',
    );
    assert.match(
      (await page.locator('#f-contact_name').getAttribute('aria-describedby')) ?? '',
      /\bf-contact_name-error\b/,
    );
    // oploop.js puts the keyboard on the summary.
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('oploop-error-summary')), true);
    await checkAccessibility(page, { label: 'nieuwe aanmelding met fouten' });
    await screenshot(page, 'slice-referral-errors-1280');

    // A second failed submit keeps what was typed.
    await fillReferralForm(page, { contact_name: 'Noor Testgezin', postcode: '12345', reason: 'Eerste poging.' });
    response = await clickAndWait(page, save);
    assert.equal(response.status(), 422);
    assert.equal(await page.locator('#f-contact_name').inputValue(), 'Noor Testgezin');
    assert.equal(await page.locator('#f-reason').inputValue(), 'Eerste poging.');
    assert.equal(await page.locator('#f-postcode').inputValue(), '12345');
    assert.equal(await fieldError(page, 'f-postcode'), 'Vul een postcode in zoals 1234 AB.');
    assert.equal(await fieldError(page, 'f-contact_name'), null);
    assert.equal(await page.locator('#f-contact_name').getAttribute('aria-invalid'), null);

    // Now complete and right: saved, and the referral's page shows it.
    await fillReferralForm(page, validReferral('Noor Testgezin'));
    response = await clickAndWait(page, save);
    assert.equal(response.status(), 200);
    assert.match(pathOf(page), /^\/aanmeldingen\/[^/]+$/);
    assert.equal(await heading(page), 'Aanmelding: Noor Testgezin');
    assert.equal(await flash(page), 'De aanmelding is opgeslagen.');
    assert.equal(await page.getByTestId('referral-status').innerText(), 'Nieuw');
    const details = await page.locator('dl').innerText();
    assert.match(details, /3511 AB 8/, 'postcode written the usual way');
    assert.match(details, /Basisschool De Regenboog \(demo\)/);
    await checkAccessibility(page, { label: 'aanmelding' });

    // Accept it under a display name: the family's page, on the waiting list.
    const displayName = page.locator('#accept-display_name');
    assert.equal(await displayName.inputValue(), 'Noor Testgezin', 'display name starts as the contact name');
    await displayName.fill('Familie Testgezin');
    await clickAndWait(page, page.getByRole('button', { name: 'Aannemen en op de wachtlijst zetten' }));
    assert.match(pathOf(page), /^\/gezinnen\/[^/]+$/);
    const familyPath = pathOf(page);
    assert.equal(await heading(page), 'Familie Testgezin');
    assert.equal(await flash(page), 'Het gezin staat nu op de wachtlijst.');
    assert.equal(await page.getByTestId('family-status').innerText(), 'Op de wachtlijst');
    await checkAccessibility(page, { label: 'gezin' });
    await screenshot(page, 'slice-family-1280');
    // The same record on a phone: nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    assert.equal(await overflowsHorizontally(page), false, 'the family page scrolls sideways at 375 px');
    await screenshot(page, 'slice-family-375');
    await page.setViewportSize(DESKTOP);

    // The waiting list, reached through the navigation: waiting 0 days.
    await clickAndWait(page, page.locator('nav[aria-label="Hoofdmenu"]').getByRole('link', { name: 'Wachtlijst' }));
    assert.equal(pathOf(page), '/wachtlijst');
    assert.equal(await heading(page), 'Wachtlijst');
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: 'Familie Testgezin' }) });
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByRole('link').getAttribute('href'), familyPath);
    assert.equal((await row.getByTestId('days-waiting').innerText()).trim(), '0');
    assert.match(await row.innerText(), /3511 AB/);
    await checkAccessibility(page, { label: 'wachtlijst' });
    await screenshot(page, 'slice-waiting-list-1280');
  });
});

test('volunteer: no referrals or waiting list, on a phone', async () => {
  const volunteer = logins['vrijwilliger@demo.oploop.test'];
  assert.equal(volunteer.totpSecret, null, 'a volunteer signs in without a code');
  await withPage({ viewport: PHONE }, async (page) => {
    await signIn(page, volunteer);
    assert.equal(pathOf(page), '/', 'straight to Vandaag after the password');
    assert.equal(await heading(page), 'Goedendag, Geesje');
    assert.equal(await page.locator('#my-family').innerText(), 'Mijn gezin');
    assert.equal(await page.locator('section[aria-labelledby="new-referrals"]').count(), 0);
    assert.equal(await page.locator('section[aria-labelledby="waiting-list"]').count(), 0);
    await checkAccessibility(page, { label: 'Vandaag (vrijwilliger, 375 px)' });
    assert.equal(await overflowsHorizontally(page), false, 'the volunteer home scrolls sideways');
    await screenshot(page, 'slice-volunteer-home-375');
    // Every page for coordinators answers 403 with the plain-Dutch refusal, and the
    // navigation does not offer them. Gathered first, so one run shows every difference.
    const seen = { nav: await navLabels(page) };
    for (const path of ['/aanmeldingen', '/aanmeldingen/nieuw', '/wachtlijst']) {
      const response = await page.goto(path);
      seen[path] = `${response.status()} ${await heading(page)}`;
    }
    const refused = '403 U mag dit niet doen met uw rol.';
    assert.deepEqual(seen, {
      nav: ['Vandaag', 'Mijn signalen', 'Begeleiding', 'Mijn account'],
      '/aanmeldingen': refused,
      '/aanmeldingen/nieuw': refused,
      '/wachtlijst': refused,
    });
  });
});

test('new coordinator: sets up two-step sign-in with the QR code or the key', async () => {
  await withPage({ viewport: DESKTOP }, async (page) => {
    await signIn(page, { email: ENROLLING.email, password: ENROLLING.password });
    assert.equal(pathOf(page), '/inloggen/instellen', 'a coordinator without 2FA must enrol');
    assert.equal(await heading(page), 'Inloggen in twee stappen instellen');
    const qr = page.locator('.oploop-qr svg');
    assert.equal(await qr.count(), 1, 'a QR code');
    assert.equal((await qr.locator('title').textContent()).trim(), 'QR-code om in uw app te scannen');
    const shown = (await page.getByTestId('totp-secret').innerText()).trim();
    assert.match(shown, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the key in groups of four');
    const secret = shown.replace(/\s+/g, '');
    await checkAccessibility(page, { label: 'inloggen in twee stappen instellen' });

    // A wrong code: told so, and the key stays the same (the app has it already).
    const code = totp(secret);
    const wrong = code.slice(0, 5) + String((Number(code[5]) + 5) % 10);
    await page.locator('#f-code').fill(wrong);
    const submit = page.getByRole('button', { name: 'Instellen' });
    const response = await clickAndWait(page, submit);
    assert.equal(response.status(), 422);
    assert.equal(await fieldError(page, 'f-code'), 'Deze code klopt niet of is verlopen. Vul de nieuwste code uit uw app in.');
    assert.equal((await page.getByTestId('totp-secret').innerText()).trim(), shown);
    await checkAccessibility(page, { label: 'instellen met foute code' });

    await page.locator('#f-code').fill(totp(secret));
    await clickAndWait(page, submit);
    assert.equal(pathOf(page), '/');
    assert.equal(await heading(page), 'Goedendag, Eva');
    assert.equal(await flash(page), 'Inloggen in twee stappen staat aan.');
  });
});

test('language: the header switches to English and back', async () => {
  await withPage({ viewport: DESKTOP }, async (page) => {
    await page.goto('/inloggen');
    assert.equal(await heading(page), 'Inloggen');
    await clickAndWait(page, page.getByRole('button', { name: 'English' }));
    assert.equal(pathOf(page), '/inloggen', 'stays on the same page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await heading(page), 'Log in');
    assert.equal(await page.locator('label[for="f-email"]').innerText(), 'E-mail address');
    await checkAccessibility(page, { label: 'login in English' });
    await clickAndWait(page, page.getByRole('button', { name: 'Nederlands' }));
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    assert.equal(await heading(page), 'Inloggen');
  });
});

test('without JavaScript: language switch, sign-in and the referral form all work', async () => {
  const coordinator = logins['coordinator.zuid@demo.oploop.test'];
  const { context, page, problems } = await newPageWithoutScripts(browser, {
    viewport: DESKTOP,
    baseURL: server.baseUrl,
  });
  const unexpected = watchPage(page, problems);
  try {
    await page.goto('/inloggen');
    await clickAndWait(page, page.getByRole('button', { name: 'English' }));
    assert.equal(await heading(page), 'Log in');

    await signIn(page, coordinator);
    assert.equal(pathOf(page), '/');
    assert.equal(await heading(page), 'Hello, Ravi');
    assert.ok((await page.locator('nav a').allInnerTexts()).includes('Referrals'));

    await page.goto('/aanmeldingen/nieuw');
    assert.equal(await heading(page), 'New referral');
    const save = page.getByRole('button', { name: 'Save referral' });
    let response = await clickAndWait(page, save);
    assert.equal(response.status(), 422);
    const summary = await errorSummary(page);
    assert.equal(summary?.title, 'Something went wrong');
    assert.equal(await fieldError(page, 'f-contact_name'), 'Please fill in this field.');
    assert.equal(await fieldError(page, 'f-consent'), 'The family must give permission before you refer them.');

    await fillReferralForm(page, validReferral('Mila Zonderscript', { urgency: 'normal' }));
    response = await clickAndWait(page, save);
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Referral: Mila Zonderscript');
    assert.equal(await flash(page), 'The referral has been saved.');
    assert.equal(await page.getByTestId('referral-status').innerText(), 'New');
    assert.deepEqual(unexpected(), []);
  } finally {
    await context.close();
  }
});

// Known gap, kept visible without failing the run: the summary lists "Vul dit veld in." seven
// times, in alphabetical order of the field names (consent first), so a reader cannot tell
// which field each line is about. Good practice (NL Design System, GOV.UK): the summary
// follows the order of the form and each line says which field it is about.
test('error summary: in the order of the form, each line naming its field', async () => {
  await withPage({ viewport: DESKTOP }, async (page) => {
    await signIn(page, logins['projectleider@demo.oploop.test'], {});
    await page.goto('/aanmeldingen/nieuw');
    await clickAndWait(page, page.getByRole('button', { name: 'Aanmelding opslaan' }));
    const summary = await errorSummary(page);
    const inFormOrder = await page.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => `#${e.id}`));
    assert.deepEqual(summary.items.map((i) => i.href), inFormOrder, 'summary in the order of the form');
    const texts = summary.items.map((i) => i.text);
    assert.equal(new Set(texts).size, texts.length, `every line different: ${texts.join(' | ')}`);
  });
});
