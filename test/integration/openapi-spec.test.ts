import path from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { expect } from 'chai';
import type { Express } from 'express';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { API_ROUTES } from '../../gateway/http/api-routes.js';
import { openApiDocument } from '../../gateway/http/openapi-document.js';
import { EVERY_CHANNEL_ENV } from '../support/every-channel-env.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** One route the express app really answers: method, full path, and the roles its auth.require(…) lets in. */
interface MountedRoute {
  method: string;
  path: string;
  roles: string[] | undefined;
}

/** Walks express 5's router stack: routes, and routers mounted inside routers (with their path prefix). */
function mountedRoutes(app: Express): MountedRoute[] {
  const out: MountedRoute[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths: string[] = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        const guard = layer.route.stack.find((s: any) => Array.isArray(s.handle?.allowedRoles));
        for (const method of Object.keys(layer.route.methods))
          for (const p of paths) out.push({ method, path: prefix + p, roles: guard && [...guard.handle.allowedRoles].sort() });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as any).router.stack, '');
  return out;
}

const key = (method: string, p: string) => `${method.toUpperCase()} ${p}`;

describe('OpenAPI document', function () {
  const document = openApiDocument();

  it('passes the Redocly linter with its strictest built-in ruleset (recommended-strict), no warning', async function () {
    const config = await createConfig({ extends: ['recommended-strict'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });
    const lines = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(lines).to.deep.equal([]);
  });

  it('is OpenAPI 3.1 and describes errors, roles, authentication and cursor paging', function () {
    const doc = document as any;
    expect(doc.openapi).to.equal('3.1.0');
    expect(Object.keys(doc.components.securitySchemes)).to.have.members(['bearerAuth', 'sessionCookie', 'csrfToken']);
    expect(doc.components.schemas.Error.required).to.deep.equal(['error']);
    const list = doc.paths['/api/v1/tickets'].get;
    expect(list['x-roles']).to.have.members(['admin', 'agent', 'lead', 'finance']);
    expect(list.parameters.map((p: any) => p.name)).to.include.members(['cursor', 'limit', 'sort']);
    expect(list.responses['401'].$ref).to.equal('#/components/responses/Unauthorized');
    expect(doc.components.responses.Unavailable.headers).to.have.key('Retry-After');
    // A session changing something must send its CSRF token; a bearer token needs none.
    expect(doc.paths['/api/v1/tickets/{id}'].patch.security).to.deep.equal([{ bearerAuth: [] }, { sessionCookie: [], csrfToken: [] }]);
    expect(doc.paths['/api/v1/openapi.json'].get.security).to.deep.equal([]);
  });

  describe('against the routes the gateway really mounts', function () {
    let gateway: Gateway;
    let mounted: MountedRoute[];

    before(async function () {
      // Every channel switched on, so that a channel's own routes are walked too (built, never started).
      const config = loadConfig({
        dir: path.resolve('config'),
        env: { ...EVERY_CHANNEL_ENV, DATABASE_URL: 'sqlite::memory:', GATEWAY_ADMIN_TOKEN: 'test-admin-token-0123456789', LOG_LEVEL: 'silent' },
      });
      gateway = await Gateway.create({ config, workers: false, watchConfig: false, logger: createLogger('silent') });
      mounted = mountedRoutes(gateway.app);
    });

    after(async function () {
      await gateway?.stop();
    });

    it('lists every /api/v1 route of the app, and nothing the app does not answer', function () {
      expect(mounted.length, 'the walk found routes').to.be.greaterThan(40);
      const actual = mounted.filter((r) => r.path.startsWith('/api/v1/') || r.path === '/api/v1').map((r) => key(r.method, r.path));
      const listed = API_ROUTES.map((r) => key(r.method, r.path));
      const missing = actual.filter((k) => !listed.includes(k));
      expect(missing, 'routes without an entry in gateway/http/api-routes.ts').to.deep.equal([]);
      const stale = listed.filter((k) => !mounted.some((r) => key(r.method, r.path) === k));
      expect(stale, 'entries of gateway/http/api-routes.ts no route answers').to.deep.equal([]);
    });

    it('gives each route the roles its auth.require(…) checks (admin always included)', function () {
      const wrong: string[] = [];
      for (const route of API_ROUTES) {
        const real = mounted.find((r) => key(r.method, r.path) === key(route.method, route.path));
        const documented = Array.isArray(route.roles) ? [...new Set(['admin', ...route.roles])].sort() : undefined;
        if (JSON.stringify(real?.roles) !== JSON.stringify(documented))
          wrong.push(`${key(route.method, route.path)}: documented ${documented ?? route.roles}, checked ${real?.roles ?? 'none'}`);
      }
      expect(wrong).to.deep.equal([]);
    });
  });

  describe('served by the gateway', function () {
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db: 'sqlite', workers: false });
    });
    after(async function () {
      await gw?.stop();
    });

    it('answers the document at /api/v1/openapi.json without credentials', async function () {
      const res = await fetch(`${gw.url}/api/v1/openapi.json`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.json()).to.deep.equal(JSON.parse(JSON.stringify(document)));
    });

    it('serves the reference page /api/docs from node_modules, with no inline script and a CSP that forbids one', async function () {
      const res = await fetch(`${gw.url}/api/docs`);
      expect(res.status).to.equal(200);
      const page = await res.text();
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).to.match(/script-src 'self'(;|$)/);
      const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).to.be.greaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(body!.trim(), 'no inline script').to.equal('');
        expect(attrs).to.match(/\bsrc="\/[^"]+"/);
      }
      const assets = [...page.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!).filter((u) => !u.endsWith('.json'));
      expect(assets).to.include.members(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css', '/assets/api-docs.js']);
      for (const asset of assets) {
        const a = await fetch(gw.url + asset);
        expect(a.status, asset).to.equal(200);
        expect((await a.arrayBuffer()).byteLength, asset).to.be.greaterThan(500);
      }
      // Only the two viewer files come from the package.
      expect((await fetch(`${gw.url}/api/docs/package.json`)).status).to.equal(404);
      expect((await fetch(`${gw.url}/api/docs/..%2Fpackage.json`)).status).to.equal(404);
    });
  });
});
