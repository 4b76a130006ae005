// The public referral form (/aanmelden/{organisation}) in a real browser: a referrer without
// an account must tick the family's consent, gets a thank-you page that repeats nothing of
// what was sent, and the coordinator finds the referral among the new ones on Vandaag.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkAccessibility } from './support/axe.mjs';
import { DESKTOP, overflowsHorizontally, PHONE } from './support/browser.mjs';
import { useDemo, withPage as withDemoPage } from './support/demo.mjs';
import {
  clickAndWait,
  errorSummary,
  fieldError,
  fillReferralForm,
  heading,
  pathOf,
  signIn,
  validReferral,
} from './support/oploop.mjs';
import { screenshot } from './support/screenshot.mjs';

const CONTACT = 'Sara Openformulier';

const demo = useDemo();
const withPage = (options, body) => withDemoPage(demo, options, body);

test('referrer: consent is required, then thanks; the coordinator sees the new referral', async () => {
  // The referrer, on a phone, without an account.
  await withPage({ viewport: PHONE }, async (page) => {
    const response = await page.goto('/aanmelden/demo');
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Gezin aanmelden');
    assert.match(await page.locator('main').innerText(), /Welzijn Voorbeeldstad \(demo\)/);
    assert.equal(await page.locator('nav').count(), 0, 'no navigation for someone not signed in');
    await checkAccessibility(page, { label: 'openbaar aanmeldformulier' });
    assert.equal(await overflowsHorizontally(page), false, 'the form scrolls sideways on a phone');

    // Everything but the consent.
    await fillReferralForm(page, validReferral(CONTACT, { consent: false }));
    const send = page.getByRole('button', { name: 'Aanmelding versturen' });
    let sent = await clickAndWait(page, send);
    assert.equal(sent.status(), 422);
    const summary = await errorSummary(page);
    assert.deepEqual(summary?.items, [
      {
        text: 'Het gezin geeft toestemming voor deze aanmelding: Het gezin moet toestemming geven voordat u het aanmeldt.',
        href: '#f-consent',
      },
    ]);
    assert.equal(await fieldError(page, 'f-consent'), 'Het gezin moet toestemming geven voordat u het aanmeldt.');
    const consent = page.locator('#f-consent');
    assert.equal(await consent.getAttribute('aria-invalid'), 'true');
    assert.match((await consent.getAttribute('aria-describedby')) ?? '', /\bf-consent-error\b/);
    assert.equal(await consent.isChecked(), false);
    assert.equal(await page.locator('#f-contact_name').inputValue(), CONTACT, 'what was typed is kept');
    assert.equal(await page.locator('#f-urgency-urgent').isChecked(), true);
    await checkAccessibility(page, { label: 'openbaar aanmeldformulier met fout' });
    await screenshot(page, 'public-referral-error-375');

    await consent.check();
    sent = await clickAndWait(page, send);
    assert.equal(sent.status(), 200);
    assert.equal(pathOf(page), '/aanmelden/demo/bedankt');
    assert.equal(await heading(page), 'Aanmelding ontvangen');
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(CONTACT), 'thanks repeats nothing sent');
    await checkAccessibility(page, { label: 'bedankt' });
  });

  // The coordinator of Team Noord: a public referral has no team yet, so every team sees it.
  await withPage({ viewport: DESKTOP }, async (page) => {
    await signIn(page, demo.logins['coordinator@demo.oploop.test']);
    assert.equal(pathOf(page), '/');
    const newReferrals = page.locator('section[aria-labelledby="new-referrals"]');
    const link = newReferrals.getByRole('link', { name: CONTACT });
    assert.equal(await link.count(), 1, `"${CONTACT}" among the new referrals`);
    assert.match(
      await newReferrals.locator('li', { has: page.getByRole('link', { name: CONTACT }) }).innerText(),
      /Dringend[\s\S]*Basisschool De Regenboog \(demo\)/,
    );
    await clickAndWait(page, link);
    assert.equal(await heading(page), `Aanmelding: ${CONTACT}`);
    assert.equal(await page.getByTestId('referral-status').innerText(), 'Nieuw');
    assert.match(await page.locator('dl').innerText(), /het aanmeldformulier/);
  });
});

test('unknown organisation: 404, no form', async () => {
  await withPage({ viewport: DESKTOP }, async (page) => {
    const response = await page.goto('/aanmelden/bestaat-niet');
    assert.equal(response.status(), 404);
    assert.equal(await heading(page), 'We kunnen deze pagina niet vinden.');
    assert.equal(await page.locator('form[action^="/aanmelden/"]').count(), 0);
  });
});
