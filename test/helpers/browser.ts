/** Headless Debian Chromium driven by playwright-core (Playwright's own browser download cannot run here). */
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from '../../scripts/tools/paths.js';

export const launchBrowser = async (): Promise<Browser> => {
  const executablePath = findChromium();
  if (!executablePath)
    throw new Error(
      'Chromium not found: run `node --import tsx scripts/tools/install.ts --for-tests` (installs Debian chromium) or set CHROMIUM_PATH.',
    );
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};
