import { expect } from 'chai';
import { pendingSlaDueAt } from '../../../storage/ticket-sla-due.js';

describe('pending SLA due time (the inbox sort key)', function () {
  const clock = { firstResponseDueAt: 1_000, resolutionDueAt: 9_000 };

  it('is the first response while nobody has answered, then the resolution', function () {
    expect(pendingSlaDueAt(clock)).to.equal(1_000);
    expect(pendingSlaDueAt({ ...clock, firstRespondedAt: 500 })).to.equal(9_000);
    // A resolution due before the first response (odd policy) still comes first.
    expect(pendingSlaDueAt({ firstResponseDueAt: 5_000, resolutionDueAt: 2_000 })).to.equal(2_000);
  });

  it('is null when nothing is pending: resolved, paused, or no clock at all', function () {
    expect(pendingSlaDueAt({ ...clock, resolvedAt: 800 })).to.equal(null);
    expect(pendingSlaDueAt({ ...clock, pausedAt: 700 })).to.equal(null);
    expect(pendingSlaDueAt(null)).to.equal(null);
    expect(pendingSlaDueAt({ firstResponseDueAt: null, resolutionDueAt: null })).to.equal(null);
  });
});
