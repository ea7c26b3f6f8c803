import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';

/** The password the console browser tests give the people they create. */
export const PASSWORD = 'correct horse battery staple';
const AXE_SOURCE = readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** `gateway user create NAME --role ROLE --password-stdin`, the command an operator runs, against the test database. */
export async function createUserWithCli(databaseUrl: string, name: string, role: string, displayName: string, password = PASSWORD): Promise<string> {
  const child = spawn(process.execPath, ['gateway/bin.js', 'user', 'create', name, '--role', role, '--display-name', displayName, '--password-stdin'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  child.stdin.end(`${password}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, output).to.equal(0);
  return output;
}

/** axe-core's serious and critical findings, one line each (empty when the page passes). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  return (result.violations as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>)
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

export async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A fresh browser profile (English, 1280×900) signed in to the console as `name` through the form.
 * `prepare` runs on the page before it loads (listeners for page errors, dialogs).
 */
export async function signedInPage(browser: Browser, gatewayUrl: string, name: string, prepare?: (page: Page) => void): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  prepare?.(page);
  await page.goto(`${gatewayUrl}/console`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  return page;
}
