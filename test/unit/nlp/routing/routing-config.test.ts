import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { type RoutingConfig, checkRoutingAgainstSla, routingSchema } from '../../../../config/routing.schema.js';
import { type SlaConfig, slaSchema } from '../../../../config/sla.schema.js';
import { businessHoursFn, startSla } from '../../../../gateway/sla/sla-clock.js';
import { type RoutingFacts, route } from '../../../../nlp/routing/engine.js';

const read = (name: string) => parse(readFileSync(new URL(`../../../../config/${name}`, import.meta.url), 'utf8'));

function messages(raw: unknown): string[] {
  const r = routingSchema.safeParse(raw);
  expect(r.success, 'expected the config to be refused').to.equal(false);
  return r.error!.issues.map((i) => i.message);
}

function minimal(rules: unknown[], over: Record<string, unknown> = {}) {
  return {
    version: 1,
    defaults: { queue: 'general' },
    queues: [
      { id: 'general', name: 'General', agents: [{ id: 'ann', capacity: 3 }] },
      { id: 'vip', name: 'VIP' },
    ],
    rules,
    ...over,
  };
}

describe('routing.yaml schema: errors name the rule', () => {
  it('a bad field inside a rule names the rule id and keeps the path for the line number', () => {
    const r = routingSchema.safeParse(minimal([{ id: 'vip-priority', description: 'vip', when: { tier: 'vip' }, then: { priority: 'sky-high' } }]));
    expect(r.success).to.equal(false);
    const issue = r.error!.issues[0]!;
    expect(issue.message).to.match(/^rule "vip-priority" then\.priority: Invalid option/);
    expect(issue.path).to.deep.equal(['rules', 0, 'then', 'priority']);
  });

  it('a misspelt condition key is refused, not silently ignored', () => {
    const [msg] = messages(minimal([{ id: 'typo', description: 'typo', when: { categroy: 'PQ' }, then: { queue: 'vip' } }]));
    expect(msg).to.include('rule "typo"').and.include('categroy');
  });

  it('a wrong shape says what to write instead', () => {
    const [msg] = messages(minimal([{ id: 'sev-words', description: 'words', when: { severity: 'high' }, then: { queue: 'vip' } }]));
    expect(msg).to.equal('rule "sev-words" when.severity: use a number (2) or a test like { lte: 2 }, { gte: 4 }, { in: [1, 2] }');
  });

  it('a bad regex is refused at load, naming the rule and the pattern', () => {
    const msgs = messages(
      minimal([{ id: 'order-no', description: 'orders', when: { any: [{ channel: 'sms' }, { regex: 'order([0-9' }] }, then: { queue: 'vip' } }]),
    );
    expect(msgs).to.have.length(1);
    expect(msgs[0]).to.include('rule "order-no"').and.include('bad regex /order([0-9/');
  });

  it('unknown queues, agents and duplicate ids are refused with the rule named', () => {
    const msgs = messages(
      minimal([
        { id: 'dup', description: 'one', then: { queue: 'nowhere' } },
        { id: 'dup', description: 'two', then: { assign: { agent: 'zoe' }, escalate: { to: 'legal', reason: 'x' }, notify: [{ queue: 'pager' }] } },
      ]),
    );
    expect(msgs.join('\n')).to.include('rule "dup": then.queue names unknown queue "nowhere"');
    expect(msgs.join('\n')).to.include('rule "dup": the id is used twice (rules #1 and #2)');
    expect(msgs.join('\n')).to.include('unknown agent "zoe"');
    expect(msgs.join('\n')).to.include('then.escalate.to names unknown queue "legal"');
    expect(msgs.join('\n')).to.include('then.notify names unknown queue "pager"');
  });

  it('a rule without an id is named by its position', () => {
    const [msg] = messages(minimal([{ description: 'no id', then: { queue: 'vip' } }]));
    expect(msg).to.match(/^rule #1 id: /);
  });

  it('empty conditions, non-http webhooks and the default queue are checked', () => {
    expect(messages(minimal([{ id: 'e', description: 'e', when: {}, then: {} }]))[0])
      .to.include('rule "e"')
      .and.include('leave `when` out');
    expect(messages(minimal([{ id: 'w', description: 'w', then: { notify: [{ webhook: 'ftp://x.example/' }] } }]))[0]).to.include('rule "w"');
    expect(messages(minimal([], { defaults: { queue: 'missing' } }))[0]).to.include('defaults: unknown queue "missing"');
  });

  it('checkRoutingAgainstSla names the rule with an unknown SLA policy or calendar, and SLA actions with an unknown queue', () => {
    const sla = slaSchema.parse(read('sla.yaml'));
    const routing = routingSchema.parse(
      minimal([
        { id: 'vip-priority', description: 'vip', when: { tier: 'vip' }, then: { slaPolicy: 'x' } },
        { id: 'night', description: 'night', when: { not: { businessHours: { open: true, calendar: 'moon' } } }, then: { queue: 'vip' } },
      ]),
    );
    const problems = checkRoutingAgainstSla(routing, sla);
    expect(problems).to.include.members([
      'rule "vip-priority": unknown slaPolicy "x" (sla.yaml policies: urgent, important, vip-important, vip, standard, complex, inquiry, wechat-group)',
      'rule "night": businessHours names unknown calendar "moon" (sla.yaml calendars: business, 24x7, community)',
    ]);
    // sla.yaml escalates to queues (on-call, supervisors) this small routing file does not define.
    expect(problems.some((p) => p.startsWith('sla.yaml policies.urgent.firstResponseActions.breach.escalate: unknown queue "on-call"'))).to.equal(true);
  });
});

describe('shipped routing.yaml and sla.yaml implement DOMAIN.md', () => {
  let routing: RoutingConfig;
  let sla: SlaConfig;
  before(() => {
    routing = routingSchema.parse(read('routing.yaml'));
    sla = slaSchema.parse(read('sla.yaml'));
  });

  // Wednesday 2026-03-04 10:00 China time: inside office hours.
  const OFFICE = new Date('2026-03-04T10:00:00+08:00');
  function facts(over: Partial<RoutingFacts> = {}): RoutingFacts {
    return {
      category: 'PQ',
      severity: 3,
      emotion: 2,
      channel: 'email',
      language: 'zh-Hans',
      tier: 'standard',
      tags: [],
      text: '收到的包装破损了',
      entities: {},
      receivedAt: OFFICE,
      incident: false,
      repeatCount: () => 1,
      isBusinessHours: businessHoursFn(sla),
      ...over,
    };
  }
  const decide = (over: Partial<RoutingFacts> = {}) => {
    const f = facts(over);
    const d = route(routing, f);
    const s = startSla(sla, { routed: d.slaPolicy, severity: f.severity, tier: f.tier }, f.receivedAt);
    return { ...d, sla: s };
  };

  it('both files parse and agree with each other', () => {
    expect(checkRoutingAgainstSla(routing, sla)).to.deep.equal([]);
  });

  it('severity 1 → crisis queue, urgent, on-call paged and escalated, first response due in 30 min even at 3 a.m. on a Sunday', () => {
    const d = decide({ severity: 1, category: 'PQ', text: '孩子吃了以后住院了', receivedAt: new Date('2026-03-08T03:00:00+08:00') });
    expect(d).to.include({ queue: 'crisis', priority: 'urgent', slaPolicy: 'urgent' });
    expect(d.notify).to.deep.equal([{ queue: 'on-call' }]);
    expect(d.escalate!.to).to.equal('on-call');
    expect(d.sla.firstResponseDueAt.toISOString()).to.equal(new Date('2026-03-08T03:30:00+08:00').toISOString());
    expect(d.sla.resolutionDueAt.toISOString()).to.equal(new Date('2026-03-09T03:00:00+08:00').toISOString());
  });

  it('a severity-1 data breach (RL) goes to crisis and notifies legal too', () => {
    const d = decide({ severity: 1, category: 'RL', subcategory: 'RL-09' });
    expect(d.queue).to.equal('crisis');
    expect(d.notify).to.deep.equal([{ queue: 'legal' }, { queue: 'on-call' }]);
    expect(d.fired.map((f) => f.ruleId)).to.deep.equal(['legal-in-crisis', 'severity-1-crisis']);
  });

  it('RL → legal queue, even when the customer is angry', () => {
    const d = decide({ category: 'RL', severity: 2, emotion: 5 });
    expect(d).to.include({ queue: 'legal', priority: 'high' });
    expect(d.fired.at(-1)!.ruleId).to.equal('legal-rights');
  });

  it('VIP → high priority and the 1-hour VIP first response', () => {
    const d = decide({ tier: 'vip', category: 'LG' });
    expect(d).to.include({ queue: 'logistics', priority: 'high' });
    expect(d.sla.policy).to.equal('vip');
    expect(d.sla.firstResponseDueAt.toISOString()).to.equal(new Date('2026-03-04T11:00:00+08:00').toISOString());
  });

  it('a WeChat group complaint gets the 30-minute policy on the community calendar (evenings too)', () => {
    const d = decide({ channel: 'wechat', tags: ['group'], receivedAt: new Date('2026-03-07T20:00:00+08:00') });
    expect(d.slaPolicy).to.equal('wechat-group');
    expect(d.sla.firstResponseDueAt.toISOString()).to.equal(new Date('2026-03-07T20:30:00+08:00').toISOString());
    // A one-to-one WeChat chat is not a group complaint.
    expect(decide({ channel: 'wechat' }).slaPolicy).to.equal(undefined);
  });

  it('high emotion (≥ 4) → senior queue, round robin among senior agents', () => {
    const d = decide({ emotion: 4, category: 'LG' });
    expect(d).to.include({ queue: 'senior', priority: 'high' });
    expect(d.assign).to.deep.equal({ roundRobin: 'senior' });
  });

  it('PQ / LG / SP / TD go to their queues with the standard SLA (2 h first response, 3 working days)', () => {
    const queues = ['PQ', 'LG', 'SP', 'TD'].map((category) => decide({ category }).queue);
    expect(queues).to.deep.equal(['quality', 'logistics', 'after-sales', 'trade']);
    const d = decide({ category: 'PQ' });
    expect(d.priority).to.equal('normal');
    expect(d.sla.policy).to.equal('standard');
    expect(d.sla.firstResponseDueAt.toISOString()).to.equal(new Date('2026-03-04T12:00:00+08:00').toISOString());
    expect(d.sla.resolutionDueAt.toISOString()).to.equal(new Date('2026-03-09T10:00:00+08:00').toISOString());
  });

  it('inquiries → faq at low priority with a 4-hour first response; OTHER → general', () => {
    const d = decide({ category: 'INQ', severity: 4 });
    expect(d).to.include({ queue: 'faq', priority: 'low' });
    expect(d.sla.policy).to.equal('inquiry');
    expect(decide({ category: 'OTHER' }).queue).to.equal('general');
  });

  it('severity 2 → high priority, closed by the same time next business day', () => {
    const d = decide({ severity: 2, category: 'SP' });
    expect(d).to.include({ queue: 'after-sales', priority: 'high' });
    expect(d.sla.policy).to.equal('important');
    expect(d.sla.resolutionDueAt.toISOString()).to.equal(new Date('2026-03-05T10:00:00+08:00').toISOString());
  });

  it('an electronics mainboard fault gets the complex 5-working-day policy, but a VIP keeps the VIP policy', () => {
    expect(decide({ subcategory: 'PQ-03' }).sla.policy).to.equal('complex');
    expect(decide({ subcategory: 'PQ-03', tier: 'vip' }).sla.policy).to.equal('vip');
  });

  it('after hours the customer gets an auto-reply in their language', () => {
    const night = new Date('2026-03-04T21:00:00+08:00');
    expect(decide({ receivedAt: night }).autoReply!.template).to.include('非工作时间');
    expect(decide({ receivedAt: night, language: 'en' }).autoReply!.template).to.include('out of the office');
    expect(decide().autoReply).to.equal(undefined);
  });

  it('repeat complainers and incident members are tagged', () => {
    const d = decide({ repeatCount: (days) => (days === 30 ? 4 : 1), incident: true });
    expect(d.tags).to.include.members(['repeat-customer', 'incident']);
    expect(d.priority).to.equal('high');
  });
});
