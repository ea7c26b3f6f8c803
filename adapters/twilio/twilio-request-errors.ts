import type { ErrorRequestHandler } from 'express';
import type { TwilioLogger } from './twilio-common.js';

/**
 * What body-parser's errors (its `type` field) mean for whoever posted to a Twilio webhook.
 * Our own short texts: the parser's message, stack or the body it choked on never reach the answer.
 */
const BODY_ERRORS: Record<string, [status: number, text: string]> = {
  'entity.too.large': [413, 'Request body too large'],
  'parameters.too.many': [413, 'Too many form fields'],
  'encoding.unsupported': [415, 'Unsupported Content-Encoding'],
  'charset.unsupported': [415, 'Unsupported charset: send UTF-8'],
  'entity.parse.failed': [400, 'Malformed form body'],
  'querystring.parse.rangeError': [400, 'Malformed form body'],
  'request.size.invalid': [400, 'Content-Length does not match the body'],
  'request.aborted': [400, 'Request aborted'],
};

/**
 * The Twilio router's last handler: a body Twilio could not have sent (bogus Content-Encoding,
 * a gzip body that does not inflate, too many fields) is the sender's mistake, a 4xx in plain
 * text, whatever error handler the app mounting the router has. Anything else is our fault: a
 * 500 that says nothing about why (the log has the error).
 */
export function twilioRequestErrors(log: TwilioLogger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = typeof err?.type === 'string' ? BODY_ERRORS[err.type] : undefined;
    // zlib errors of a corrupt compressed body carry status 400 but no type.
    const status: unknown = err?.status ?? err?.statusCode;
    const [code, text] = known ?? (typeof status === 'number' && status >= 400 && status < 500 ? [status, 'Malformed request body'] : [500, 'Internal error']);
    if (code >= 500) log.error({ err, path: req.path }, 'a Twilio webhook failed');
    else log.warn({ path: req.path, type: err?.type, status: code }, 'refused a malformed Twilio webhook body');
    res.status(code).type('text/plain').send(text);
  };
}
