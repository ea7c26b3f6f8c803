import { Router } from 'express';
import { z } from 'zod';
import { AttachmentFiles } from '../../storage/attachment-files.js';
import type { Db } from '../../storage/db.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import { NotFoundError } from '../errors.js';
import type { TicketService } from '../ticket-service.js';
import { DATA_URI } from './attachment-url.js';
import type { Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

/** Shown in the page itself (an <img> in the timeline) rather than only downloaded: raster images the bytes proved to be. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** `inline=1`: show a JPEG, PNG, GIF or WebP in the page instead of downloading it. */
export const attachmentQuery = z.object({ inline: z.enum(['1']).optional().catch(undefined) });

/**
 * GET /api/v1/tickets/:id/messages/:messageId/attachments/:index: the bytes of an inbound
 * attachment, for agents and leads. Always as a download (`?inline=1` shows a proven raster
 * image in the page), never sniffed by the browser, never able to run script.
 */
export function attachmentsRoutes(deps: { auth: Authenticator; db: Db; tickets: TicketStore; service: TicketService; files: AttachmentFiles }): Router {
  const router = Router();

  router.get('/api/v1/tickets/:id/messages/:messageId/attachments/:index', deps.auth.require('agent', 'lead'), async (req, res, next) => {
    try {
      const ticket = await deps.service.find(req.params.id as string);
      const messageId = Number(req.params.messageId);
      const index = Number(req.params.index);
      const message = Number.isSafeInteger(messageId) ? (await deps.tickets.messages(deps.db, ticket.id)).find((m) => m.id === messageId) : undefined;
      if (!message) throw new NotFoundError(`ticket ${ticket.number} has no message ${req.params.messageId}`);
      const attachment =
        Number.isSafeInteger(index) && index >= 0 ? (message.attachments as Array<{ name?: string; contentType?: string; ref?: string }>)[index] : undefined;
      if (!attachment || typeof attachment.ref !== 'string') throw new NotFoundError(`message ${messageId} has no attachment ${req.params.index}`);
      const name = typeof attachment.name === 'string' && attachment.name ? attachment.name : `attachment-${index + 1}`;
      const stored = AttachmentFiles.isStoredRef(attachment.ref);
      const inline = DATA_URI.exec(attachment.ref);
      if (!stored && !inline) {
        throw new NotFoundError(`"${name}" was not kept by the gateway (the channel gave only a link to it at the provider, or it was over the size limit)`);
      }
      const file = stored ? await deps.files.open(attachment.ref) : undefined;
      if (stored && !file) throw new NotFoundError(`the file of "${name}" is missing from the attachment store (ATTACHMENT_DIR)`);
      // Only a stored file's type was read from its bytes; an inline part's type is the sender's word.
      const contentType = stored && attachment.contentType ? attachment.contentType : 'application/octet-stream';
      if (parseInput(attachmentQuery, req.query, 'query').inline === '1' && INLINE_TYPES.has(contentType)) res.setHeader('Content-Disposition', 'inline');
      else res.attachment(name);
      // After res.attachment, which would set a type from the file name's extension.
      res.setHeader('Content-Type', contentType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cache-Control', 'private, max-age=3600');
      if (!file) {
        res.send(Buffer.from(inline![1]!, 'base64'));
        return;
      }
      res.setHeader('Content-Length', String(file.size));
      file.stream.on('error', next);
      file.stream.pipe(res);
    } catch (err) {
      next(err);
    }
  });

  return router;
}
