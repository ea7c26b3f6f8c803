import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger, maskPii } from '../../../gateway/logger.js';

describe('log masking', function () {
  it('masks e-mail addresses and phone numbers in text', function () {
    expect(maskPii('from wang.fang@example.com')).to.equal('from w***@example.com');
    expect(maskPii('SMS from +8613800138000 about order 2024')).to.equal('SMS from +86****8000 about order 2024');
    expect(maskPii('call 13912345678 now')).to.not.include('13912345678');
  });

  it('masks contact details in every field and in the message of a JSON log line', function () {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger('info', sink as never);
    log.info({ from: { address: '+14155550123' }, to: 'agent@example.org' }, 'message from li.lei@example.cn');
    const line = JSON.parse(lines[0]!);
    expect(JSON.stringify(line)).to.not.match(/14155550123|agent@example\.org|li\.lei@/);
    expect(line.from.address).to.equal('+14****0123');
    expect(line.msg).to.equal('message from l***@example.cn');
  });
});
