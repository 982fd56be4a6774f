// Drives the INSTALLED app (CLAUSEBOOK_PACKAGE_APP, the desktop entry's
// command resolved on PATH) over WebDriver, as tests/e2e does the built one:
// the window must show the dashboard of the register the test prepared,
// with its figures. Run by deb.sh under Xvfb; webdriverio comes from
// tests/e2e/node_modules.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../e2e/package.json'));
const { remote } = require('webdriverio');

const browser = await remote({
  hostname: '127.0.0.1',
  port: Number(process.env.CLAUSEBOOK_E2E_PORT),
  capabilities: { 'tauri:options': { application: process.env.CLAUSEBOOK_PACKAGE_APP } },
  logLevel: 'warn',
  connectionRetryTimeout: 60_000,
});
try {
  const heading = await browser.$('//main//h1[normalize-space(.)="Dashboard"]');
  await heading.waitForDisplayed({ timeout: 30_000 });
  // The demo's partners are listed: the installed app reads the register.
  await browser.waitUntil(async () => (await browser.$('body').getText()).includes('Tajikistan'), {
    timeout: 15_000,
    timeoutMsg: 'the dashboard does not list the demo partners',
  });
  assert.equal(await browser.getTitle(), 'Clausebook');
  await browser.saveScreenshot(process.env.CLAUSEBOOK_PACKAGE_SHOT);
  console.log('package check: the installed app shows the dashboard of the register');
} finally {
  await browser.deleteSession().catch(() => {});
}
