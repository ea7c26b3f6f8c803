import { Router } from 'express';
import type { InboundSink } from '../../adapters/types.js';
import type { JournalStore } from '../../storage/journal.store.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import type { Db } from '../../storage/db.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { AttachmentFiles } from '../../storage/attachment-files.js';
import { parseInboundMessage } from '../intake/inbound-message.schema.js';
import { recordId } from './input-guards.js';
import type { Authenticator } from './auth.js';
import { systemClock, type Clock } from '../../contracts/clock.js';

/**
 * POST /api/v1/messages: trusted integrations (a call centre, an app backend)
 * record a customer's message. Answers 202 only after the journal commit.
 */
export function messagesRoutes(deps: { auth: Authenticator; sink: InboundSink; journal: JournalStore; tickets: TicketStore; db: Db; clock?: Clock }): Router {
  const router = Router();

  router.post('/api/v1/messages', deps.auth.require('integration'), async (req, res, next) => {
    try {
      if (!req.is('application/json')) throw new BadRequestError('send the message as JSON with Content-Type: application/json');
      const parsed = parseInboundMessage(req.body, new Date((deps.clock ?? systemClock).now()));
      if (!parsed.ok) throw new BadRequestError(`invalid message: ${parsed.problems.join('; ')}`, parsed.problems);
      // Such refs point into the gateway's own attachment files: only its channels may set them.
      const claimed = parsed.message.attachments.findIndex((a) => AttachmentFiles.isStoredRef(a.ref));
      if (claimed >= 0) {
        const problem = `attachments.${claimed}.ref: "attachment:sha256:…" refs are given by the gateway's attachment store; send a URL or a data: URI`;
        throw new BadRequestError(`invalid message: ${problem}`, [problem]);
      }
      const { id, duplicate } = await deps.sink(parsed.message);
      res.status(202).json({ id: String(id), duplicate });
    } catch (err) {
      next(err);
    }
  });

  // Where did my message go? Journal status and, once processed, the ticket.
  router.get('/api/v1/messages/:id', deps.auth.require('integration', 'lead', 'agent'), async (req, res, next) => {
    try {
      const entry = await deps.journal.get(recordId(req.params.id, 'message'));
      if (!entry) throw new NotFoundError(`message ${req.params.id} is not in the journal`);
      const ticket = entry.ticketId != null ? await deps.tickets.get(deps.db, entry.ticketId) : undefined;
      res.json({
        id: String(entry.id),
        channel: entry.channel,
        externalId: entry.externalId,
        status: entry.status,
        // The stored error may hold SQL or driver text: operators read it in the log, callers get what it means.
        error: entry.status === 'failed' ? 'processing failed repeatedly; the message is kept in the journal and an operator can retry it' : undefined,
        ticket: ticket ? { id: ticket.id, number: ticket.number } : null,
      });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
