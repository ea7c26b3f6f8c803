import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../../storage/db.js';
import { BadRequestError, GatewayError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, TooManyRequestsError } from '../errors.js';

/** Unknown routes get the same JSON error shape as everything else. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path}`));
};

/** The one place errors become HTTP responses: `{ error: { code, message } }`. */
export function errorHandler(log: Logger, bodyLimit: string | number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toGatewayError(err, bodyLimit);
    if (error instanceof ServiceUnavailableError)
      log.warn({ err: { message: err?.message, code: err?.code }, method: req.method, path: req.path }, 'database unavailable; answered 503');
    else if (error.statusCode >= 500) log.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (error instanceof ServiceUnavailableError || error instanceof TooManyRequestsError) res.set('Retry-After', String(error.retryAfterSeconds));
    res.status(error.statusCode).json(error.toJSON());
  };
}

/**
 * What the client is told. Only our own errors and the HTTP layer's 4xx (body parser, router)
 * keep their message; anything else is a 500 whose message never carries SQL, driver or stack text.
 */
function toGatewayError(thrown: unknown, bodyLimit: string | number): GatewayError {
  if (thrown instanceof GatewayError) return thrown;
  // Whatever was thrown, read as the fields express, its body parser and http-errors set.
  const err = thrown as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown } | null | undefined;
  switch (err?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(bodyLimit);
    case 'entity.parse.failed':
      return new BadRequestError('malformed JSON body: send one valid JSON document');
    case 'encoding.unsupported':
      return new GatewayError(415, 'unsupported_media_type', 'unsupported Content-Encoding: send the body as identity, gzip, deflate or br');
    case 'charset.unsupported':
      return new GatewayError(415, 'unsupported_media_type', 'unsupported charset: send the body as UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new BadRequestError('the request body was incomplete or inconsistent with its headers');
  }
  if (err instanceof URIError) return new BadRequestError('malformed percent-encoding in the URL');
  if (isDatabaseUnavailable(err)) return new ServiceUnavailableError();
  // http-errors from express and its parsers (malformed path escapes, bad encodings, …) carry their 4xx status.
  const status = Number(err?.status ?? err?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    return new GatewayError(
      status,
      status === 415 ? 'unsupported_media_type' : status === 413 ? 'payload_too_large' : 'bad_request',
      err?.expose && typeof err.message === 'string' ? err.message.slice(0, 200) : 'the request could not be read',
    );
  }
  return new GatewayError(500, 'internal', 'internal error; the request was not completed');
}
