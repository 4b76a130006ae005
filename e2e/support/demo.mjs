// The set-up most specs share: one server on a fresh SQLite database seeded by `oploop demo`,
// the logins it printed, one Chromium; a fresh page per scenario that must run cleanly; and an
// accessibility check that fails on serious findings and reports minor ones.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { checkAccessibility, formatViolations } from './axe.mjs';
import { launchBrowser, newPage } from './browser.mjs';
import { parseDemoLogins, watchPage } from './oploop.mjs';
import { OPLOOP_BINARY, startServer } from './server.mjs';

// Registers before/after hooks; the returned object holds {server, browser, logins} once the
// spec's tests run.
export function useDemo() {
  const demo = {};
  before(async () => {
    demo.server = await startServer({ setup: [[OPLOOP_BINARY, 'demo']] });
    demo.logins = parseDemoLogins(demo.server.setupResults[0].stdout);
    assert.ok(demo.logins['coordinator@demo.oploop.test']?.totpSecret, demo.server.setupResults[0].stdout);
    demo.browser = await launchBrowser();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}

// Runs `body(page)` on a fresh page of the demo server; afterwards the page must have run
// cleanly (no console errors, CSP violations or failed resources).
export async function withPage(demo, options, body) {
  const { context, page, problems } = await newPage(demo.browser, { baseURL: demo.server.baseUrl, ...options });
  const unexpected = watchPage(page, problems);
  try {
    await body(page);
    assert.deepEqual(unexpected(), [], 'console errors, CSP violations or failed resources');
  } finally {
    await context.close();
  }
}

// axe on the page as it is: serious findings fail (checkAccessibility), minor ones are
// reported as a diagnostic of test `t`.
export async function accessible(t, page, label) {
  const { minor } = await checkAccessibility(page, { label });
  if (minor.length) t.diagnostic(`axe (minor) on ${label}:\n${formatViolations(minor)}`);
}
