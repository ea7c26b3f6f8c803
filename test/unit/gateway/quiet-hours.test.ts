import { expect } from 'chai';
import { gatewaySchema } from '../../../config/gateway.schema.js';
import { CustomerUpdates } from '../../../gateway/customer-updates.js';

describe('quiet hours for progress messages', () => {
  const settings = gatewaySchema.parse({});
  const updates = new CustomerUpdates({ tickets: {} as never, outbox: {} as never, settings: () => settings });
  const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

  it('holds a message sent at 23:30 China time until 08:00 the next morning (the default 21:00–08:00)', () => {
    expect(new Date(updates.quietUntil(shanghai('2026-12-04T23:30:00'))!).toISOString()).to.equal('2026-12-05T00:00:00.000Z');
  });

  it('holds one sent at 06:15 until 08:00 the same day', () => {
    expect(updates.quietUntil(shanghai('2026-12-05T06:15:00'))).to.equal(shanghai('2026-12-05T08:00:00'));
  });

  it('sends at once during the day, and at the very end of quiet hours', () => {
    expect(updates.quietUntil(shanghai('2026-12-05T14:00:00'))).to.equal(undefined);
    expect(updates.quietUntil(shanghai('2026-12-05T08:00:00'))).to.equal(undefined);
    expect(updates.quietUntil(shanghai('2026-12-05T20:59:00'))).to.equal(undefined);
  });
});
