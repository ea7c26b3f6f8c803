import { expect } from 'chai';
import { newSessionId, SessionSigner } from '../../../../adapters/webchat/session-token.js';

describe('web chat session tokens', function () {
  const signer = new SessionSigner('s'.repeat(48), 30 * 86_400_000);
  const session = { visitorId: newSessionId(), conversationId: newSessionId() };

  it('gives back the visitor and conversation it was issued for', function () {
    const token = signer.issue(session, 1_000_000);
    expect(signer.verify(token, 1_000_500)).to.deep.equal({ ...session, issuedAt: 1_000_000 });
  });

  it('refuses a token whose claims were changed, whose signature was changed, or that another secret signed', function () {
    const token = signer.issue(session);
    const [body, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const otherConversation = Buffer.from(JSON.stringify({ ...claims, c: newSessionId() })).toString('base64url');
    expect(signer.verify(`${otherConversation}.${mac}`)).to.equal(undefined);
    // The first character carries six bits of the MAC (the last one only padding bits and, 1 time in 4,096, was already "AA").
    expect(signer.verify(`${body}.${mac![0] === 'A' ? 'B' : 'A'}${mac!.slice(1)}`)).to.equal(undefined);
    expect(new SessionSigner('t'.repeat(48), 86_400_000).verify(token)).to.equal(undefined);
  });

  it('refuses expired, future-dated and malformed tokens', function () {
    const old = signer.issue(session, 0);
    expect(signer.verify(old, 31 * 86_400_000)).to.equal(undefined);
    expect(signer.verify(signer.issue(session, 10_000_000), 1_000)).to.equal(undefined);
    for (const bad of [undefined, 42, '', 'abc', 'a.b.c', '.', 'x'.repeat(2000)]) expect(signer.verify(bad), String(bad)).to.equal(undefined);
    const injected = Buffer.from(JSON.stringify({ v: '../../etc', c: '<script>', t: Date.now() })).toString('base64url');
    const forgedButSigned = `${injected}.${signer.issue(session).split('.')[1]}`;
    expect(signer.verify(forgedButSigned)).to.equal(undefined);
  });

  it('will not sign with a short secret', function () {
    expect(() => new SessionSigner('short', 1000)).to.throw(/32 characters/);
  });

  it('makes unguessable ids (128 bits) that never repeat', function () {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).to.equal(1000);
    for (const id of ids) expect(id).to.match(/^[A-Za-z0-9_-]{22}$/);
  });
});
