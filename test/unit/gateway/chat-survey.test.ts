import { expect } from 'chai';
import { widgetMessageKind } from '../../../adapters/webchat/transcript.js';
import { gatewaySchema } from '../../../config/gateway.schema.js';
import { chatSurveyMarkers } from '../../../gateway/chat-survey.js';

describe('the widget markers on a chat transcript (satisfaction question)', () => {
  const { csat } = gatewaySchema.parse({});
  const DAY = 86_400_000;
  const now = Date.parse('2026-12-05T10:00:00Z');
  const out = (id: number, kind: string) => ({ id, direction: 'out' as const, meta: { kind } });
  const messages = [
    { id: 1, direction: 'in' as const, meta: { via: 'widget' } },
    out(2, 'acknowledgement'),
    out(3, 'csat_survey'),
    out(4, 'csat_sorry'),
    out(5, 'agent_reply'),
    out(6, 'csat_survey'),
  ];
  const resolved: Parameters<typeof chatSurveyMarkers>[0] = { status: 'resolved', csat: null, csatRequestedAt: now - DAY };

  it("maps the gateway's message kinds to the widget's: the question, the thanks or apology, nothing else", () => {
    expect(['csat_survey', 'csat_thanks', 'csat_sorry', 'progress', 'agent_reply', 'acknowledgement', undefined].map(widgetMessageKind)).to.deep.equal([
      'csat',
      'csat_thanks',
      'csat_thanks',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('leaves only the latest question open, on a resolved ticket not rated yet, and marks the thanks', () => {
    const mark = chatSurveyMarkers(resolved, messages, csat, now);
    expect(messages.map(mark)).to.deep.equal([
      {},
      {},
      { kind: 'csat', csat: { open: false, score: null } },
      { kind: 'csat_thanks' },
      {},
      { kind: 'csat', csat: { open: true, score: null } },
    ]);
  });

  it('closes the question once rated (with the score), when the ticket moved on, past the reply window, or with the survey off', () => {
    const latest = (ticket: Parameters<typeof chatSurveyMarkers>[0], settings = csat) => chatSurveyMarkers(ticket, messages, settings, now)(messages[5]!);
    expect(latest({ ...resolved, csat: 2, status: 'reopened' })).to.deep.equal({ kind: 'csat', csat: { open: false, score: 2 } });
    expect(latest({ ...resolved, csat: 5 })).to.deep.equal({ kind: 'csat', csat: { open: false, score: 5 } });
    expect(latest({ ...resolved, status: 'reopened' })).to.deep.equal({ kind: 'csat', csat: { open: false, score: null } });
    expect(latest({ ...resolved, csatRequestedAt: now - (csat.replyWindowDays + 1) * DAY })).to.deep.equal({
      kind: 'csat',
      csat: { open: false, score: null },
    });
    expect(latest(resolved, { ...csat, enabled: false })).to.deep.equal({ kind: 'csat', csat: { open: false, score: null } });
  });

  it("never marks the customer's own message, whatever its meta says", () => {
    const mark = chatSurveyMarkers(resolved, messages, csat, now);
    expect(mark({ id: 9, direction: 'in', meta: { kind: 'csat_survey' } })).to.deep.equal({});
  });
});
