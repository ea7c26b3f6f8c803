import type { Knex } from 'knex';
import type { InboundMessage } from '../../adapters/types.js';
import { ChunkReadAhead, identityKey, type IdentityOwner } from '../../storage/chunk-read-ahead.js';
import type { CustomerStore, Identity } from '../../storage/customer.store.js';
import type { Db, DbRow } from '../../storage/db.js';
import type { SimilarityStore } from '../../storage/similarity.store.js';
import { identityOf } from '../identity.js';

/**
 * Reads, in two queries for a whole chunk, what the identify and dedupe stages would read
 * once per message: the owners of the senders' identities and those customers' open tickets
 * since `since` (the dedupe window's start). Registered on `trx` until `end` is called.
 */
export async function readAheadChunk(
  trx: Knex.Transaction,
  messages: readonly InboundMessage[],
  since: number,
  stores: { customers: CustomerStore; similarity: SimilarityStore },
): Promise<ChunkReadAhead> {
  const owners = await stores.customers.identityOwners(trx, distinct(senders(messages)));
  // A merged owner is followed by the identify stage's own queries; its tickets are not read ahead.
  const customers = [
    ...new Set(
      owners
        .map(([, o]) => o)
        .filter((o): o is IdentityOwner => o !== null && o.mergedInto === null)
        .map((o) => o.customerId),
    ),
  ];
  const openTickets = new Map<number, DbRow[]>(customers.map((c) => [c, []]));
  for (const row of await stores.similarity.openTicketRows(trx, customers, since)) openTickets.get(Number(row.customer_id))?.push(row);
  return ChunkReadAhead.register(trx, { since, owners, openTickets });
}

/**
 * Which messages of a batch will most likely join a ticket rather than open one: the sender wrote
 * earlier in the batch, or their customer has an open (or resolved) ticket with a message since
 * `since`. Two reads outside any transaction, for work done ahead (gateway/pipeline/prepared.ts):
 * a wrong guess costs a computation made on the spot or one made for nothing, never a wrong result.
 */
export async function likelyToJoin(
  db: Db,
  messages: readonly InboundMessage[],
  since: number,
  stores: { customers: CustomerStore; similarity: SimilarityStore },
): Promise<boolean[]> {
  const keys = senders(messages);
  const customerOf = new Map<string, number>();
  for (const [identity, owner] of await stores.customers.identityOwners(db, distinct(keys))) {
    if (owner) customerOf.set(identityKey(identity), owner.mergedInto ?? owner.customerId);
  }
  const withOpen = await stores.similarity.customersWithOpenTickets(db, [...new Set(customerOf.values())], since);
  const seen = new Set<string>();
  return keys.map((identity) => {
    if (!identity) return false;
    const key = identityKey(identity);
    const earlier = seen.has(key);
    seen.add(key);
    const customer = customerOf.get(key);
    return earlier || (customer !== undefined && withOpen.has(customer));
  });
}

/** Each message's sender identity; undefined for a payload the identify stage cannot read (it fails there, with its own error). */
function senders(messages: readonly InboundMessage[]): Array<Identity | undefined> {
  return messages.map((m) => (typeof m?.from?.address === 'string' ? identityOf(m.channel, m.from.address) : undefined));
}

/** The identities once each. */
function distinct(identities: ReadonlyArray<Identity | undefined>): Identity[] {
  const byKey = new Map<string, Identity>();
  for (const identity of identities) if (identity) byKey.set(identityKey(identity), identity);
  return [...byKey.values()];
}
