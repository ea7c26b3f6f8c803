import { expect } from 'chai';
import { TicketPresence, TYPING_TTL_MS, VIEWING_TTL_MS, type TicketPresenceEvent } from '../../../gateway/ticket-presence.js';

describe('TicketPresence (who has a ticket open, who is typing)', () => {
  let now: number;
  let presence: TicketPresence;
  let events: TicketPresenceEvent[];
  beforeEach(() => {
    now = Date.parse('2026-12-04T09:00:00Z');
    presence = new TicketPresence(() => now);
    events = [];
    presence.subscribe((e) => events.push(e));
  });
  afterEach(() => presence.stop());

  const states = (id: number) => presence.list(id).map((p) => `${p.displayName}:${p.state}`);

  it('lists the people on a ticket in the order they came, and announces each change once', () => {
    presence.report(7, { name: 'li.lei', displayName: 'Li Lei' }, 'viewing');
    now += 1000;
    presence.report(7, { name: 'han.mei', displayName: 'Han Mei' }, 'viewing');
    presence.report(7, { name: 'li.lei', displayName: 'Li Lei' }, 'viewing'); // a heartbeat: no change
    presence.report(7, { name: 'han.mei', displayName: 'Han Mei' }, 'typing');
    expect(states(7)).to.deep.equal(['Li Lei:viewing', 'Han Mei:typing']);
    expect(events.map((e) => e.people.map((p) => p.state).join(','))).to.deep.equal(['viewing', 'viewing,viewing', 'viewing,typing']);
    expect(presence.list(8)).to.deep.equal([]);
  });

  it('turns typing back into viewing after a pause, and forgets a page whose reports stopped', () => {
    presence.report(7, { name: 'han.mei' }, 'typing');
    now += TYPING_TTL_MS + 1;
    presence.sweep();
    expect(states(7)).to.deep.equal(['han.mei:viewing']);
    now += VIEWING_TTL_MS;
    presence.sweep();
    expect(states(7)).to.deep.equal([]);
    expect(events.at(-1)).to.deep.equal({ type: 'ticket.presence', id: 7, people: [] });
  });

  it('removes a person who left at once', () => {
    presence.report(7, { name: 'li.lei' }, 'viewing');
    presence.report(7, { name: 'han.mei' }, 'viewing');
    const after = presence.report(7, { name: 'li.lei' }, 'left');
    expect(after.map((p) => p.name)).to.deep.equal(['han.mei']);
    expect(events.at(-1)!.people.map((p) => p.name)).to.deep.equal(['han.mei']);
  });
});
