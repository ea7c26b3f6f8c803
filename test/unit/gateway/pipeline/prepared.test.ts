import { expect } from 'chai';
import { Precomputed } from '../../../../gateway/pipeline/prepared.js';

describe('results computed ahead for the pipeline (Precomputed)', function () {
  function counting(max: number) {
    const computed: string[] = [];
    const ahead = new Precomputed<string, string>(
      (text) => (computed.push(text), text.toUpperCase()),
      (text) => text,
      max,
    );
    return { ahead, computed };
  }

  it('hands a prepared result to its one consumer and computes it again for the next', function () {
    const { ahead, computed } = counting(10);
    ahead.prepare('leak');
    expect(ahead.take('leak')).to.equal('LEAK');
    expect(ahead.take('leak')).to.equal('LEAK');
    expect(computed).to.deep.equal(['leak', 'leak']);
  });

  it('keeps preparing once results nobody took have filled it, dropping the oldest of them', function () {
    const { ahead, computed } = counting(2);
    // Two results prepared for messages that joined a ticket and never asked for them.
    ahead.prepare('follow-up 1');
    ahead.prepare('follow-up 2');
    ahead.prepare('new ticket');
    computed.length = 0;
    expect(ahead.take('new ticket')).to.equal('NEW TICKET');
    expect(computed, 'taken as prepared, not computed again').to.deep.equal([]);
    expect(ahead.peek('follow-up 1')).to.equal(undefined);
    expect(ahead.peek('follow-up 2')).to.equal('FOLLOW-UP 2');
  });
});
