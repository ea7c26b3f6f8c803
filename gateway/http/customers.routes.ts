import { Router } from 'express';
import { z } from 'zod';
import type { CustomerStore } from '../../storage/customer.store.js';
import type { Db } from '../../storage/db.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import { mergeCustomers, unmergeCustomers } from '../customer-merge.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { Authenticator } from './auth.js';
import { recordId } from './input-guards.js';
import { ticketSummary } from './serialize.js';

export const mergeBody = z
  .object({ customerIds: z.tuple([z.number().int().positive(), z.number().int().positive()]), reason: z.string().trim().min(3).max(500) })
  .strict();

/** Customers with their identities, tickets and merges; agents link and unlink customers explicitly. */
export function customersRoutes(deps: { auth: Authenticator; db: Db; customers: CustomerStore; tickets: TicketStore }): Router {
  const router = Router();
  const readers = deps.auth.require('agent', 'lead', 'finance');
  const writers = deps.auth.require('agent', 'lead');

  router.get('/api/v1/customers/:id', readers, async (req, res, next) => {
    try {
      const requested = recordId(req.params.id, 'customer');
      const id = await deps.customers.resolveMerged(deps.db, requested);
      const customer = await deps.customers.get(deps.db, id);
      if (!customer) throw new NotFoundError(`customer ${req.params.id} does not exist`);
      const tickets = await deps.tickets.list(deps.db, { customerId: id, limit: 100 });
      const merges = await deps.customers.merges(deps.db, id);
      // A customer belongs to no queue: the role alone decides what is masked (each ticket by its own queue).
      const view = deps.auth.viewOf(req.principal!);
      const mask = view.on();
      res.json({
        ...customer,
        identities: customer.identities.map((i) => mask.identity(i)),
        ...(requested !== id ? { mergedFrom: requested } : {}),
        tickets: tickets.map((t) => ticketSummary(t, view.on(t.queue))),
        merges: merges.map((m) => ({
          ...m,
          // The pipeline's reasons quote the evidence ("e-mail address … given in the message").
          reason: mask.words(m.reason),
          createdAt: new Date(m.createdAt).toISOString(),
          undoneAt: m.undoneAt && new Date(m.undoneAt).toISOString(),
        })),
        privacy: { contactsMasked: !mask.full, mayReveal: view.mayReveal && !mask.full },
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/customers/merge', writers, async (req, res, next) => {
    try {
      const body = mergeBody.safeParse(req.body);
      if (!body.success) throw new BadRequestError('send {"customerIds": [a, b], "reason": "why they are the same person"}');
      const [a, b] = await Promise.all(body.data.customerIds.map((id) => deps.customers.resolveMerged(deps.db, id)));
      if (!(await deps.customers.get(deps.db, a!)) || !(await deps.customers.get(deps.db, b!))) throw new NotFoundError('both customers must exist');
      if (a === b) throw new ConflictError('these customers are already one');
      const result = await deps.db.transaction((trx) => mergeCustomers(trx, a!, b!, `agent:${req.principal!.name}`, body.data.reason, Date.now()));
      res.status(201).json({ mergeId: result.mergeId, customerId: result.targetId });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/customers/merges/:id/undo', writers, async (req, res, next) => {
    try {
      const undone = await deps.db.transaction((trx) => unmergeCustomers(trx, recordId(req.params.id, 'merge'), `agent:${req.principal!.name}`, Date.now()));
      if (!undone) throw new NotFoundError(`merge ${req.params.id} does not exist or was already undone`);
      res.json({
        mergeId: recordId(req.params.id, 'merge'),
        restoredCustomerId: undone.sourceId,
        fromCustomerId: undone.targetId,
        ticketsMovedBack: undone.ticketIds.length,
      });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
