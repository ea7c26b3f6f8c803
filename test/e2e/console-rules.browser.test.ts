/**
 * The rules workbench in Chromium, as a support lead uses it: a bad routing edit shows its line
 * and field and cannot be applied; a good one is previewed over recent tickets, applied with a
 * reason (the next complaint is routed by it), then rolled back in one step from the history.
 * A categories edit previewed over thousands of tickets shows the replay's progress in a bar.
 * An agent who opens the page gets the server's refusal. Runs on a copy of the shipped config.
 * WRITE_SCREENSHOTS=1 writes the progress screenshot into docs/screenshots/ (committed);
 * otherwise it goes to a temp directory.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { createUserWithCli, seriousViolations, signedInPage, waitUntil } from '../support/console-helpers.js';
import { copyStoreTo } from '../support/store-copies.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const SHOTS = process.env.WRITE_SCREENSHOTS === '1' ? path.resolve('docs/screenshots') : path.join(tmpdir(), `gw-rules-shots-${process.pid}`);

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

  it('shows the progress of a categories edit previewed over thousands of tickets in a bar that fills up', async function () {
    // A bad experience that names no topic (tone.fallbackCategory files it), then thousands of
    // recent tickets like those in the store, each text different, so every one is classified again.
    await gw.api('POST', '/api/v1/messages', { externalId: 'no-topic', from: { address: 'no-topic@example.com' }, text: '太差了，再也不买了，非常失望' });
    await gw.settle();
    expect(await copyStoreTo(gw.gateway.db, 8_000, { distinctTexts: true })).to.equal(8_000);
    const page = await signedIn('han.mei');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${gw.url}/console#/rules?file=categories.yaml`);
    const editor = page.getByLabel('Contents of categories.yaml');
    const original = readFileSync(path.join(dir, 'categories.yaml'), 'utf8');
    await waitUntil(async () => (await editor.inputValue()) === original, 'categories.yaml in the editor');
    await editor.fill(original.replace('\n  fallbackCategory: PQ\n', '\n  fallbackCategory: SP\n'));
    await page.getByText('No problems: this text can be previewed and applied.').waitFor();
    // The edited line in view (for the screenshot).
    await editor.evaluate((box: HTMLTextAreaElement) => {
      const line = box.value.split('\n').indexOf('  fallbackCategory: SP');
      box.scrollTop = Math.max(0, (line - 8) * parseFloat(getComputedStyle(box).lineHeight));
    });

    // Every state of the bar the page draws, as it draws it.
    await page.evaluate(() => {
      const seen: Array<{ value: number; max: number; text: string }> = [];
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('.rules-preview progress');
        if (!bar) return;
        const state = { value: bar.value, max: bar.max, text: bar.parentElement!.textContent!.trim() };
        const last = seen[seen.length - 1];
        if (!last || last.value !== state.value || last.max !== state.max) seen.push(state);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByRole('button', { name: 'What would change' }).click();
    const bar = page.getByRole('progressbar', { name: 'Replay progress' });
    await bar.waitFor();
    // A picture of the bar part-way, when the replay is slow enough to catch it there.
    const partWay = await page
      .waitForFunction(
        () => {
          const p = document.querySelector<HTMLProgressElement>('.rules-preview progress');
          return p !== null && p.max > 1 && p.value / p.max >= 0.2 && p.value / p.max <= 0.8;
        },
        undefined,
        { timeout: 20_000, polling: 50 },
      )
      .then(
        () => true,
        () => false,
      );
    if (partWay) {
      await page.locator('.rules-preview').evaluate((section) => section.scrollIntoView({ block: 'center' }));
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'console-rules-progress-en.png') });
    }
    const preview = page.locator('.rules-preview');
    await preview.getByText(/of 8,000 tickets would change/).waitFor({ timeout: 60_000 });
    expect(await bar.count(), 'the bar is gone once the report is there').to.equal(0);
    expect(await preview.getByRole('status').textContent()).to.include('8,000 classified again with this text');
    expect(await preview.locator('tr', { hasText: 'category' }).textContent()).to.include('PQ → SP');

    const seen = await page.evaluate(() => (window as unknown as { progressSeen: Array<{ value: number; max: number; text: string }> }).progressSeen);
    const counted = seen.filter((s) => s.max === 8_000);
    expect(counted.length, `the bar was drawn with the tickets counted: ${JSON.stringify(seen)}`).to.be.at.least(1);
    expect(
      counted.some((s) => s.value > 0 && s.value < s.max),
      `the bar was drawn part-way: ${JSON.stringify(seen)}`,
    ).to.equal(true);
    expect(counted.map((s) => s.value)).to.deep.equal([...counted.map((s) => s.value)].sort((a, b) => a - b));
    const middle = counted.find((s) => s.value > 0 && s.value < s.max)!;
    expect(middle.text).to.equal(`${middle.value.toLocaleString('en-US')} of 8,000 tickets (${Math.floor((100 * middle.value) / 8_000)} %)`);
    expect(await seriousViolations(page)).to.deep.equal([]);
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
