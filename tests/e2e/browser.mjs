// One page API over three engines, so each e2e test is written once and runs everywhere (describe.each):
// Chromium through playwright-core, Firefox ESR through puppeteer-core over WebDriver BiDi, and WebKitGTK's
// MiniBrowser through selenium-webdriver against WebKitWebDriver on an Xvfb display. Every browser is
// Debian's (never downloaded) and each launch starts from a fresh, empty profile.
//
//   const browser = await launch('firefox');
//   const page = await browser.newPage();
//   await page.goto(url); await page.waitFor(() => …); await page.text('#out'); await page.click('#go');
//   await page.fill('#q', '…'); await page.evaluate((arg) => …, arg); await page.screenshot(path);
//   page.errors()   // uncaught errors and console errors the page had (see below)
//   await browser.close();
//
// Page errors: Chromium and Firefox report them as events; WebKit's driver does not, so pages under test also
// record `error` and `unhandledrejection` in window.attnkitPageErrors (web/page-errors.js does it for the demo),
// and errors() reads both.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

// The page-recorded errors, read in the page (a function, so every driver can serialise it).
const readRecordedErrors = () => (window.attnkitPageErrors ?? []).map(String);

/** Starts a browser of `engine` ('chromium' | 'firefox' | 'webkit'). */
export async function launch(engine) {
  if (engine === 'chromium') return launchChromium();
  if (engine === 'firefox') return launchFirefox();
  if (engine === 'webkit') return launchWebKit();
  throw new Error(`unknown engine ${engine}`);
}

async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    engine: 'chromium',
    version: browser.version(),
    async newPage() {
      const page = await browser.newPage();
      return eventPage(page, {
        waitFor: (fn, arg, timeout) => page.waitForFunction(fn, arg, { timeout }),
        fill: (selector, value) => page.fill(selector, value),
      });
    },
    close: () => browser.close(),
  };
}

async function launchFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', protocol: 'webDriverBiDi', headless: true,
    executablePath: '/usr/bin/firefox-esr' });
  const version = (await browser.version()).replace(/^firefox\//, '');
  return {
    engine: 'firefox',
    version,
    async newPage() {
      const page = await browser.newPage();
      return eventPage(page, {
        waitFor: (fn, arg, timeout) => page.waitForFunction(fn, { timeout, polling: 100 }, arg),
        fill: async (selector, value) => {
          await page.$eval(selector, (el) => { el.value = ''; });
          await page.type(selector, value);
        },
      });
    },
    close: () => browser.close(),
  };
}

/**
 * The page API over playwright's and puppeteer's pages, which share goto/evaluate/click/screenshot and report
 * uncaught errors and console errors as events.
 */
function eventPage(page, { waitFor, fill }) {
  const events = [];
  page.on('pageerror', (e) => events.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') events.push(m.text()); });
  return {
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    waitFor: (fn, arg, { timeout = 60_000 } = {}) => waitFor(fn, arg, timeout),
    text: (selector) => page.$eval(selector, (el) => el.textContent),
    click: (selector) => page.click(selector),
    fill,
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    async errors() {
      return [...events, ...await page.evaluate(readRecordedErrors).catch(() => [])];
    },
    close: () => page.close(),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Xvfb on a display it picks itself (-displayfd writes the number to fd 3). */
function startXvfb() {
  // A tall screen, so a window can grow to a whole page for a full-page screenshot.
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x4096x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    xvfb.stdio[3].once('data', (data) => resolve({ display: `:${String(data).trim()}`, stop: () => xvfb.kill() }));
  });
}

async function waitForDriver(port, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > end) throw new Error(`WebKitWebDriver did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function launchWebKit() {
  const { Builder, By, until } = await import('selenium-webdriver');
  const xvfb = await startXvfb();
  const port = await freePort();
  const driverProcess = spawn('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, DISPLAY: xvfb.display },
    stdio: 'ignore' });
  const stop = () => { driverProcess.kill(); xvfb.stop(); };
  try {
    await waitForDriver(port);
  } catch (error) {
    stop();
    throw error;
  }
  const sessions = [];
  // One WebDriver session per page: each is a fresh MiniBrowser with its own empty profile.
  async function newSession() {
    const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
      browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build();
    sessions.push(driver);
    return driver;
  }
  const first = await newSession();
  const version = (await first.getCapabilities()).get('browserVersion');
  let unused = first;
  // Functions run in the page as `(fn)(arg)`; WebDriver awaits a returned promise.
  const run = (driver, fn, arg) => driver.executeScript(`return (${fn})(arguments[0]);`, arg ?? null);
  return {
    engine: 'webkit',
    version,
    async newPage() {
      const driver = unused ?? await newSession();
      unused = undefined;
      return {
        goto: (url) => driver.get(url),
        reload: () => driver.navigate().refresh(),
        evaluate: (fn, arg) => run(driver, fn, arg),
        waitFor: (fn, arg, { timeout = 60_000 } = {}) =>
          driver.wait(async () => Boolean(await run(driver, fn, arg).catch(() => false)), timeout),
        text: (selector) => run(driver, (s) => document.querySelector(s).textContent, selector),
        async click(selector) {
          const element = await driver.wait(until.elementLocated(By.css(selector)), 10_000);
          await element.click();
        },
        async fill(selector, value) {
          const element = await driver.findElement(By.css(selector));
          await element.clear();
          await element.sendKeys(value);
        },
        // WebDriver shoots the viewport only: the window is grown to the page's height for it (Xvfb is tall).
        async screenshot(path) {
          const window = driver.manage().window();
          const before = await window.getRect();
          const height = await run(driver, () => { scrollTo(0, 0); return document.documentElement.scrollHeight; });
          await window.setRect({ width: 1024, height: Math.min(4000, height + 120) });
          // Let the grown window repaint before shooting (two frames, then a moment for the compositor).
          await run(driver, () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
          await new Promise((done) => setTimeout(done, 500));
          writeFileSync(path, Buffer.from(await driver.takeScreenshot(), 'base64'));
          await window.setRect({ width: before.width, height: before.height });
        },
        errors: () => run(driver, readRecordedErrors).catch(() => []),
        close: async () => {
          await driver.quit();
          sessions.splice(sessions.indexOf(driver), 1);
        },
      };
    },
    async close() {
      await Promise.all(sessions.map((driver) => driver.quit().catch(() => {})));
      stop();
    },
  };
}
