// Helpers for the matching spec: dates as the server sees them (Amsterdam), a postcode-area
// file of our own for `oploop import postcodes`, and readers for the volunteer's checklist,
// the suggestions and a match's steps. Selectors are roles, labels and data-testids.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The date `offsetDays` from now in Amsterdam, as YYYY-MM-DD: the server checks dates
// ("not in the future") against the Amsterdam calendar, not the machine's.
export function amsterdamDate(offsetDays = 0) {
  const moment = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(moment);
}

// YYYY-MM-DD → DD-MM-YYYY, the way the pages write dates.
export function dutchDate(isoDate) {
  const [year, month, day] = isoDate.split('-');
  return `${day}-${month}-${year}`;
}

// Writes a PC4 CSV ({pc4: [latitude, longitude]}) into a temporary directory of its own.
// Returns {file, remove()}.
export async function postcodeAreasFile(areas) {
  const dir = await mkdtemp(join(tmpdir(), 'oploop-e2e-pc4-'));
  const file = join(dir, 'pc4.csv');
  const rows = Object.entries(areas).map(([pc4, [lat, lon]]) => `${pc4},${lat},${lon}`);
  await writeFile(file, `pc4,latitude,longitude\n${rows.join('\n')}\n`);
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

const collapse = (text) => (text ?? '').replace(/\s+/g, ' ').trim();

// The texts of the items of a list (or any elements), whitespace collapsed; textContent, so
// visually hidden words ("Gedaan:", "ontbreekt:") are part of what a screen reader hears.
export async function texts(locator) {
  return (await locator.allTextContents()).map(collapse);
}

// The volunteer page's screening checklist, one text per item.
export const checklist = (page) => texts(page.getByTestId('checklist').getByRole('listitem'));

// What still keeps the volunteer from being matched (empty when eligible).
export async function blockers(page) {
  const list = page.getByTestId('blockers');
  return (await list.count()) === 0 ? [] : texts(list.getByRole('listitem'));
}

// The suggestions on the matching page, best first: {name, score, reasons: [{criterion,
// points, why}]}.
export async function suggestions(page) {
  const out = [];
  for (const item of await page.getByTestId('suggestion').all()) {
    const title = collapse(await item.getByRole('heading').textContent());
    const score = title.match(/score (\d+) \/ (\d+)$/);
    const reasons = [];
    for (const row of await item.locator('tbody tr').all()) {
      reasons.push({
        criterion: collapse(await row.locator('th').textContent()),
        points: collapse(await row.locator('td').nth(0).textContent()),
        why: collapse(await row.locator('td').nth(1).textContent()),
      });
    }
    out.push({
      name: title.replace(/\s*score \d+ \/ \d+$/, ''),
      score: score ? Number(score[1]) : null,
      outOf: score ? Number(score[2]) : null,
      reasons,
    });
  }
  return out;
}

// A match's steps: [{text, current}] in order; `current` is the step marked aria-current.
export async function matchSteps(page) {
  const steps = page.getByRole('heading', { name: 'Fasen' }).locator('xpath=following-sibling::ol[1]/li');
  const out = [];
  for (const step of await steps.all()) {
    out.push({
      text: collapse(await step.textContent()),
      current: (await step.getAttribute('aria-current')) === 'step',
    });
  }
  return out;
}

// The match page's history, one text per transition ("DD-MM-YYYY: Actief").
export const matchHistory = (page) =>
  texts(page.getByRole('heading', { name: 'Geschiedenis' }).locator('xpath=following-sibling::ul[1]/li'));
