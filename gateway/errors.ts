/** One error base for everything the API reports: status, a stable code, and a message that says what to do. */
export class GatewayError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export class BadRequestError extends GatewayError {
  constructor(message: string, details?: unknown) {
    super(400, 'bad_request', message, details);
  }
}

export class UnauthorizedError extends GatewayError {
  constructor(message = 'missing or invalid bearer token: send "Authorization: Bearer <token>"') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends GatewayError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends GatewayError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class PayloadTooLargeError extends GatewayError {
  constructor(limit: string | number) {
    super(413, 'payload_too_large', `request body is larger than the ${limit} limit`);
  }
}

/** The database (or another part the request needs) cannot be reached; nothing was stored, try again. */
export class ServiceUnavailableError extends GatewayError {
  constructor(
    message = 'the service is temporarily unavailable; nothing was stored, please retry shortly',
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'unavailable', message);
  }
}

/** Too many attempts (sign-in lockout, a rate limit): `Retry-After` tells when to try again. */
export class TooManyRequestsError extends GatewayError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}
