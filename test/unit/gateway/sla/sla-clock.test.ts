import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { type SlaConfig, slaSchema } from '../../../../config/sla.schema.js';
import {
  type TicketSlaState,
  computeDueTimes,
  evaluateSla,
  markSlaEvents,
  pauseSla,
  resolveSlaPolicy,
  resumeSla,
  slaActionsFor,
  startSla,
} from '../../../../gateway/sla/sla-clock.js';

const shippedRaw = () => parse(readFileSync(new URL('../../../../config/sla.yaml', import.meta.url), 'utf8'));
const at = (s: string) => new Date(s);
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d);
const H = 3_600_000;

describe('SLA clock', () => {
  let sla: SlaConfig;
  before(() => {
    sla = slaSchema.parse(shippedRaw());
  });
  const business = () => sla.calendars['business']!;

  it('computeDueTimes: a standard ticket opened Friday 17:00 is due Monday 10:00 and warns at 80% of the business time (Monday 09:36)', () => {
    const due = computeDueTimes(sla.policies['standard']!, business(), at('2026-03-06T17:00:00+08:00'), { warningAt: 0.8 });
    expect(iso(due.firstResponseDueAt)).to.equal(iso(at('2026-03-09T10:00:00+08:00')));
    expect(iso(due.firstResponseWarnAt)).to.equal(iso(at('2026-03-09T09:36:00+08:00')));
    expect(iso(due.resolutionDueAt)).to.equal(iso(at('2026-03-11T17:00:00+08:00')));
    // 3 business days from Friday 17:00 is 27 business hours (1 + 9 + 9 + 8); 80% = 21 h 36 min → Wednesday 11:36.
    expect(iso(due.resolutionWarnAt)).to.equal(iso(at('2026-03-11T11:36:00+08:00')));
  });

  it('the warning threshold is configurable per policy', () => {
    const due = computeDueTimes({ firstResponse: '4h', resolution: '3bd', warningAt: 0.5 }, business(), at('2026-03-04T10:00:00+08:00'), { warningAt: 0.8 });
    expect(iso(due.firstResponseWarnAt)).to.equal(iso(at('2026-03-04T12:00:00+08:00')));
  });

  describe('warning at 80% and breach, with a fake clock', () => {
    // VIP ticket opened Wednesday 10:00: first response due 11:00 (warn 10:48), resolution in 3 business days.
    let state: TicketSlaState;
    beforeEach(() => {
      state = startSla(sla, { severity: 3, tier: 'vip' }, at('2026-03-04T10:00:00+08:00'));
    });

    it('nothing before 80%, one warning at 80%, one breach at the due time, never twice', () => {
      expect(evaluateSla(state, at('2026-03-04T10:47:59+08:00'))).to.deep.equal([]);
      const warn = evaluateSla(state, at('2026-03-04T10:48:00+08:00'));
      expect(warn).to.deep.equal([{ kind: 'warning', target: 'firstResponse', at: at('2026-03-04T10:48:00+08:00') }]);
      state = markSlaEvents(state, warn);
      expect(evaluateSla(state, at('2026-03-04T10:55:00+08:00'))).to.deep.equal([]);
      const breach = evaluateSla(state, at('2026-03-04T11:00:00+08:00'));
      expect(breach).to.deep.equal([{ kind: 'breach', target: 'firstResponse', at: at('2026-03-04T11:00:00+08:00') }]);
      state = markSlaEvents(state, breach);
      expect(evaluateSla(state, at('2026-03-04T11:30:00+08:00'))).to.deep.equal([]);
    });

    it('the breach carries the configured escalation: VIP first response overdue → supervisors queue, high priority', () => {
      const [event] = evaluateSla(state, at('2026-03-04T11:01:00+08:00'));
      const actions = slaActionsFor(sla, 'vip', event!);
      expect(actions).to.deep.equal({
        escalate: { to: 'supervisors', reason: 'first response overdue' },
        notify: [{ queue: 'supervisors' }],
        priority: 'high',
      });
      expect(slaActionsFor(sla, 'vip', { kind: 'warning', target: 'firstResponse' })).to.deep.equal({ notify: [{ queue: 'supervisors' }] });
    });

    it('severity 1 has its own actions: the breach escalates to the on-call lead and makes the ticket urgent', () => {
      const urgent = startSla(sla, { severity: 1, tier: 'standard' }, at('2026-03-07T03:00:00+08:00'));
      const events = evaluateSla(urgent, at('2026-03-07T03:31:00+08:00'));
      expect(events).to.deep.equal([{ kind: 'breach', target: 'firstResponse', at: at('2026-03-07T03:30:00+08:00') }]);
      expect(slaActionsFor(sla, urgent.policy, events[0]!)).to.deep.include({
        escalate: { to: 'on-call', reason: 'severity 1 first response overdue (30 min target)' },
        priority: 'urgent',
      });
    });

    it('a worker that was down reports only the breach, and marking it also suppresses the late warning', () => {
      const events = evaluateSla(state, at('2026-03-04T15:00:00+08:00'));
      expect(events.map((e) => `${e.kind}:${e.target}`)).to.deep.equal(['breach:firstResponse']);
      state = markSlaEvents(state, events);
      expect(state).to.include({ breachedFirstResponse: true, warnedFirstResponse: true });
    });

    it('answering stops the first-response clock; resolving stops everything', () => {
      state = { ...state, firstRespondedAt: at('2026-03-04T10:30:00+08:00') };
      expect(evaluateSla(state, at('2026-03-04T11:30:00+08:00'))).to.deep.equal([]);
      const late = at('2026-03-09T17:00:00+08:00');
      expect(evaluateSla(state, late).map((e) => `${e.kind}:${e.target}`)).to.deep.equal(['breach:resolution']);
      expect(evaluateSla({ ...state, resolvedAt: at('2026-03-05T10:00:00+08:00') }, late)).to.deep.equal([]);
    });

    it('due times stored as ISO strings (as read from the database) work the same', () => {
      const stored: TicketSlaState = {
        firstResponseDueAt: iso(state.firstResponseDueAt) as string,
        firstResponseWarnAt: iso(state.firstResponseWarnAt) as string,
        resolutionDueAt: iso(state.resolutionDueAt) as string,
        resolutionWarnAt: iso(state.resolutionWarnAt) as string,
        pausedTotalMs: 0,
        firstRespondedAt: null,
      };
      expect(evaluateSla(stored, at('2026-03-04T10:50:00+08:00')).map((e) => e.kind)).to.deep.equal(['warning']);
    });
  });

  describe('pause while waiting on the customer', () => {
    it('a paused clock raises nothing, even past the due time', () => {
      let s = startSla(sla, { severity: 3, tier: 'standard' }, at('2026-03-04T10:00:00+08:00'));
      s = { ...s, firstRespondedAt: at('2026-03-04T10:20:00+08:00') };
      s = pauseSla(s, at('2026-03-04T11:00:00+08:00'));
      expect(evaluateSla(s, at('2026-03-20T10:00:00+08:00'))).to.deep.equal([]);
    });

    it('resuming pushes unmet targets out by the paused business time (weekend not counted)', () => {
      let s = startSla(sla, { severity: 3, tier: 'standard' }, at('2026-03-04T10:00:00+08:00'));
      s = { ...s, firstRespondedAt: at('2026-03-04T10:20:00+08:00') };
      const before = { fr: iso(s.firstResponseDueAt), res: iso(s.resolutionDueAt), warn: iso(s.resolutionWarnAt) };
      expect(before.res).to.equal(iso(at('2026-03-09T10:00:00+08:00')));
      // Paused Friday 17:00 → Monday 11:00: 1 h on Friday + 2 h on Monday = 3 business hours.
      s = pauseSla(s, at('2026-03-06T17:00:00+08:00'));
      s = resumeSla(s, at('2026-03-09T11:00:00+08:00'), business());
      expect(s.pausedAt).to.equal(undefined);
      expect(s.pausedTotalMs).to.equal(3 * H);
      expect(iso(s.resolutionDueAt)).to.equal(iso(at('2026-03-09T13:00:00+08:00')));
      expect(iso(s.resolutionWarnAt)).to.not.equal(before.warn);
      // The first response was already met: its due time stays as it was.
      expect(iso(s.firstResponseDueAt)).to.equal(before.fr);
      expect(evaluateSla(s, at('2026-03-09T12:59:00+08:00')).filter((e) => e.kind === 'breach')).to.deep.equal([]);
      expect(evaluateSla(s, at('2026-03-09T13:00:00+08:00')).map((e) => `${e.kind}:${e.target}`)).to.deep.equal(['breach:resolution']);
    });

    it('a pause entirely outside office hours costs nothing; pauses add up', () => {
      let s = startSla(sla, { severity: 3, tier: 'standard' }, at('2026-03-04T10:00:00+08:00'));
      const due = iso(s.resolutionDueAt);
      s = resumeSla(pauseSla(s, at('2026-03-06T18:30:00+08:00')), at('2026-03-09T08:00:00+08:00'), business());
      expect(iso(s.resolutionDueAt)).to.equal(due);
      expect(s.pausedTotalMs).to.equal(0);
      s = resumeSla(pauseSla(s, at('2026-03-09T09:00:00+08:00')), at('2026-03-09T09:30:00+08:00'), business());
      s = resumeSla(pauseSla(s, at('2026-03-09T10:00:00+08:00')), at('2026-03-09T10:15:00+08:00'), business());
      expect(s.pausedTotalMs).to.equal(0.75 * H);
    });

    it('pausing twice keeps the first pause; resuming an unpaused ticket changes nothing', () => {
      const s = startSla(sla, { severity: 3, tier: 'standard' }, at('2026-03-04T10:00:00+08:00'));
      const p = pauseSla(s, at('2026-03-04T11:00:00+08:00'));
      expect(pauseSla(p, at('2026-03-04T12:00:00+08:00')).pausedAt).to.deep.equal(at('2026-03-04T11:00:00+08:00'));
      expect(resumeSla(s, at('2026-03-04T12:00:00+08:00'), business())).to.equal(s);
    });
  });

  describe('choosing the policy', () => {
    it('a routing rule’s policy wins; otherwise severity × tier from the matrix, "default" for other tiers', () => {
      expect(resolveSlaPolicy(sla, { routed: 'wechat-group', severity: 3, tier: 'vip' })).to.include({ name: 'wechat-group', source: 'rule' });
      expect(resolveSlaPolicy(sla, { severity: 1, tier: 'vip' }).name).to.equal('urgent');
      expect(resolveSlaPolicy(sla, { severity: 2, tier: 'vip' }).name).to.equal('vip-important');
      expect(resolveSlaPolicy(sla, { severity: 2, tier: 'gold' }).name).to.equal('important');
      expect(resolveSlaPolicy(sla, { severity: 4, tier: 'standard' })).to.include({ name: 'inquiry', source: 'matrix' });
      expect(resolveSlaPolicy(sla, { severity: 9, tier: 'standard' }).name).to.equal('inquiry');
      expect(() => resolveSlaPolicy(sla, { routed: 'nope', severity: 3, tier: 'standard' })).to.throw(/unknown SLA policy "nope"/);
    });

    it('shipped targets follow DOMAIN.md: 30 min / 24 h urgent on 24x7, VIP 1 h, others 2–4 h, 3 and 5 working days, WeChat groups 30 min', () => {
      const p = sla.policies;
      expect([p['urgent']!.firstResponse, p['urgent']!.resolution, p['urgent']!.calendar]).to.deep.equal(['30m', '24h', '24x7']);
      expect(p['vip']!.firstResponse).to.equal('1h');
      expect([p['standard']!.firstResponse, p['inquiry']!.firstResponse]).to.deep.equal(['2h', '4h']);
      expect([p['standard']!.resolution, p['complex']!.resolution]).to.deep.equal(['3bd', '5bd']);
      expect(p['wechat-group']!.firstResponse).to.equal('30m');
      expect(sla.warningAt).to.equal(0.8);
    });
  });
});

describe('sla.yaml schema errors', () => {
  const issues = (mutate: (raw: any) => void) => {
    const raw = shippedRaw();
    mutate(raw);
    const r = slaSchema.safeParse(raw);
    expect(r.success, 'expected sla.yaml to be refused').to.equal(false);
    return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('names the policy with a bad duration and says what to write', () => {
    expect(issues((r) => (r.policies.vip.firstResponse = '1 hour'))).to.deep.equal([
      'policies.vip.firstResponse: "1 hour" is not a duration: use minutes/hours like 30m, 4h, 1h30m or business days like 3bd',
    ]);
  });

  it('names the policy with an unknown calendar and the matrix cell with an unknown policy', () => {
    const msgs = issues((r) => {
      r.policies.vip.calendar = 'weekend';
      r.matrix['3'].vip = 'platinum';
    });
    expect(msgs).to.include('policies.vip.calendar: policy "vip": unknown calendar "weekend" (defined: business, 24x7, community)');
    expect(msgs).to.include('matrix.3.vip: matrix severity 3 tier "vip": unknown policy "platinum"');
  });

  it('refuses unknown time zones, overlapping or reversed hours, bad holiday dates and a matrix row without default', () => {
    const msgs = issues((r) => {
      r.calendars.business.timeZone = 'Asia/Beijing';
      r.calendars.business.hours.mon = [
        ['09:00', '12:00'],
        ['11:00', '18:00'],
      ];
      r.calendars.business.hours.tue = [['18:00', '09:00']];
      r.calendars.business.holidays.push('2026-13-01x');
      delete r.matrix['4'].default;
    });
    expect(msgs.some((m) => m.startsWith('calendars.business.timeZone: unknown IANA time zone'))).to.equal(true);
    expect(msgs).to.include('calendars.business.hours.mon: opening intervals overlap on mon');
    expect(msgs.some((m) => m.startsWith('calendars.business.hours.tue.0: an opening interval must start before it ends'))).to.equal(true);
    expect(msgs.some((m) => m.startsWith('calendars.business.holidays.7: use YYYY-MM-DD'))).to.equal(true);
    expect(msgs.some((m) => m.startsWith('matrix.4: each severity needs a "default" policy'))).to.equal(true);
  });
});
