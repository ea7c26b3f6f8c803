import { z } from 'zod';
import type { InboxPosition, InboxSort } from '../../storage/inbox.store.js';
import { BadRequestError } from '../errors.js';

/**
 * The inbox's `nextCursor`: where a page ended (its sort key and id), as opaque base64url so that
 * clients pass it back rather than build one. Decoding checks it fully: anything that is not a
 * cursor this API wrote is a 400, never a query.
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const encoded = z.union([z.tuple([z.literal('d'), epochMs.nullable(), id]), z.tuple([z.literal('u'), epochMs, id])]);

const MALFORMED = 'cursor must be the nextCursor of a previous page';

export function encodeCursor(p: InboxPosition): string {
  const tuple = p.sort === 'sla_due' ? ['d', p.dueAt, p.id] : ['u', p.updatedAt, p.id];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

export function decodeCursor(raw: string, sort: InboxSort): InboxPosition {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) throw new BadRequestError(MALFORMED);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError(MALFORMED);
  }
  const r = encoded.safeParse(parsed);
  if (!r.success) throw new BadRequestError(MALFORMED);
  const [kind, key, at] = r.data;
  const position: InboxPosition = kind === 'd' ? { sort: 'sla_due', dueAt: key, id: at } : { sort: 'updated', updatedAt: key as number, id: at };
  if (position.sort !== sort) throw new BadRequestError(`this cursor belongs to sort=${position.sort}, not sort=${sort}; start again without a cursor`);
  return position;
}
