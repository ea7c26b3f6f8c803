import { AttachmentFiles } from '../../storage/attachment-files.js';

/** An attachment that travelled inline (small e-mail parts without an attachment store). */
export const DATA_URI = /^data:[^;,]*;base64,(.*)$/s;

/** Where the console downloads an attachment (attachments.routes.ts); only attachments the gateway holds have one. */
export function attachmentUrl(ticketId: number, messageId: number, index: number, ref: string): string | undefined {
  if (!AttachmentFiles.isStoredRef(ref) && !DATA_URI.test(ref)) return undefined;
  return `/api/v1/tickets/${ticketId}/messages/${messageId}/attachments/${index}`;
}
