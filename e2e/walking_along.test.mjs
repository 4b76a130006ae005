// Walking along on a phone (SPEC §2.6–2.7, §3), every page checked with axe, at 375×812:
// the demo volunteer opens the app, logs a contact in two taps from "Vandaag" ("Contact
// vastleggen", then "Opslaan" on the form that has today and the usual duration filled in),
// then raises an urgent safety concern. The coordinator, also on a phone, finds that concern at
// the top of "Vandaag", opens it, marks it as seen, and works the five meldcode steps in order,
// answering the assessment questions. Finally the volunteer sees the status of the concern and
// none of the coordinator's words. One server on a fresh SQLite database seeded by `oploop demo`.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { overflowsHorizontally, PHONE } from './support/browser.mjs';
import { accessible as axeClean, useDemo, withPage } from './support/demo.mjs';
import { amsterdamDate, dutchDate } from './support/matching.mjs';
import { clickAndWait, heading, pathOf, signIn } from './support/oploop.mjs';
import { screenshot } from './support/screenshot.mjs';

const demo = useDemo();
let concernPath;
const DESCRIPTION = 'Zoontje had blauwe plekken op zijn armen en wilde niet naar huis.';
const COORDINATOR_NOTE = 'Met collega besproken; Veilig Thuis gebeld voor advies.';

// axe clean, and nothing scrolls sideways on the phone.
async function accessible(t, page, label) {
  await axeClean(t, page, label);
  assert.equal(await overflowsHorizontally(page), false, `${label} scrolls sideways at 375 px`);
}

const onPhone = (body) => withPage(demo, { viewport: PHONE }, body);

test('volunteer: a contact in two taps from Vandaag, then an urgent concern', async (t) => {
  await onPhone(async (page) => {
    await signIn(page, demo.logins['vrijwilliger@demo.oploop.test']);
    assert.equal(pathOf(page), '/');
    await accessible(t, page, 'Vandaag (vrijwilliger)');
    const card = page.getByTestId('family-card');
    assert.equal(await card.count(), 1, 'one family on the volunteer home');

    // Tap 1: "Contact vastleggen". Tap 2: "Opslaan" — nothing typed in between.
    let taps = 0;
    await clickAndWait(page, card.getByRole('link', { name: /^Contact vastleggen/ }));
    taps += 1;
    assert.match(pathOf(page), /^\/koppelingen\/[^/]+\/contact\/nieuw$/);
    assert.equal(await page.locator('#contact-date').inputValue(), amsterdamDate(), 'today is filled in');
    assert.notEqual(await page.locator('#contact-minutes').inputValue(), '', 'the usual duration is filled in');
    await accessible(t, page, 'contact vastleggen');
    await screenshot(page, 'walking-contact-form-375');
    await clickAndWait(page, page.getByRole('button', { name: 'Opslaan' }));
    taps += 1;
    assert.equal(taps, 2);
    assert.equal(pathOf(page), '/', 'back on Vandaag after saving');
    assert.equal(await page.locator('.oploop-flash').innerText(), 'Contact opgeslagen');
    assert.equal(await card.getByTestId('last-contact').innerText(), dutchDate(amsterdamDate()));

    // An urgent concern about safety, from the same card.
    await clickAndWait(page, card.getByTestId('raise-concern'));
    assert.match(pathOf(page), /^\/koppelingen\/[^/]+\/signaal\/nieuw$/);
    await accessible(t, page, 'zorg melden');
    // Empty form first: every field is named, nothing is saved.
    await clickAndWait(page, page.getByRole('button', { name: 'Zorg melden' }));
    assert.equal(await page.locator('.oploop-error-summary').count(), 1, 'the empty form is refused');
    await page.locator('#concern-severity-urgent').check();
    await page.locator('#concern-category-safety').check();
    await page.locator('#concern-description').fill(DESCRIPTION);
    await screenshot(page, 'walking-concern-form-375');
    await clickAndWait(page, page.getByRole('button', { name: 'Zorg melden' }));
    assert.match(await page.locator('.oploop-flash, main').first().innerText(), /meteen een e-mail/);
  });
});

test('coordinator: the urgent concern tops Vandaag; acknowledge it and work the five meldcode steps', async (t) => {
  await onPhone(async (page) => {
    await signIn(page, demo.logins['coordinator@demo.oploop.test']);
    assert.equal(pathOf(page), '/');
    await accessible(t, page, 'Vandaag (coördinator)');
    await screenshot(page, 'walking-today-coordinator-375');

    // The concerns come first on the page, the urgent one first among them, in words too.
    const sections = await page.locator('main section h2').allInnerTexts();
    assert.equal(sections[0], 'Signalen (urgent eerst)');
    const first = page.getByTestId('today-concern').first();
    assert.match(await first.innerText(), /Urgent.*Nog niet bevestigd/s);

    await clickAndWait(page, first.getByRole('link'));
    concernPath = pathOf(page);
    assert.match(concernPath, /^\/signalen\/[^/]+$/);
    assert.equal(await page.getByTestId('concern-description').innerText(), DESCRIPTION);
    await accessible(t, page, 'signaal');

    await clickAndWait(page, page.getByRole('button', { name: 'Markeren als gezien' }));
    assert.equal(await page.getByTestId('concern-status').innerText(), 'Gezien');
    await page.locator('#note-text').fill(COORDINATOR_NOTE);
    await clickAndWait(page, page.getByRole('button', { name: 'Notitie opslaan' }));
    assert.match(await page.getByTestId('concern-history').innerText(), /Veilig Thuis gebeld/);

    // The five steps, each on the form the page offers next; the step to record is marked.
    const steps = page.getByTestId('meldcode-steps').locator('li');
    assert.equal(await steps.count(), 5);
    const summaries = [
      'Blauwe plekken gezien door de vrijwilliger; kind wil niet naar huis.',
      'Overlegd met collega en anoniem met Veilig Thuis.',
      'Gesprek met moeder gevoerd; zij herkent de zorgen.',
      'Vermoeden blijft; geen acute onveiligheid; hulp is mogelijk en wordt aanvaard.',
      'Hulp organiseren via het wijkteam; over zes weken evalueren.',
    ];
    for (let step = 1; step <= 5; step += 1) {
      assert.equal(await steps.nth(step - 1).getAttribute('aria-current'), 'step', `step ${step} is next`);
      const form = page.locator('form[action$="/meldcode"]');
      assert.equal(await form.locator('input[name=step]').inputValue(), String(step));
      await form.locator('#meldcode-date').fill(amsterdamDate());
      await form.locator('#meldcode-summary').fill(summaries[step - 1]);
      if (step === 4) {
        for (const [code, answer] of [['suspicion', 'yes'], ['unsafety', 'no'], ['help_possible', 'yes'],
          ['help_accepted', 'yes'], ['help_effective', 'yes']]) {
          await form.locator(`#meldcode-answer_${code}-${answer}`).check();
        }
      }
      if (step === 5) await form.locator('#meldcode-decision-organise_help').check();
      if (step === 4) await accessible(t, page, 'meldcode stap 4');
      await clickAndWait(page, form.getByRole('button', { name: 'Stap opslaan' }));
      assert.equal(pathOf(page), concernPath);
      assert.match(await steps.nth(step - 1).getAttribute('class'), /oploop-steps__step--done/);
    }
    assert.match(await page.getByTestId('meldcode-advice').innerText(), /hulp/i);
    assert.match(await page.locator('#meldcode').innerText(), /Hulp organiseren/);
    await accessible(t, page, 'meldcode afgerond');
    await screenshot(page, 'walking-meldcode-done-375');

    // Back on Vandaag the concern is still open but no longer unacknowledged.
    await page.goto('/');
    assert.doesNotMatch(await page.getByTestId('today-concerns').innerText(), /Nog niet bevestigd/);
  });
});

test('volunteer: sees the status of their concern, never the coordinator\'s words', async (t) => {
  await onPhone(async (page) => {
    await signIn(page, demo.logins['vrijwilliger@demo.oploop.test']);
    await clickAndWait(page, page.getByRole('link', { name: 'Mijn signalen' }).first());
    assert.equal(pathOf(page), '/mijn-signalen');
    await accessible(t, page, 'mijn signalen');
    const text = await page.locator('main').innerText();
    assert.match(text, /Gezien/);
    const response = await page.goto(concernPath);
    assert.equal(response.status(), 200);
    assert.equal(await heading(page), 'Mijn melding');
    const own = await page.locator('main').innerText();
    assert.match(own, /Zoontje had blauwe plekken/);
    for (const secret of ['Veilig Thuis gebeld', 'wijkteam', 'Overlegd met collega', 'meldcode']) {
      assert.doesNotMatch(own, new RegExp(secret, 'i'), `the volunteer sees "${secret}"`);
    }
    await accessible(t, page, 'mijn melding');
  });
});
