import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './dovecot.js';

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 collecting what it receives, parsed by mailparser:
 * where the e-mail adapter's replies land in tests. With `login`, it checks AUTH as a provider would.
 */
export class SmtpListener {
  readonly received: Array<{ envelopeTo: string[]; raw: Buffer; parsed: ParsedMail }> = [];
  port = 0;
  private server?: SMTPServer;

  constructor(private readonly login?: { user: string; password: string }) {}

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = new SMTPServer({
      authOptional: !this.login,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (!this.login || (auth.username === this.login.user && auth.password === this.login.password)) return cb(null, { user: auth.username });
        cb(new Error('Invalid username or password'));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          this.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** The first mail received (or still to come) that matches. */
  async next(match: (mail: ParsedMail) => boolean, what: string, timeoutMs = 15_000): Promise<{ envelopeTo: string[]; raw: Buffer; parsed: ParsedMail }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((r) => match(r.parsed));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail for ${what} in ${timeoutMs} ms; got: ${this.received.map((r) => r.parsed.subject).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
