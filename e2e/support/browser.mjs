// Debian's Chromium driven by playwright-core. No browser is ever downloaded: playwright-core
// has no install step, and we point it at /usr/bin/chromium (OPLOOP_CHROMIUM overrides).
// Each launch gets its own throw-away profile (playwright makes a fresh --user-data-dir);
// each newPage() gets its own context, so two users can be signed in side by side.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.OPLOOP_CHROMIUM || '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };
export const NARROW = { width: 320, height: 640 };

const ARGS = [
  '--no-sandbox', // we run as root in a container; the sandbox needs user namespaces
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--lang=nl-NL', // date inputs show dd-mm-jjjj, as a Dutch coordinator's browser does
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export async function launchBrowser({ slowMo = 0 } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    slowMo,
    timeout: 30_000,
  });
}

// A fresh context (cookies, storage) and page. `problems` collects console errors, page
// errors and CSP violations, so a test can assert the page ran cleanly.
export async function newPage(browser, { viewport = DESKTOP, locale = 'nl-NL', baseURL } = {}) {
  const context = await browser.newContext({
    viewport,
    locale,
    baseURL,
    deviceScaleFactor: 1,
    // Phones report touch and a mobile UA viewport; enough for layout checks.
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
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

// True when the page is wider than the viewport (content would need sideways scrolling).
export async function overflowsHorizontally(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
}
