/**
 * The whole gateway with the Twilio channel configured as in production (its own
 * `/webhooks/twilio`, the real journal sink), and Twilio's REST API behind nock.
 */
import nock from 'nock';
import type { TestDatabaseKind } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';
import { ACCOUNT_SID, testEnv } from './twilio-harness.js';

const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const CALLS = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;

/**
 * No request leaves the machine: connections only to 127.0.0.1 (the gateway, PostgreSQL),
 * and every Messages.create (`sent`) and Calls.create (`calls`) the outbox makes is answered
 * by nock as queued, its form body kept.
 */
export function stubTwilioRest(): { sent: Array<Record<string, string>>; calls: Array<Record<string, string>>; restore(): void } {
  const sent: Array<Record<string, string>> = [];
  const calls: Array<Record<string, string>> = [];
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock('https://api.twilio.com')
    .persist()
    .post(MESSAGES)
    .reply((_uri, body) => {
      sent.push(Object.fromEntries(new URLSearchParams(String(body))));
      return [201, { sid: `SM${String(sent.length).padStart(32, '0')}`, status: 'queued' }];
    })
    .post(CALLS)
    .reply((_uri, body) => {
      calls.push(Object.fromEntries(new URLSearchParams(String(body))));
      return [201, { sid: `CA${String(calls.length).padStart(32, 'f')}`, status: 'queued' }];
    });
  return {
    sent,
    calls,
    restore() {
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** Boots the gateway on `db` with TWILIO_* set, so it mounts the Twilio router itself. */
export function startTwilioGateway(db: TestDatabaseKind): Promise<TestGateway> {
  return startTestGateway({ db, env: testEnv() as Record<string, string> });
}
