// Coordinator work in a real browser (SPEC §2.8), every page checked with axe: the coordinator
// plans a peer group session (first, wrongly, as a supervision with two volunteers), records
// who came and a note, writes down time, and records a partner consultation for a family; the
// volunteer then finds the session on a phone, without the coordinator's note. One server on a
// fresh SQLite database seeded by `oploop demo`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DESKTOP, launchBrowser, newPage, overflowsHorizontally, PHONE } from './support/browser.mjs';
import { accessible } from './support/demo.mjs';
import { amsterdamDate } from './support/matching.mjs';
import { clickAndWait, errorSummary, heading, parseDemoLogins, pathOf, signIn, watchPage } from './support/oploop.mjs';
import { screenshot } from './support/screenshot.mjs';
import { OPLOOP_BINARY, startServer } from './support/server.mjs';

let server;
let browser;
let logins;
let sessionPath;
const NOTE = 'Geesje twijfelt over de afbouw; volgende keer op terugkomen.';

before(async () => {
  server = await startServer({ setup: [[OPLOOP_BINARY, 'demo']] });
  logins = parseDemoLogins(server.setupResults[0].stdout);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});


const flash = async (page) => (await page.locator('.oploop-flash').innerText()).trim();

test('coordinator: plan a session, record attendance, time and a partner consultation', async (t) => {
  const { context, page, problems } = await newPage(browser, { viewport: DESKTOP, baseURL: server.baseUrl });
  const unexpected = watchPage(page, problems);
  const refusal = /^console: Failed to load resource: the server responded with a status of 409/;
  try {
    const today = amsterdamDate();
    await signIn(page, logins['coordinator@demo.oploop.test']);

    await page.goto('/begeleiding');
    assert.equal(await heading(page), 'Begeleiding en bijeenkomsten');
    assert.match(await page.locator('main').innerText(), /Er staat niets gepland\./);
    await accessible(t, page, 'begeleiding (leeg)');

    await clickAndWait(page, page.getByRole('link', { name: 'Nieuwe bijeenkomst plannen' }));
    assert.equal(pathOf(page), '/begeleiding/nieuw');
    assert.equal(await page.getByLabel('Datum').inputValue(), today);
    await accessible(t, page, 'nieuwe bijeenkomst');

    // A supervision is with one volunteer: two are refused, and what was typed stays.
    const invitees = page.getByRole('group', { name: 'Wie nodigt u uit?' });
    await page.getByLabel('Soort bijeenkomst').selectOption({ label: 'Begeleidingsgesprek' });
    await page.getByLabel('Titel of thema').fill('Intervisie februari');
    await page.getByLabel('Begintijd').fill('19:30');
    await page.getByLabel('Duur in minuten').fill('90');
    await invitees.getByRole('checkbox', { name: /Geesje/ }).check();
    await invitees.getByRole('checkbox', { name: /Joost/ }).check();
    let response = await clickAndWait(page, page.getByRole('button', { name: 'Bijeenkomst opslaan' }));
    assert.equal(response.status(), 422);
    const summary = await errorSummary(page);
    assert.deepEqual(summary?.items.map((i) => i.href), ['#f-volunteer_ids'], JSON.stringify(summary));
    assert.match(summary.items[0].text, /precies één vrijwilliger/);
    assert.equal(await page.getByLabel('Titel of thema').inputValue(), 'Intervisie februari');
    assert.equal(await invitees.getByRole('checkbox', { name: /Joost/ }).isChecked(), true);
    await accessible(t, page, 'nieuwe bijeenkomst met fouten');

    await page.getByLabel('Soort bijeenkomst').selectOption({ label: 'Intervisie' });
    await page.getByLabel('Aantekeningen').fill(NOTE);
    response = await clickAndWait(page, page.getByRole('button', { name: 'Bijeenkomst opslaan' }));
    assert.equal(response.status(), 200);
    assert.match(pathOf(page), /^\/begeleiding\/[^/]+$/);
    sessionPath = pathOf(page);
    assert.equal(await heading(page), 'Intervisie februari');
    assert.equal(await flash(page), 'De bijeenkomst is opgeslagen.');
    await accessible(t, page, 'bijeenkomst');

    // Today's session: tick who came.
    const attendance = page.getByRole('group', { name: 'Vink aan wie er was.' });
    await attendance.getByRole('checkbox', { name: /Geesje/ }).check();
    await clickAndWait(page, page.getByRole('button', { name: 'Aanwezigheid opslaan' }));
    assert.equal(await flash(page), 'De aanwezigheid is opgeslagen.');
    assert.equal(await attendance.getByRole('checkbox', { name: /Geesje/ }).isChecked(), true);
    assert.equal(await attendance.getByRole('checkbox', { name: /Joost/ }).isChecked(), false);
    await accessible(t, page, 'bijeenkomst met aanwezigheid');
    await screenshot(page, 'coordination-session');

    await page.goto('/begeleiding');
    assert.match(await page.locator('main').innerText(), /Intervisie februari[\s\S]*Aanwezig: 1 \/ 2/);
    await accessible(t, page, 'begeleiding');

    // Time: the quick form, then the week's total.
    await page.goto('/uren');
    assert.equal(await heading(page), 'Mijn uren');
    assert.equal(await page.getByLabel('Datum').inputValue(), today);
    await accessible(t, page, 'uren (leeg)');
    await page.getByLabel('Minuten').fill('0');
    response = await clickAndWait(page, page.getByRole('button', { name: 'Tijd opslaan' }));
    assert.equal(response.status(), 422);
    await accessible(t, page, 'uren met fouten');
    await page.getByLabel('Minuten').fill('90');
    await page.getByLabel('Waaraan').selectOption({ label: 'Intervisie' });
    await clickAndWait(page, page.getByRole('button', { name: 'Tijd opslaan' }));
    assert.equal(await flash(page), 'De tijd is opgeslagen.');
    assert.match(await page.getByTestId('week-total').innerText(), /90 minuten \(1:30 uur\)/);
    await accessible(t, page, 'uren');
    await screenshot(page, 'coordination-time');

    // A family's partner consultations.
    await page.goto('/wachtlijst');
    const familyLink = page.locator('main a[href^="/gezinnen/"]').first();
    const familyPath = await familyLink.getAttribute('href');
    await page.goto(`${familyPath}/overleg`);
    assert.match(await heading(page), /^Overleg met partners: /);
    await accessible(t, page, 'overleg (leeg)');
    response = await clickAndWait(page, page.getByRole('button', { name: 'Overleg opslaan' }));
    assert.equal(response.status(), 422);
    await accessible(t, page, 'overleg met fouten');
    await page.getByLabel('Met wie was het overleg?').selectOption({ label: 'Consultatiebureau' });
    await page.getByLabel('Naam van de organisatie of persoon').fill('CB Oost (demo)');
    await page.getByLabel('Wat is besproken en afgesproken?').fill('Groei van de jongste besproken.');
    await clickAndWait(page, page.getByRole('button', { name: 'Overleg opslaan' }));
    assert.equal(await flash(page), 'Het overleg is opgeslagen.');
    assert.match(await page.locator('main').innerText(), /Consultatiebureau: CB Oost \(demo\)/);
    await accessible(t, page, 'overleg');

    assert.deepEqual(unexpected().filter((p) => !refusal.test(p)), []);
  } finally {
    await context.close();
  }
});

test('volunteer: finds their session on a phone, without the notes', async (t) => {
  assert.ok(sessionPath, 'the coordinator test planned the session');
  const { context, page, problems } = await newPage(browser, { viewport: PHONE, baseURL: server.baseUrl });
  const unexpected = watchPage(page, problems);
  try {
    await signIn(page, logins['vrijwilliger@demo.oploop.test']);
    await page.goto('/begeleiding');
    assert.equal(await heading(page), 'Begeleiding en bijeenkomsten');
    const main = await page.locator('main').innerText();
    assert.match(main, /Intervisie februari/);
    assert.match(main, /U was erbij\./);
    assert.doesNotMatch(main, /Nieuwe bijeenkomst/);
    assert.equal(await overflowsHorizontally(page), false, '/begeleiding scrolls sideways at 375 px');
    await accessible(t, page, 'begeleiding (vrijwilliger)');

    await clickAndWait(page, page.getByRole('link', { name: 'Intervisie februari' }));
    assert.equal(pathOf(page), sessionPath);
    const detail = await page.locator('main').innerText();
    assert.match(detail, /U was erbij\./);
    assert.doesNotMatch(detail, /twijfelt/);
    assert.doesNotMatch(detail, /Joost/);
    assert.equal(await overflowsHorizontally(page), false, 'the session page scrolls sideways at 375 px');
    await accessible(t, page, 'bijeenkomst (vrijwilliger)');
    await screenshot(page, 'coordination-volunteer-session');
    assert.deepEqual(unexpected(), []);
  } finally {
    await context.close();
  }
});
