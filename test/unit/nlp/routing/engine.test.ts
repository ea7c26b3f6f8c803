import { expect } from 'chai';
import { routingSchema } from '../../../../config/routing.schema.js';
import { type RoutingFacts, formatFired, pickRoundRobin, queueAgents, route } from '../../../../nlp/routing/engine.js';

const QUEUES = [
  { id: 'general', name: 'General' },
  { id: 'hit', name: 'Hit' },
  { id: 'other', name: 'Other' },
  {
    id: 'senior',
    name: 'Senior',
    agents: [
      { id: 'ann', capacity: 2 },
      { id: 'bob', capacity: 1 },
    ],
  },
];

function config(rules: unknown[], defaults: Record<string, unknown> = { queue: 'general' }) {
  return routingSchema.parse({ version: 1, defaults, queues: QUEUES, rules });
}

function facts(over: Partial<RoutingFacts> = {}): RoutingFacts {
  return {
    category: 'PQ',
    severity: 3,
    emotion: 2,
    channel: 'email',
    language: 'en',
    tier: 'standard',
    tags: [],
    text: 'the box arrived broken',
    entities: {},
    receivedAt: new Date('2026-03-04T03:00:00Z'),
    incident: false,
    repeatCount: () => 1,
    isBusinessHours: () => true,
    ...over,
  };
}

/** Routes with one rule `when` → queue "hit"; returns the decision. */
function one(when: unknown, over: Partial<RoutingFacts> = {}) {
  return route(config([{ id: 'r1', description: 'the rule under test', when, then: { queue: 'hit' } }]), facts(over));
}
const hits = (when: unknown, over: Partial<RoutingFacts> = {}) => one(when, over).queue === 'hit';

describe('routing engine: conditions', () => {
  it('category: one code or a list, case-insensitive', () => {
    expect(hits({ category: 'PQ' })).to.equal(true);
    expect(hits({ category: 'pq' })).to.equal(true);
    expect(hits({ category: ['LG', 'PQ'] })).to.equal(true);
    expect(hits({ category: 'LG' })).to.equal(false);
    expect(one({ category: 'PQ' }).fired[0]!.reasons).to.deep.equal(['category is PQ']);
  });

  it('subcategory: matches the sub-code exactly, and not when the complaint has none', () => {
    expect(hits({ subcategory: 'PQ-03' }, { subcategory: 'PQ-03' })).to.equal(true);
    expect(hits({ subcategory: 'PQ-03' }, { subcategory: 'PQ-01' })).to.equal(false);
    expect(hits({ subcategory: 'PQ-03' })).to.equal(false);
  });

  it('severity: equals, lte, gte, in, eq', () => {
    expect(hits({ severity: 1 }, { severity: 1 })).to.equal(true);
    expect(hits({ severity: 1 }, { severity: 2 })).to.equal(false);
    expect(hits({ severity: { lte: 2 } }, { severity: 2 })).to.equal(true);
    expect(hits({ severity: { lte: 2 } }, { severity: 3 })).to.equal(false);
    expect(hits({ severity: { gte: 3 } }, { severity: 4 })).to.equal(true);
    expect(hits({ severity: { in: [1, 4] } }, { severity: 4 })).to.equal(true);
    expect(hits({ severity: { in: [1, 4] } }, { severity: 3 })).to.equal(false);
    expect(hits({ severity: { eq: 3 } }, { severity: 3 })).to.equal(true);
    expect(hits({ severity: { gte: 2, lte: 3 } }, { severity: 4 })).to.equal(false);
    expect(one({ severity: { lte: 2 } }, { severity: 1 }).fired[0]!.reasons).to.deep.equal(['severity is 1 (≤ 2)']);
  });

  it('emotion: the same number tests', () => {
    expect(hits({ emotion: { gte: 4 } }, { emotion: 5 })).to.equal(true);
    expect(hits({ emotion: { gte: 4 } }, { emotion: 3 })).to.equal(false);
    expect(one({ emotion: { gte: 4 } }, { emotion: 4 }).fired[0]!.reasons).to.deep.equal(['emotion is 4 (≥ 4)']);
  });

  it('channel: one or any of a list', () => {
    expect(hits({ channel: ['sms', 'voice'] }, { channel: 'voice' })).to.equal(true);
    expect(hits({ channel: 'sms' }, { channel: 'email' })).to.equal(false);
  });

  it('language: "zh" covers zh-Hans and zh-Hant; a full tag matches only itself', () => {
    expect(hits({ language: 'zh' }, { language: 'zh-Hant' })).to.equal(true);
    expect(hits({ language: 'zh' }, { language: 'zh-Hans' })).to.equal(true);
    expect(hits({ language: 'zh' }, { language: 'en' })).to.equal(false);
    expect(hits({ language: 'zh-Hans' }, { language: 'zh-Hant' })).to.equal(false);
  });

  it('tier', () => {
    expect(hits({ tier: 'vip' }, { tier: 'vip' })).to.equal(true);
    expect(hits({ tier: 'vip' })).to.equal(false);
  });

  it('tags: any of a list, or all of them', () => {
    expect(hits({ tags: ['group', 'room'] }, { tags: ['room'] })).to.equal(true);
    expect(hits({ tags: 'group' }, { tags: ['private'] })).to.equal(false);
    expect(hits({ tags: { all: ['vip', 'repeat'] } }, { tags: ['vip', 'repeat', 'x'] })).to.equal(true);
    expect(hits({ tags: { all: ['vip', 'repeat'] } }, { tags: ['vip'] })).to.equal(false);
  });

  it('keywords: Chinese anywhere in the text, English at a word start, reasons list the words found', () => {
    expect(hits({ keywords: ['退款', '赔偿'] }, { text: '我要求退款，否则投诉' })).to.equal(true);
    expect(hits({ keywords: ['refund'] }, { text: 'i want my refunds now' })).to.equal(true);
    expect(hits({ keywords: ['late'] }, { text: 'the chocolate melted' })).to.equal(false);
    expect(hits({ keywords: ['Late Delivery'] }, { text: 'another late delivery again' })).to.equal(true);
    const d = one({ keywords: ['refund', 'broken', 'lawyer'] }, { text: 'broken, refund please, broken again' });
    expect(d.fired[0]!.reasons).to.deep.equal(['text mentions "broken", "refund"']);
  });

  it('regex: tested on the text, case-insensitive by default, the match is quoted in the reason', () => {
    expect(hits({ regex: 'order\\s*#?\\d{6,}' }, { text: 'about ORDER #1234567 please' })).to.equal(true);
    expect(hits({ regex: 'order\\s*#?\\d{6,}' }, { text: 'about order 12' })).to.equal(false);
    expect(hits({ regex: { pattern: 'Order', flags: 'u' } }, { text: 'order' })).to.equal(false);
    expect(one({ regex: '订单号?\\d{6,}' }, { text: '订单123456789没到' }).fired[0]!.reasons).to.deep.equal([
      'text matches /订单号?\\d{6,}/ ("订单123456789")',
    ]);
  });

  it('regex with a g flag matches every message, not every other one', () => {
    const cfg = config([{ id: 'g', description: 'global flag', when: { regex: { pattern: 'x', flags: 'g' } }, then: { queue: 'hit' } }]);
    for (let i = 0; i < 3; i++) expect(route(cfg, facts({ text: 'x' })).queue).to.equal('hit');
  });

  it('entity: present when at least one of that kind was extracted; the reason gives a count, not the value', () => {
    expect(hits({ entity: 'order_id' }, { entities: { order_id: ['A123'] } })).to.equal(true);
    expect(hits({ entity: 'order_id' }, { entities: { order_id: [] } })).to.equal(false);
    expect(hits({ entity: ['phone', 'order_id'] }, { entities: { phone: ['+8613800000000'] } })).to.equal(true);
    const reasons = one({ entity: 'phone' }, { entities: { phone: ['+8613800000000'] } }).fired[0]!.reasons;
    expect(reasons).to.deep.equal(['a phone was found in the text (1)']);
    expect(reasons.join()).not.to.include('138');
  });

  it('businessHours: true / false, with the named calendar passed to the calendar function', () => {
    const calls: Array<[string | undefined, string]> = [];
    const isBusinessHours = (cal: string | undefined, at: Date) => {
      calls.push([cal, at.toISOString()]);
      return cal === 'community';
    };
    expect(hits({ businessHours: false }, { isBusinessHours })).to.equal(true);
    expect(hits({ businessHours: true }, { isBusinessHours })).to.equal(false);
    expect(hits({ businessHours: { open: true, calendar: 'community' } }, { isBusinessHours })).to.equal(true);
    expect(calls).to.deep.equal([
      [undefined, '2026-03-04T03:00:00.000Z'],
      [undefined, '2026-03-04T03:00:00.000Z'],
      ['community', '2026-03-04T03:00:00.000Z'],
    ]);
  });

  it('incident: true / false', () => {
    expect(hits({ incident: true }, { incident: true })).to.equal(true);
    expect(hits({ incident: true })).to.equal(false);
    expect(hits({ incident: false })).to.equal(true);
  });

  it('repeatCount: complaints in the window at or above the threshold; looked up once per window and only when reached', () => {
    const asked: number[] = [];
    const repeatCount = (days: number) => {
      asked.push(days);
      return days === 30 ? 3 : 1;
    };
    const cfg = config([
      {
        id: 'never',
        description: 'fails before repeatCount',
        when: { all: [{ category: 'LG' }, { repeatCount: { days: 7, gte: 1 } }] },
        then: { queue: 'other' },
      },
      { id: 'a', description: 'first', when: { repeatCount: { days: 30, gte: 3 } }, then: { tags: ['a'], stop: false } },
      { id: 'b', description: 'second', when: { repeatCount: { days: 30, gte: 4 } }, then: { queue: 'other' } },
    ]);
    const d = route(cfg, facts({ repeatCount }));
    expect(d.fired.map((f) => f.ruleId)).to.deep.equal(['a']);
    expect(d.fired[0]!.reasons).to.deep.equal(['3 complaints from this customer in 30 days (≥ 3)']);
    expect(asked).to.deep.equal([30]);
  });

  it('several keys in one node must all hold', () => {
    expect(hits({ category: 'PQ', severity: 3 })).to.equal(true);
    expect(hits({ category: 'PQ', severity: 1 })).to.equal(false);
  });

  it('all / any / not nest, and the reasons say which branch held', () => {
    const when = {
      all: [{ any: [{ category: 'RL' }, { subcategory: 'PQ-03' }] }, { severity: { gte: 3 } }, { not: { tier: 'vip' } }],
    };
    const d = one(when, { subcategory: 'PQ-03' });
    expect(d.queue).to.equal('hit');
    expect(d.fired[0]!.reasons).to.deep.equal(['subcategory is PQ-03', 'severity is 3 (≥ 3)', 'not (customer tier is vip)']);
    expect(hits(when, { subcategory: 'PQ-03', tier: 'vip' })).to.equal(false);
    expect(hits(when, { category: 'LG' })).to.equal(false);
    expect(hits({ not: { any: [{ channel: 'sms' }, { channel: 'voice' }] } }, { channel: 'email' })).to.equal(true);
  });

  it('a rule without `when` matches everything and says so', () => {
    const d = route(config([{ id: 'all', description: 'catch-all', then: { queue: 'hit' } }]), facts());
    expect(d.queue).to.equal('hit');
    expect(d.fired[0]!.reasons).to.deep.equal(['no conditions: matches every complaint']);
  });
});

describe('routing engine: actions and evaluation order', () => {
  it('queue, priority, tags, slaPolicy, escalate, notify and assign are applied', () => {
    const d = route(
      config([
        {
          id: 'all-actions',
          description: 'every action',
          when: { category: 'PQ' },
          then: {
            queue: 'hit',
            priority: 'urgent',
            tags: ['x', 'y'],
            slaPolicy: 'urgent',
            escalate: { to: 'senior', reason: 'because' },
            notify: [{ queue: 'senior' }, { webhook: 'https://hooks.example.com/a' }],
            assign: { agent: 'ann' },
          },
        },
      ]),
      facts(),
    );
    expect(d).to.deep.include({
      queue: 'hit',
      priority: 'urgent',
      tags: ['x', 'y'],
      slaPolicy: 'urgent',
      escalate: { to: 'senior', reason: 'because' },
      notify: [{ queue: 'senior' }, { webhook: 'https://hooks.example.com/a' }],
      assign: { agent: 'ann' },
    });
  });

  it('assign round robin names the queue to pick from', () => {
    const d = route(config([{ id: 'rr', description: 'rr', then: { queue: 'senior', assign: { roundRobin: 'senior' } } }]), facts());
    expect(d.assign).to.deep.equal({ roundRobin: 'senior' });
  });

  it('autoReply picks the customer language, Traditional Chinese included, and falls back to the other template', () => {
    const rule = (autoReply: object) => config([{ id: 'ar', description: 'auto reply', then: { autoReply } }]);
    const both = rule({ zh: '您好 {ticketNumber}', en: 'Hello {ticketNumber}' });
    expect(route(both, facts({ language: 'zh-Hant' })).autoReply).to.deep.equal({ language: 'zh', template: '您好 {ticketNumber}' });
    expect(route(both, facts({ language: 'en' })).autoReply).to.deep.equal({ language: 'en', template: 'Hello {ticketNumber}' });
    expect(route(both, facts({ language: 'fr' })).autoReply!.language).to.equal('en');
    expect(route(rule({ zh: '只有中文' }), facts({ language: 'en' })).autoReply).to.deep.equal({ language: 'zh', template: '只有中文' });
  });

  it('no rule matches: the defaults apply and nothing fired', () => {
    const d = route(
      config([{ id: 'lg', description: 'lg', when: { category: 'LG' }, then: { queue: 'hit' } }], { queue: 'general', priority: 'low', slaPolicy: 'standard' }),
      facts(),
    );
    expect(d).to.deep.equal({ queue: 'general', priority: 'low', slaPolicy: 'standard', tags: [], notify: [], fired: [] });
    expect(formatFired(d)).to.deep.equal(['no rule matched: defaults (queue general, priority low)']);
  });

  it('first match wins: stop defaults to true and later matching rules do not fire', () => {
    const d = route(
      config([
        { id: 'first', description: 'first', when: { category: 'PQ' }, then: { queue: 'hit' } },
        { id: 'second', description: 'second', when: { category: 'PQ' }, then: { queue: 'other', tags: ['never'] } },
      ]),
      facts(),
    );
    expect(d.queue).to.equal('hit');
    expect(d.tags).to.deep.equal([]);
    expect(d.fired.map((f) => f.ruleId)).to.deep.equal(['first']);
  });

  it('stop: false continues: tags and notify add up, later queue/slaPolicy/escalate override, priority keeps the highest', () => {
    const d = route(
      config([
        {
          id: 'a',
          description: 'a',
          when: { category: 'PQ' },
          then: {
            queue: 'hit',
            priority: 'urgent',
            tags: ['a', 'shared'],
            notify: [{ queue: 'senior' }],
            slaPolicy: 'one',
            escalate: { to: 'senior', reason: 'a' },
            stop: false,
          },
        },
        { id: 'skipped', description: 'does not match', when: { category: 'LG' }, then: { queue: 'general' } },
        {
          id: 'b',
          description: 'b',
          then: {
            queue: 'other',
            priority: 'low',
            tags: ['shared', 'b'],
            notify: [{ queue: 'senior' }, { queue: 'hit' }],
            slaPolicy: 'two',
            escalate: { to: 'hit', reason: 'b' },
          },
        },
        { id: 'after-stop', description: 'after b stopped', then: { queue: 'general' } },
      ]),
      facts(),
    );
    expect(d.queue).to.equal('other');
    expect(d.priority).to.equal('urgent');
    expect(d.tags).to.deep.equal(['a', 'shared', 'b']);
    expect(d.notify).to.deep.equal([{ queue: 'senior' }, { queue: 'hit' }]);
    expect(d.slaPolicy).to.equal('two');
    expect(d.escalate).to.deep.equal({ to: 'hit', reason: 'b' });
    expect(d.fired.map((f) => f.ruleId)).to.deep.equal(['a', 'b']);
  });

  it('a continuing rule that sets nothing for a field leaves it to the defaults', () => {
    const d = route(config([{ id: 'tag', description: 'tag only', then: { tags: ['t'], stop: false } }], { queue: 'general', priority: 'high' }), facts());
    expect(d).to.include({ queue: 'general', priority: 'high' });
    expect(d.tags).to.deep.equal(['t']);
  });

  it('a disabled rule never fires', () => {
    const d = route(config([{ id: 'off', description: 'off', enabled: false, then: { queue: 'hit' } }]), facts());
    expect(d.queue).to.equal('general');
  });

  it('formatFired lists the rules in order with their reasons', () => {
    const d = route(
      config([
        { id: 'a', description: 'tag PQ', when: { category: 'PQ' }, then: { tags: ['pq'], stop: false } },
        { id: 'b', description: 'broken goes to hit', when: { keywords: ['broken'] }, then: { queue: 'hit' } },
      ]),
      facts(),
    );
    expect(formatFired(d)).to.deep.equal(['1. a — tag PQ\n     because category is PQ', '2. b — broken goes to hit\n     because text mentions "broken"']);
  });
});

describe('pickRoundRobin', () => {
  const agents = [
    { id: 'ann', capacity: 2, openTickets: 0 },
    { id: 'bob', capacity: 1, openTickets: 0 },
    { id: 'cai', capacity: 3, openTickets: 0 },
  ];

  it('takes turns after the last assignee and wraps around', () => {
    expect(pickRoundRobin(agents)).to.equal('ann');
    expect(pickRoundRobin(agents, 'ann')).to.equal('bob');
    expect(pickRoundRobin(agents, 'bob')).to.equal('cai');
    expect(pickRoundRobin(agents, 'cai')).to.equal('ann');
  });

  it('skips agents at capacity (and capacity 0), and gives nobody when all are full', () => {
    const busy = [
      { id: 'ann', capacity: 2, openTickets: 2 },
      { id: 'bob', capacity: 0, openTickets: 0 },
      { id: 'cai', capacity: 3, openTickets: 1 },
    ];
    expect(pickRoundRobin(busy, 'cai')).to.equal('cai');
    expect(
      pickRoundRobin(
        busy.map((a) => ({ ...a, openTickets: a.capacity })),
        'ann',
      ),
    ).to.equal(undefined);
    expect(pickRoundRobin([], 'ann')).to.equal(undefined);
  });

  it('starts from the first agent when the last assignee has left the queue', () => {
    expect(pickRoundRobin(agents, 'zoe')).to.equal('ann');
  });

  it('spreads tickets by capacity over a queue from routing.yaml until everyone is full', () => {
    const cfg = config([]);
    const open = new Map<string, number>();
    let last: string | undefined;
    const got: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) {
      last =
        pickRoundRobin(
          queueAgents(cfg, 'senior').map((a) => ({ ...a, openTickets: open.get(a.id) ?? 0 })),
          last,
        ) ?? last;
      got.push(last);
      open.set(last!, (open.get(last!) ?? 0) + 1);
    }
    // ann holds 2, bob 1: the fourth ticket finds everyone full and stays unassigned.
    expect(got.slice(0, 3)).to.deep.equal(['ann', 'bob', 'ann']);
    expect(
      pickRoundRobin(
        queueAgents(cfg, 'senior').map((a) => ({ ...a, openTickets: open.get(a.id) ?? 0 })),
        'ann',
      ),
    ).to.equal(undefined);
  });
});
