/**
 * The rules workbench in Chromium, as a support lead uses it: a bad routing edit shows its line
 * and field and cannot be applied; a good one is previewed over recent tickets, applied with a
 * reason (the next complaint is routed by it), then rolled back in one step from the history.
 * An agent who opens the page gets the server's refusal. Runs on a copy of the shipped config.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { createUserWithCli, seriousViolations, signedInPage, waitUntil } from '../support/console-helpers.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const RULE = '  - id: late-to-trade\n    description: Trial - late parcels to the trade desk\n    when: { category: LX }\n    then: { queue: trade }\n';

describe('rules workbench in chromium', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let dir: string;
  let browser: Browser;
  let n = 0;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), 'gw-rules-config-'));
    cpSync('config', dir, { recursive: true, filter: (f) => !f.endsWith('.ts') });
    gw = await startTestGateway({ db: 'sqlite', configDir: dir });
    await Promise.all([createUserWithCli(gw.database.url, 'han.mei', 'lead', 'Han Mei'), createUserWithCli(gw.database.url, 'li.lei', 'agent', 'Li Lei')]);
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await gw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const signedIn = (name: string) => signedInPage(browser, gw.url, name, (page) => page.on('dialog', (d) => void d.accept()));

  async function lateParcelQueue(): Promise<string> {
    const address = `late-${++n}@example.com`;
    await gw.api('POST', '/api/v1/messages', {
      externalId: `late-${n}`,
      from: { address },
      text: 'My parcel has not arrived after 5 days, the courier never delivered it.',
    });
    await gw.settle();
    return (await gw.api('GET', `/api/v1/tickets?q=${address}`)).body.items[0].queue;
  }

  it('refuses a bad edit with its line, previews a good one, applies it with a reason and rolls it back', async function () {
    expect(await lateParcelQueue()).to.equal('logistics');
    const original = readFileSync(path.join(dir, 'routing.yaml'), 'utf8');
    const page = await signedIn('han.mei');
    await page.getByRole('link', { name: 'Rules' }).click();
    const editor = page.getByLabel('Contents of routing.yaml');
    await waitUntil(async () => (await editor.inputValue()) === original, 'routing.yaml in the editor');

    // A typo in a category code: the check names the line; Apply stays disabled.
    await editor.fill(original.replace('rules:\n', `rules:\n${RULE}`));
    const problems = page.locator('#rules-check');
    await problems.getByText(/unknown category "LX"/).waitFor();
    const lineButton = problems.getByRole('button', { name: /^Line \d+$/ });
    const line = Number((await lineButton.textContent())!.replace(/\D/g, ''));
    expect(original.replace('rules:\n', `rules:\n${RULE}`).split('\n')[line - 1]).to.match(/- id: late-to-trade/);
    await lineButton.click();
    const selected = await editor.evaluate((box: HTMLTextAreaElement) => ({
      focused: document.activeElement === box,
      text: box.value.slice(box.selectionStart, box.selectionEnd),
    }));
    expect(selected).to.deep.equal({ focused: true, text: '  - id: late-to-trade' });
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).to.equal(true);

    // Fixed: no problems; what would change over 30 days is the late parcel's ticket.
    await editor.fill(original.replace('rules:\n', `rules:\n${RULE.replace('LX', 'LG')}`));
    await page.getByText('No problems: this text can be previewed and applied.').waitFor();
    await page.getByRole('button', { name: 'What would change' }).click();
    const preview = page.locator('.rules-preview');
    await preview.getByText('1 of 1 tickets would change').waitFor();
    expect(await preview.locator('tr', { hasText: 'queue' }).textContent())
      .to.include('logistics → trade')
      .and.include('late-to-trade');
    expect(await seriousViolations(page)).to.deep.equal([]);

    // Apply needs a reason; then the next complaint is routed by the new rule.
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Say why you make this change').waitFor();
    await page.getByLabel('Reason').fill('Trial: trade desk takes late parcels this week');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/Applied as version \d+; the gateway now runs config/).waitFor();
    expect(await lateParcelQueue()).to.equal('trade');
    const history = page.locator('.rules-history');
    await history.getByText('Trial: trade desk takes late parcels this week').waitFor();
    await history.getByRole('button', { name: 'Show the change' }).first().click();
    expect(await history.locator('pre.diff').textContent()).to.include('+  - id: late-to-trade');

    // One click back to the file as it was.
    await history.getByRole('button', { name: /Roll back to version/ }).click();
    await page.getByText(/Rolled back to version \d+/).waitFor();
    expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).to.equal(original);
    expect(await lateParcelQueue()).to.equal('logistics');
    await page.context().close();
  });

  it('gives an agent who opens the workbench the refusal, and no menu link', async function () {
    const page = await signedIn('li.lei');
    expect(await page.getByRole('link', { name: 'Rules' }).count()).to.equal(0);
    await page.goto(`${gw.url}/console#/rules`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('role "agent" may not do this');
    await page.context().close();
  });
});
