/**
 * A securityheaders.com-style check of everything the gateway serves (issue 23 item 4): every HTML answer
 * carries a Content-Security-Policy without inline script, nosniff, a frame policy and a referrer policy, and
 * holds no inline script or event handler; every other answer carries the baseline. The pages are found by
 * walking the app's routes, so a page added later without headers fails here.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Router } from 'express';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** The directives of a CSP header, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** What securityheaders.com and a CSP evaluator would mark down on an HTML answer; [] when it is clean. */
function htmlProblems(headers: Headers, body: string): string[] {
  const problems: string[] = [];
  const csp = headers.get('content-security-policy');
  if (!csp) return ['no Content-Security-Policy'];
  const d = directives(csp);
  const scripts = d.get('script-src') ?? d.get('default-src');
  if (!scripts) problems.push('CSP without script-src or default-src');
  // Only this origin or nothing: no 'unsafe-inline', 'unsafe-eval', nonce, hash, scheme or other host.
  else if (scripts.some((s) => s !== "'self'" && s !== "'none'")) problems.push(`script-src allows ${scripts.join(' ')}`);
  if (!d.has('frame-ancestors')) problems.push('CSP without frame-ancestors');
  if (!(d.get('object-src') ?? d.get('default-src'))?.includes("'none'")) problems.push("object-src is not 'none'");
  if (!d.has('base-uri')) problems.push('CSP without base-uri');
  if (headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(headers.get('referrer-policy') ?? ''))
    problems.push(`Referrer-Policy ${headers.get('referrer-policy')}`);
  const ancestors = d.get('frame-ancestors') ?? [];
  if (ancestors.includes("'none'") && headers.get('x-frame-options') !== 'DENY') problems.push('not framable, but no X-Frame-Options: DENY for older browsers');
  // No script in the page itself: every <script> has a src, no on…= handler, no javascript: URL.
  for (const tag of body.match(/<script\b[^>]*>/gi) ?? []) if (!/\ssrc=/i.test(tag)) problems.push(`inline script: ${tag}`);
  const handler = /<[^>]+\son[a-z]+\s*=/i.exec(body);
  if (handler) problems.push(`inline event handler: ${handler[0].slice(0, 80)}`);
  if (/(href|src|action)\s*=\s*["']?\s*javascript:/i.test(body)) problems.push('javascript: URL');
  return problems;
}

/** Every GET path the app routes at its root (page and API routers), as written in the route. */
function getRoutes(router: Router): string[] {
  const paths: string[] = [];
  for (const layer of (
    router as unknown as { stack: Array<{ route?: { path: string | string[]; methods: Record<string, boolean> }; handle: any; slash?: boolean }> }
  ).stack) {
    if (layer.route?.methods.get) paths.push(...[layer.route.path].flat());
    else if (layer.slash && layer.handle?.stack) paths.push(...getRoutes(layer.handle));
  }
  return paths;
}

describe('security headers on every answer (securityheaders.com-style)', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let statusToken: string;
  const sms = new FakeAdapter('sms');

  before(async function () {
    gw = await startTestGateway({ db: 'sqlite', adapters: [sms] });
    await sms.receive({ from: { address: '+8613800138000' }, text: '快递三天了还没到，订单 DD20261124001' });
    await gw.settle();
    const [ticket] = await gw.gateway.db('tickets').select('status_token');
    statusToken = ticket.status_token;
  });
  after(async () => {
    await gw?.stop();
  });

  /** A concrete address for a route path: its parameters filled with values that reach the page. */
  function concrete(path: string): string[] {
    if (path.includes('*')) return [];
    const filled = path
      .replace(':token', statusToken)
      .replace(':nonce', randomUUID())
      .replace(/:[A-Za-z]+/g, '1');
    return path.includes(':token') ? [filled, path.replace(':token', 'x'.repeat(32))] : [filled];
  }

  it('every GET route that answers HTML has a strict CSP without inline script, nosniff, a frame and a referrer policy', async function () {
    const app = gw.gateway.app as unknown as { router: Router };
    const routes = getRoutes(app.router);
    expect(routes, 'the walk found the pages').to.include.members(['/console', '/complaint', '/t/:token', '/complaint/received/:nonce']);
    const pages: string[] = [];
    for (const route of routes) {
      for (const address of concrete(route)) {
        const res = await fetch(gw.url + address, { redirect: 'manual' });
        const body = await res.text();
        expect(res.headers.get('x-content-type-options'), address).to.equal('nosniff');
        expect(res.headers.get('content-security-policy'), address).to.be.a('string');
        if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
        pages.push(`${res.status} ${address}`);
        expect(htmlProblems(res.headers, body), address).to.deep.equal([]);
      }
    }
    // The pages people open: the console, the form (zh/en), the thank-you page, the status page and its 404.
    expect(pages).to.include.members(['200 /console', '200 /complaint', `200 /t/${statusToken}`, `404 /t/${'x'.repeat(32)}`]);
    expect(pages.some((p) => p.startsWith('200 /complaint/received/'))).to.equal(true);
  });

  it('the pages a form post or a refusal leads to carry the same headers: 400, 202 and 429 from the web form', async function () {
    const post = (fields: Record<string, string>) =>
      fetch(`${gw.url}/complaint`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    const bad = await post({ name: '', contact: 'x', text: '' });
    expect(bad.status).to.equal(400);
    expect(htmlProblems(bad.headers, await bad.text())).to.deep.equal([]);
    const good = await post({ name: 'Wang Fang', contact: 'wang@example.com', text: 'The kettle leaks from the bottom.', nonce: randomUUID(), lang: 'en' });
    expect(good.status).to.equal(202);
    expect(htmlProblems(good.headers, await good.text())).to.deep.equal([]);
    let limited: Response | undefined;
    for (let i = 0; i < 10 && limited?.status !== 429; i++) limited = await post({ name: '', contact: '', text: '' });
    expect(limited!.status).to.equal(429);
    expect(htmlProblems(limited!.headers, await limited!.text())).to.deep.equal([]);
  });

  it('pages that run script take it from this origin only; the form and the status page cannot be framed', async function () {
    const csp = async (path: string) => directives((await fetch(gw.url + path)).headers.get('content-security-policy')!);
    expect((await csp('/console')).get('script-src')).to.deep.equal(["'self'"]);
    expect((await csp(`/t/${statusToken}`)).get('script-src')).to.deep.equal(["'self'"]);
    expect((await csp('/complaint')).get('script-src')).to.deep.equal(["'none'"]);
    for (const path of ['/console', '/complaint', `/t/${statusToken}`]) expect((await csp(path)).get('frame-ancestors'), path).to.deep.equal(["'none'"]);
    // The status link is a credential: it never leaves in a Referer header.
    expect((await fetch(`${gw.url}/t/${statusToken}`)).headers.get('referrer-policy')).to.equal('no-referrer');
  });

  it('other answers carry the baseline; only /assets may be loaded by other sites (the widget runs on the customer’s site)', async function () {
    const notFound = await fetch(`${gw.url}/no/such/page`);
    expect(notFound.status).to.equal(404);
    expect(notFound.headers.get('content-security-policy')).to.include("default-src 'none'").and.include("frame-ancestors 'none'");
    expect(notFound.headers.get('x-frame-options')).to.equal('DENY');
    expect(notFound.headers.get('cross-origin-resource-policy')).to.equal('same-origin');
    const api = await fetch(`${gw.url}/api/v1/tickets`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect(api.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(api.headers.get('cross-origin-resource-policy')).to.equal('same-origin');
    for (const asset of ['/assets/widget.js', '/assets/gateway.css']) {
      const res = await fetch(gw.url + asset);
      expect(res.status, asset).to.equal(200);
      expect(res.headers.get('cross-origin-resource-policy'), asset).to.equal('cross-origin');
      expect(res.headers.get('x-content-type-options'), asset).to.equal('nosniff');
    }
    // No HSTS over plain http; the gateway has no way to know it is reachable over https.
    expect(notFound.headers.get('strict-transport-security')).to.equal(null);
  });
});

describe('frame and transport settings', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  afterEach(async () => {
    await gw?.stop();
  });

  it('server.formFrameAncestors lets the named sites frame the web form, and no other page', async function () {
    gw = await startTestGateway({
      db: 'sqlite',
      tweak: (config) => {
        config.gateway.server.formFrameAncestors = ['https://shop.example.com'];
      },
    });
    const form = await fetch(`${gw.url}/complaint`);
    expect(directives(form.headers.get('content-security-policy')!).get('frame-ancestors')).to.deep.equal(['https://shop.example.com']);
    expect(form.headers.get('x-frame-options'), 'X-Frame-Options cannot name a site, so it is left out').to.equal(null);
    const console = await fetch(`${gw.url}/console`);
    expect(directives(console.headers.get('content-security-policy')!).get('frame-ancestors')).to.deep.equal(["'none'"]);
  });

  it('sends HSTS when a trusted proxy says the request came over https', async function () {
    gw = await startTestGateway({
      db: 'sqlite',
      tweak: (config) => {
        config.gateway.server.trustProxy = true;
      },
    });
    const res = await fetch(`${gw.url}/complaint`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).to.equal('max-age=31536000');
  });
});
