import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'chai';
import type { Middleware } from 'openapi-fetch';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { createGatewayClient, ok, type GatewayClient } from '../../gateway/client/gateway-client.js';
import { API_ROUTES, openApiPath } from '../../gateway/http/api-routes.js';
import { UserAccounts } from '../../gateway/user-accounts.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { OUTAGE_REPORTS } from '../support/outage-reports.js';

// ajv-formats is CommonJS with a default export; under ESM the function sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

type Json = Record<string, any>;

/**
 * Checks every answer the typed client gets against the OpenAPI document served by the gateway: the status must be one
 * the operation declares, the content type one it declares for that status, and a JSON body must match the schema
 * (ajv, JSON Schema 2020-12, formats checked; objects take no undeclared field). Records which operations answered 2xx.
 */
class ContractChecker {
  readonly answered = new Map<string, Set<number>>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(this.rewrite({ $id: 'components', $defs: doc.components.schemas }));
  }

  readonly middleware: Middleware = {
    onResponse: async ({ request, response, schemaPath }) => {
      const method = request.method.toLowerCase();
      const where = `${request.method} ${schemaPath} → ${response.status}`;
      const op = this.doc.paths[schemaPath]?.[method];
      if (!op) throw new Error(`${where}: the document has no such operation`);
      const statuses = this.answered.get(`${method} ${schemaPath}`) ?? new Set<number>();
      this.answered.set(`${method} ${schemaPath}`, statuses.add(response.status));
      let declared = op.responses[String(response.status)];
      if (!declared) throw new Error(`${where}: status not declared (declared: ${Object.keys(op.responses).join(', ')})`);
      if (declared.$ref) declared = this.doc.components.responses[declared.$ref.split('/').pop()];
      const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (!declared.content) {
        if ((await response.clone().text()) !== '') throw new Error(`${where}: a body where the document declares none`);
        return;
      }
      const media = declared.content[type] ?? declared.content[`${type.split('/')[0]}/*`] ?? declared.content['*/*'];
      if (!media) throw new Error(`${where}: content type "${type}" not declared (${Object.keys(declared.content).join(', ')})`);
      if (type !== 'application/json') return;
      const body = await response.clone().json();
      const key = `${method} ${schemaPath} ${response.status}`;
      let validate = this.validators.get(key);
      if (!validate) this.validators.set(key, (validate = this.ajv.compile(this.rewrite(media.schema))));
      if (!validate(body)) throw new Error(`${where}: the body does not match the document: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`);
    },
  };

  private rewrite(schema: Json): Json {
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"components#/$defs/'));
  }
}

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('API contract: every route, called through the typed client on a real gateway (SQLite), answers what the OpenAPI document says', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let configDir: string;
  let checker: ContractChecker;
  const client = (token?: string, headers?: Record<string, string>): GatewayClient =>
    createGatewayClient({ baseUrl: gw.url, token, headers, middleware: [checker.middleware] });
  let admin: GatewayClient;
  let integration: GatewayClient;
  let agent: GatewayClient;
  let lead: GatewayClient;
  let finance: GatewayClient;

  before(async function () {
    // The workbench and the FAQ paraphrase route write config files: a copy, not the repository's config/.
    configDir = mkdtempSync(path.join(tmpdir(), 'gw-contract-config-'));
    cpSync('config', configDir, { recursive: true, filter: (f) => !f.endsWith('.ts') });
    // A chat-room robot, so its routes have one to answer about (no rule sends to it: its address is never called).
    writeFileSync(path.join(configDir, 'webhooks.yaml'), 'robots:\n  - { id: ops-room, kind: slack, urlEnv: CONTRACT_ROOM_URL }\n');
    gw = await startTestGateway({
      db: 'sqlite',
      configDir,
      adapters: [new FakeAdapter('sms'), new FakeAdapter('email')],
      env: { CONTRACT_ROOM_URL: 'http://127.0.0.1:9/services/T/B/x' },
    });
    // The document as the gateway serves it (fetched plainly: the checker is built from it).
    checker = new ContractChecker((await (await fetch(`${gw.url}/api/v1/openapi.json`)).json()) as Json);
    admin = client(gw.adminToken);
    const token = async (role: 'integration' | 'agent' | 'lead' | 'finance') =>
      (await ok(admin.POST('/api/v1/tokens', { body: { name: `contract-${role}`, role } }))).token;
    integration = client(await token('integration'));
    agent = client(await token('agent'));
    lead = client(await token('lead'));
    finance = client(await token('finance'));
  });

  after(async function () {
    await gw?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('walks every route of the document with the roles it names, each answer matching the document', async function () {
    // Intake: a complaint with a photo (a data: URI), two more customers, and a surge of twelve (an incident).
    const photo = await ok(
      integration.POST('/api/v1/messages', {
        body: {
          channel: 'sms',
          externalId: 'contract-1',
          from: { address: '+8613800138000', name: '王芳' },
          text: '我买的电水壶用了两天就不加热了，订单 DD20261124001，要求退货。',
          attachments: [{ name: 'kettle.png', contentType: 'image/png', size: 68, ref: `data:image/png;base64,${PNG}` }],
        },
      }),
    );
    expect(photo.duplicate).to.equal(false);
    await ok(
      integration.POST('/api/v1/messages', {
        body: { channel: 'email', externalId: 'contract-2', from: { address: 'li@example.com' }, text: 'The blender I received is missing its lid.' },
      }),
    );
    for (const [i, text] of OUTAGE_REPORTS.entries())
      await ok(
        integration.POST('/api/v1/messages', { body: { channel: 'sms', externalId: `contract-surge-${i}`, from: { address: `+86139000${1000 + i}` }, text } }),
      );
    await gw.settle(60_000);
    const journal = await ok(agent.GET('/api/v1/messages/{id}', { params: { path: { id: photo.id } } }));
    expect(journal.status).to.equal('done');

    // The queue, page by page.
    const first = await ok(agent.GET('/api/v1/tickets', { params: { query: { limit: 5, sort: 'updated' } } }));
    expect(first.items).to.have.length(5);
    const second = await ok(agent.GET('/api/v1/tickets', { params: { query: { limit: 5, sort: 'updated', cursor: first.nextCursor! } } }));
    expect(second.items.map((t) => t.id)).to.not.include.members(first.items.map((t) => t.id));

    // One ticket: its timeline, the attachment, a reply, a note, a change, presence, canned replies.
    const ticketId = String(journal.ticket!.id);
    const ticket = await ok(finance.GET('/api/v1/tickets/{id}', { params: { path: { id: ticketId } } }));
    const url = ticket.messages.flatMap((m) => m.attachments).find((a) => a.url)?.url;
    expect(url, 'the photo can be downloaded').to.be.a('string');
    const [, messageId, index] = /\/messages\/(\d+)\/attachments\/(\d+)$/.exec(url!)!;
    const download = await agent.GET('/api/v1/tickets/{id}/messages/{messageId}/attachments/{index}', {
      params: { path: { id: ticketId, messageId: messageId!, index: index! } },
      parseAs: 'arrayBuffer',
    });
    expect(Buffer.from(download.data as ArrayBuffer).equals(Buffer.from(PNG, 'base64'))).to.equal(true);
    const reply = await ok(agent.POST('/api/v1/tickets/{id}/replies', { params: { path: { id: ticketId } }, body: { text: '您好，已为您登记退货。' } }));
    expect(reply.channel).to.equal('sms');
    await ok(agent.POST('/api/v1/tickets/{id}/notes', { params: { path: { id: ticketId } }, body: { text: 'Customer called twice.' } }));
    // Agents see the phone number masked; revealing it is an audited action.
    expect((await ok(agent.GET('/api/v1/tickets/{id}', { params: { path: { id: ticketId } } }))).privacy.contactsMasked).to.equal(true);
    const revealed = await ok(agent.POST('/api/v1/tickets/{id}/reveal', { params: { path: { id: ticketId } }, body: { reason: 'contract test' } }));
    expect(revealed.customer?.identities.map((i) => i.value)).to.include('+8613800138000');
    const changed = await ok(lead.PATCH('/api/v1/tickets/{id}', { params: { path: { id: ticketId } }, body: { priority: 'high' } }));
    expect(changed.priority).to.equal('high');
    const present = await ok(finance.POST('/api/v1/tickets/{id}/presence', { params: { path: { id: ticketId } }, body: { state: 'viewing' } }));
    expect(present.people.map((p) => p.name)).to.deep.equal(['contract-finance']);
    await ok(agent.GET('/api/v1/canned-replies', { params: { query: { ticket: ticketId, lang: 'zh' } } }));
    expect((await ok(finance.GET('/api/v1/categories'))).items.map((c) => c.code)).to.include('OTHER');
    await ok(finance.GET('/api/v1/queues'));
    await ok(agent.GET('/api/v1/agents'));

    // The live stream: headers and the first frame, then hang up.
    const stream = await agent.GET('/api/v1/stream', { parseAs: 'stream' });
    expect(stream.response.status).to.equal(200);
    const reader = (stream.data as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).to.match(/^retry: \d+/);
    await reader.cancel();

    // Customers: read, link two, undo the link.
    const other = (await ok(agent.GET('/api/v1/tickets', { params: { query: { channel: 'email' } } }))).items[0]!;
    await ok(finance.GET('/api/v1/customers/{id}', { params: { path: { id: String(ticket.customerId) } } }));
    await ok(agent.POST('/api/v1/customers/{id}/reveal', { params: { path: { id: String(ticket.customerId) } }, body: {} }));
    const merged = await ok(
      agent.POST('/api/v1/customers/merge', { body: { customerIds: [ticket.customerId, other.customerId], reason: 'same person, said so on the phone' } }),
    );
    await ok(agent.POST('/api/v1/customers/merges/{id}/undo', { params: { path: { id: String(merged.mergeId) } } }));

    // Incidents: the surge, resolved by a lead without telling the customers.
    const incidents = await ok(finance.GET('/api/v1/incidents', { params: { query: { status: 'open' } } }));
    expect(incidents.items, 'the surge became an incident').to.have.length.greaterThan(0);
    const incidentId = String(incidents.items[0]!.id);
    await ok(agent.GET('/api/v1/incidents/{id}', { params: { path: { id: incidentId } } }));
    const resolved = await ok(lead.POST('/api/v1/incidents/{id}/resolve', { params: { path: { id: incidentId } }, body: { notifyCustomers: false } }));
    expect(resolved.status).to.equal('resolved');

    // FAQ.
    const entries = await ok(lead.GET('/api/v1/faq/entries'));
    await ok(
      lead.POST('/api/v1/faq/entries/{id}/paraphrases', {
        params: { path: { id: entries.items[0]!.id } },
        body: { text: 'how do I send the thing back for a refund' },
      }),
    );
    await ok(lead.GET('/api/v1/faq/stats', { params: { query: { days: 7 } } }));

    // Insights, JSON and one as CSV.
    await ok(lead.GET('/api/v1/insights/volume', { params: { query: { by: 'category' } } }));
    await ok(lead.GET('/api/v1/insights/heatmap'));
    await ok(lead.GET('/api/v1/insights/sla', { params: { query: { by: 'tier' } } }));
    await ok(lead.GET('/api/v1/insights/backlog'));
    await ok(lead.GET('/api/v1/insights/breaches'));
    await ok(lead.GET('/api/v1/insights/agents'));
    await ok(lead.GET('/api/v1/csat/stats'));
    const csv = await lead.GET('/api/v1/insights/volume', { params: { query: { format: 'csv' } }, parseAs: 'text' });
    expect(csv.data).to.match(/^at,key,count/);

    // The rules workbench: read, check, preview, apply, history, roll back.
    await ok(lead.GET('/api/v1/config'));
    expect((await ok(lead.GET('/api/v1/config/files'))).items.map((f) => f.file)).to.include('routing.yaml');
    const routing = await ok(lead.GET('/api/v1/config/files/{file}', { params: { path: { file: 'routing.yaml' } } }));
    expect(
      (await ok(lead.POST('/api/v1/config/files/{file}/check', { params: { path: { file: 'routing.yaml' } }, body: { content: routing.content } }))).ok,
    ).to.equal(true);
    const started = await ok(
      lead.POST('/api/v1/config/files/{file}/previews', { params: { path: { file: 'routing.yaml' } }, body: { content: routing.content, days: 7 } }),
    );
    let preview = started;
    for (let i = 0; i < 200 && !preview.finished; i++) {
      await new Promise((r) => setTimeout(r, 50));
      preview = await ok(lead.GET('/api/v1/config/previews/{id}', { params: { path: { id: started.id } } }));
    }
    expect(preview.finished).to.equal(true);
    const applied = await ok(
      lead.PUT('/api/v1/config/files/{file}', {
        params: { path: { file: 'routing.yaml' } },
        body: { content: `${routing.content}\n# contract test\n`, reason: 'contract test', baseSha256: routing.sha256 },
      }),
    );
    const versions = await ok(lead.GET('/api/v1/config/files/{file}/versions', { params: { path: { file: 'routing.yaml' } } }));
    const baseline = versions.items.find((v) => v.kind === 'baseline')!;
    const now = await ok(lead.GET('/api/v1/config/files/{file}', { params: { path: { file: 'routing.yaml' } } }));
    expect(now.sha256).to.equal(applied.version.sha256);
    await ok(
      lead.POST('/api/v1/config/files/{file}/rollback', { params: { path: { file: 'routing.yaml' } }, body: { version: baseline.id, baseSha256: now.sha256 } }),
    );

    // Access: tokens, who am I (token and session), sign in and out.
    const spare = await ok(admin.POST('/api/v1/tokens', { body: { name: 'spare', role: 'agent' } }));
    expect((await ok(admin.GET('/api/v1/tokens'))).items.map((t) => t.name)).to.include('spare');
    const revoked = await admin.DELETE('/api/v1/tokens/{id}', { params: { path: { id: String(spare.id) } } });
    expect(revoked.response.status).to.equal(204);
    const trail = await ok(admin.GET('/api/v1/audit', { params: { query: { action: 'contact.revealed', limit: 10 } } }));
    expect(trail.items.map((e) => e.actor)).to.include('token:contract-agent');
    expect((await ok(integration.GET('/api/v1/me'))).via).to.equal('token');
    const { generatedPassword } = await new UserAccounts(gw.gateway.users, gw.gateway.sessions).create({
      username: 'han.mei',
      role: 'agent',
      displayName: 'Han Mei',
    });
    const signIn = await client().POST('/console/session', { body: { username: 'han.mei', password: generatedPassword! } });
    const cookie = /gw_session=[^;]+/.exec(signIn.response.headers.get('set-cookie') ?? '')![0];
    const person = client(undefined, { cookie, 'x-csrf-token': signIn.data!.csrfToken });
    expect((await ok(person.GET('/api/v1/me'))).csrfToken).to.equal(signIn.data!.csrfToken);
    expect((await person.DELETE('/console/session')).response.status).to.equal(204);
    await ok(client().GET('/api/v1/openapi.json'));

    // Event webhooks: a subscription to a local receiver, its history, a redelivery, the dead letters; the robots.
    const receiver = await HttpReceiver.start();
    try {
      const subscription = await ok(
        admin.POST('/api/v1/webhooks', { body: { url: `${receiver.url}/hooks`, events: ['ticket.updated'], description: 'contract test' } }),
      );
      expect(subscription.secret).to.match(/^whsec_/);
      await ok(lead.PATCH('/api/v1/tickets/{id}', { params: { path: { id: ticketId } }, body: { priority: 'urgent' } }));
      const sub = { params: { path: { id: subscription.id } } };
      let history = await ok(admin.GET('/api/v1/webhooks/{id}/deliveries', sub));
      for (let i = 0; i < 200 && history.items[0]?.status !== 'delivered'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        history = await ok(admin.GET('/api/v1/webhooks/{id}/deliveries', sub));
      }
      expect(history.items[0]!.status).to.equal('delivered');
      const delivery = { params: { path: { id: String(history.items[0]!.id) } } };
      expect((await ok(admin.GET('/api/v1/webhook-deliveries/{id}', delivery))).history[0]!.statusCode).to.equal(200);
      expect((await ok(admin.POST('/api/v1/webhook-deliveries/{id}/redeliver', delivery))).status).to.equal('pending');
      expect((await ok(admin.GET('/api/v1/webhooks'))).items.map((s) => s.id)).to.include(subscription.id);
      expect((await ok(admin.GET('/api/v1/webhooks/{id}', sub))).deliveries.delivered).to.be.at.least(0);
      await ok(admin.GET('/api/v1/webhooks/dead-letters', { params: { query: { limit: 10 } } }));
      expect((await ok(admin.POST('/api/v1/webhooks/{id}/dead-letters/redeliver', sub))).redelivered).to.equal(0);
      expect((await ok(admin.GET('/api/v1/robots'))).items.map((r) => r.id)).to.deep.equal(['ops-room']);
      const room = { params: { path: { id: 'ops-room' } } };
      await ok(admin.GET('/api/v1/robots/{id}/deliveries', room));
      await ok(admin.POST('/api/v1/robots/{id}/dead-letters/redeliver', room));
      expect((await admin.DELETE('/api/v1/webhooks/{id}', sub)).response.status).to.equal(204);
    } finally {
      await receiver.stop();
    }

    // A customer's data: exported, then erased (last: nothing above needs the e-mail customer afterwards).
    const exported = await admin.GET('/api/v1/customers/{id}/export', { params: { path: { id: String(other.customerId) } }, parseAs: 'arrayBuffer' });
    expect(exported.response.headers.get('content-type')).to.equal('application/gzip');
    const erased = await ok(
      admin.POST('/api/v1/customers/{id}/erase', { params: { path: { id: String(other.customerId) } }, body: { reason: 'contract test' } }),
    );
    expect(erased.customerId).to.equal(other.customerId);

    // Every documented operation answered 2xx at least once.
    const missing = API_ROUTES.filter((r) => ![...(checker.answered.get(`${r.method} ${openApiPath(r.path)}`) ?? [])].some((s) => s >= 200 && s < 300));
    expect(missing.map((r) => `${r.method.toUpperCase()} ${r.path}`)).to.deep.equal([]);
  });

  it('answers errors in the documented shape: 400, 401, 403, 404 and 409', async function () {
    const bad = await agent.GET('/api/v1/tickets', { params: { query: { sort: 'oldest' as never } } });
    expect(bad.response.status).to.equal(400);
    expect(bad.error!.error.code).to.equal('bad_request');
    const anonymous = await client().GET('/api/v1/tickets');
    expect(anonymous.response.status).to.equal(401);
    const wrongRole = await finance.POST('/api/v1/tickets/{id}/replies', { params: { path: { id: '1' } }, body: { text: 'hello' } });
    expect(wrongRole.response.status).to.equal(403);
    const unknown = await agent.GET('/api/v1/customers/{id}', { params: { path: { id: '999999' } } });
    expect(unknown.response.status).to.equal(404);
    const incident = (await ok(finance.GET('/api/v1/incidents'))).items[0]!;
    // Resolved by the walk above, or now: either way a second resolve is a conflict.
    if (incident.status === 'open') await ok(lead.POST('/api/v1/incidents/{id}/resolve', { params: { path: { id: String(incident.id) } }, body: {} }));
    const again = await lead.POST('/api/v1/incidents/{id}/resolve', { params: { path: { id: String(incident.id) } }, body: {} });
    expect(again.response.status).to.equal(409);
    expect(again.error!.error.message).to.match(/already resolved/);
  });
});
