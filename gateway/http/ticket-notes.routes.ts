import { Router } from 'express';
import { z } from 'zod';
import { NOTE_MAX_CHARS, type TicketNotes } from '../ticket-notes.js';
import type { Authenticator } from './auth.js';
import { internalNoteView } from './internal-note-view.js';
import { parseInput } from './parse-input.js';

export const noteBody = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'text is required')
      .max(NOTE_MAX_CHARS, `a note is at most ${NOTE_MAX_CHARS.toLocaleString('en')} characters`),
  })
  .strict();

/** POST /api/v1/tickets/:id/notes: an internal note on the ticket's timeline, never sent to the customer. */
export function ticketNotesRoutes(deps: { auth: Authenticator; notes: TicketNotes }): Router {
  const router = Router();

  router.post('/api/v1/tickets/:id/notes', deps.auth.require('agent', 'lead'), async (req, res, next) => {
    try {
      const body = parseInput(noteBody, req.body, 'note');
      const note = await deps.notes.add(req.params.id as string, body.text, `agent:${req.principal!.name}`);
      res.status(201).json(internalNoteView(note));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
