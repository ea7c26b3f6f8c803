import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { BadRequestError, GatewayError, NotFoundError, PayloadTooLargeError } from '../errors.js';

/** Unknown routes get the same JSON error shape as everything else. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path}`));
};

/** The one place errors become HTTP responses: `{ error: { code, message } }`. */
export function errorHandler(log: Logger, bodyLimit: string | number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let error: GatewayError;
    if (err instanceof GatewayError) error = err;
    else if (err?.type === 'entity.too.large') error = new PayloadTooLargeError(bodyLimit);
    else if (err?.type === 'entity.parse.failed') error = new BadRequestError(`malformed JSON body: ${err.message}`);
    else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') error = new GatewayError(415, 'unsupported_media_type', err.message);
    else error = new GatewayError(500, 'internal', 'internal error; the request was not completed');

    if (error.statusCode >= 500) log.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(error.statusCode).json(error.toJSON());
  };
}
