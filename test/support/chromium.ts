import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { missingServiceMessage } from './test-services.js';

/** Debian's chromium, or the binary CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless and quiet: no sandbox (tests may run as root), no GPU, no calls home while a test runs.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts headless Chromium on a fresh temporary profile (playwright's launch() makes a new
 * user-data-dir every time). Checked first because playwright's own error for a missing binary
 * suggests `npx playwright install`, which downloads a browser these tests do not use.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    const where = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${CHROMIUM_PATH} does not exist` : `Chromium is not installed (no ${CHROMIUM_PATH})`;
    throw new Error(missingServiceMessage(where));
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
