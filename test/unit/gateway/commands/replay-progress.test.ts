import { expect } from 'chai';
import { progressPrinter } from '../../../../gateway/commands/replay.command.js';

function stderr(isTTY: boolean) {
  const out = { text: '' };
  return { out, stream: { isTTY, write: (s: string) => ((out.text += s), true) } as never };
}

describe('gateway replay progress', function () {
  it('writes one line at each further 10 % when stderr is a log or a pipe', function () {
    let now = 0;
    const err = stderr(false);
    const progress = progressPrinter(err.stream, () => now);
    for (let done = 500; done <= 100_000; done += 500) {
      now += 40;
      progress.update(done, 100_000);
    }
    progress.end();
    const lines = err.out.text.trimEnd().split('\n');
    expect(lines).to.have.length(10);
    expect(lines[0]).to.equal('replay: 10,000 of 100,000 tickets (10 %), 0.8 s');
    expect(lines[9]).to.equal('replay: 100,000 of 100,000 tickets (100 %), 8.0 s');
  });

  it('redraws one bar in place on a terminal, at most ten times a second, and ends the line', function () {
    let now = 0;
    const err = stderr(true);
    const progress = progressPrinter(err.stream, () => now);
    for (let done = 500; done <= 10_000; done += 500) {
      now += 20;
      progress.update(done, 10_000);
    }
    progress.end();
    const draws = err.out.text.split('\r').filter(Boolean);
    expect(draws.length).to.be.within(4, 6);
    expect(draws[0]).to.match(/^\[#{2}\.{28}\] 500 of 10,000 tickets \(5 %\), 0.0 s$/);
    expect(draws.at(-1)).to.equal(`[${'#'.repeat(30)}] 10,000 of 10,000 tickets (100 %), 0.4 s\n`);
  });

  it('shows an empty replay as done, on a terminal and in a log', function () {
    const tty = stderr(true);
    const quiet = progressPrinter(tty.stream);
    quiet.update(0, 0);
    quiet.end();
    expect(tty.out.text).to.match(/^\r\[#{30}\] 0 of 0 tickets \(100 %\)/);
    const log = stderr(false);
    const lines = progressPrinter(log.stream);
    lines.update(0, 0);
    expect(log.out.text).to.match(/^replay: 0 of 0 tickets \(100 %\)/);
  });
});
