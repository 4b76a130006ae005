// Proves the end-to-end harness without the application: Debian's Chromium through
// playwright-core, axe-core, screenshots, TOTP and the server starter. The page under test is
// e2e/fixtures/sample-page.html — the real layout and partials rendered by tests/render_test.cpp
// — served with our static files and the application's Content-Security-Policy.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { checkAccessibility } from './support/axe.mjs';
import { DESKTOP, launchBrowser, NARROW, newPage, overflowsHorizontally, PHONE } from './support/browser.mjs';
import { screenshot } from './support/screenshot.mjs';
import { REPO_ROOT, startServer } from './support/server.mjs';
import { base32Decode, hotp, totp } from './support/totp.mjs';

const STATIC_DIR = join(REPO_ROOT, 'src', 'web', 'static');
const SAMPLE_PAGE = join(REPO_ROOT, 'e2e', 'fixtures', 'sample-page.html');
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const TYPES = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

// A small static server standing in for `oploop serve`: / is the sample page, /static/* the
// files under src/web/static (query strings such as ?v= ignored).
async function startSampleServer() {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = null;
    if (path === '/') file = SAMPLE_PAGE;
    else if (path.startsWith('/static/')) {
      const candidate = normalize(join(STATIC_DIR, path.slice('/static/'.length)));
      if (candidate.startsWith(STATIC_DIR + sep)) file = candidate;
    }
    try {
      if (!file) throw new Error('not found');
      const body = await readFile(file);
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${server.address().port}` };
}

describe('TOTP helper', () => {
  // RFC 6238 appendix B, SHA-1, seed "12345678901234567890".
  const seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  test('decodes base32', () => {
    assert.equal(base32Decode(seed).toString('ascii'), '12345678901234567890');
    assert.equal(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString('ascii'), '12345678901234567890');
  });
  test('matches the RFC 6238 test vectors', () => {
    const vectors = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) {
      assert.equal(totp(seed, { time: seconds * 1000, digits: 8 }), code, `T=${seconds}`);
      assert.equal(totp(seed, { time: seconds * 1000 }), code.slice(2), `T=${seconds}, 6 digits`);
    }
    assert.equal(hotp(base32Decode(seed), 0), '755224'); // RFC 4226 appendix D
  });
});

describe('server starter', () => {
  test('runs setup commands on a fresh database, then serves until stopped', async () => {
    // A stand-in for `oploop serve`: answers 200 on /healthz at the port it is given.
    const serve = `require('node:http').createServer((q, s) => {
      s.writeHead(q.url === '/healthz' ? 200 : 404); s.end(process.env.OPLOOP_DB);
    }).listen(Number(process.argv[1]), '127.0.0.1');`;
    const server = await startServer({
      setup: [
        [process.execPath, '-e', 'console.log(process.env.OPLOOP_DB + " " + process.argv[1])', '{db}'],
        { argv: [process.execPath, '-e', 'console.log(process.env.EXTRA)'], env: { EXTRA: 'extra' } },
      ],
      serveArgs: [process.execPath, '-e', serve, '{port}'],
    });
    try {
      assert.match(server.db, /^sqlite:.*oploop-e2e-.*\/e2e\.db$/);
      assert.equal(server.setupResults[0].stdout.trim(), `${server.db} ${server.db}`);
      assert.equal(server.setupResults[1].stdout.trim(), 'extra');
      const response = await fetch(`${server.baseUrl}/healthz`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), server.db);
    } finally {
      await server.stop();
    }
    await assert.rejects(fetch(`${server.baseUrl}/healthz`));
    assert.equal(existsSync(server.tmp), false);
  });

  test('reports a failing setup command with its output', async () => {
    await assert.rejects(
      startServer({ setup: [[process.execPath, '-e', 'console.error("kapot"); process.exit(3)']] }),
      /exit code 3[\s\S]*kapot/,
    );
  });
});

describe('sample page in Chromium', () => {
  let sample;
  let browser;

  before(async () => {
    assert.ok(
      existsSync(join(STATIC_DIR, 'vendor', 'utrecht-components.css')),
      'src/web/static/vendor/ is missing: run scripts/build-assets first',
    );
    sample = await startSampleServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    sample?.server.close();
  });

  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE], ['narrow', NARROW]]) {
    test(`${name} (${viewport.width} px): styled, accessible, no CSP problems`, async () => {
      const { context, page, problems } = await newPage(browser, { viewport, baseURL: sample.baseUrl });
      try {
        const response = await page.goto('/');
        assert.equal(response.status(), 200);
        await page.waitForLoadState('load');

        // The NL Design System CSS and our theme are applied: teal header, token font.
        const header = await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.equal(header, 'rgb(8, 71, 77)');
        const button = page.locator('.utrecht-button--primary-action');
        assert.equal(await button.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(11, 95, 102)');
        const font = await page.locator('body').evaluate((el) => getComputedStyle(el).fontFamily);
        assert.match(font, /Noto Sans/);

        assert.equal(await overflowsHorizontally(page), false, 'page scrolls sideways');
        // Every navigation item is on screen (the list wraps; nothing hidden behind a menu).
        for (const link of await page.locator('nav[aria-label="Hoofdmenu"] a').all()) {
          assert.ok(await link.isVisible());
          const box = await link.boundingBox();
          assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, 'nav item off screen');
          assert.ok(box.height >= 24, 'nav target too small');
        }

        await checkAccessibility(page, { label: `sample page at ${viewport.width} px` });
        await screenshot(page, `harness-sample-${name}`);
        assert.deepEqual(problems, [], 'console errors or CSP violations');
      } finally {
        await context.close();
      }
    });
  }

  test('keyboard: the skip link shows on focus and leads to the content', async () => {
    const { context, page, problems } = await newPage(browser, { viewport: PHONE, baseURL: sample.baseUrl });
    try {
      // Without oploop.js (which moves focus to the error summary) the page must work the
      // same; and then the first Tab lands on the skip link.
      await context.route('**/static/oploop.js*', (route) =>
        route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
      );
      await page.goto('/');
      await page.keyboard.press('Tab');
      const skip = page.locator('.utrecht-skip-link');
      assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
      const box = await skip.boundingBox();
      assert.ok(box && box.y >= 0 && box.y < PHONE.height, 'skip link not visible on focus');
      const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.notEqual(outline, 'none', 'no visible focus mark');
      await screenshot(page, 'harness-skip-link-phone', { fullPage: false });
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'inhoud');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the checks catch a broken page: axe violations and CSP refusals', async () => {
    const { context, page, problems } = await newPage(browser, { baseURL: sample.baseUrl });
    try {
      await page.route('**/broken', (route) =>
        route.fulfill({
          status: 200,
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP },
          body:
            '<!DOCTYPE html><html lang="nl"><head><title>kapot</title>' +
            '<style>p { color: #ccc }</style></head><body><main>' +
            '<img src="/static/favicon.svg"><button></button></main></body></html>',
        }),
      );
      await page.goto('/broken');
      await assert.rejects(checkAccessibility(page, { label: 'broken' }), (error) => {
        assert.match(error.message, /\[critical\] image-alt/);
        assert.match(error.message, /\[critical\] button-name/);
        return true;
      });
      assert.ok(problems.some((p) => /Content Security Policy/i.test(p)), problems.join('\n'));
    } finally {
      await context.close();
    }
  });

  test('oploop.js runs under the CSP: the error summary takes focus', async () => {
    const { context, page, problems } = await newPage(browser, { baseURL: sample.baseUrl });
    try {
      await page.goto('/');
      await page.waitForFunction(() => document.activeElement?.classList.contains('oploop-error-summary'));
      // The summary's links lead to the fields.
      await page.locator('.oploop-error-summary a[href="#f-postcode"]').click();
      assert.equal(new URL(page.url()).hash, '#f-postcode');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
