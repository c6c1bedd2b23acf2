/**
 * The error catalogue. Every error the API returns is one of these codes, with
 * its HTTP status attached here and nowhere else; docs/errors.md documents each
 * one and test/core/errors.test.ts keeps the two in step.
 */
export const ERRORS = {
  bad_request: { status: 400, message: 'The request is malformed.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  unauthorized: { status: 401, message: 'Missing or invalid authentication token.' },
  invalid_signature: { status: 401, message: 'The webhook signature is missing or invalid.' },
  forbidden: { status: 403, message: 'This token may not do that.' },
  not_found: { status: 404, message: 'Entity not found.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  conflict: { status: 409, message: 'The entity already exists.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The content type is not supported.' },
  validation: { status: 422, message: 'The request is invalid.' },
  schema_mismatch: { status: 422, message: 'The payload does not match the event type schema.' },
  invalid_filter: { status: 422, message: 'The filter expression does not compile.' },
  blocked_target: { status: 422, message: 'The URL points at an address Hookway will not deliver to.' },
  rate_limited: { status: 429, message: 'Too many requests.' },
  header_too_large: { status: 431, message: 'Request headers are too large.' },
  internal: { status: 500, message: 'Internal error.' },
  unavailable: { status: 503, message: 'The service is not ready.' },
  database_unavailable: { status: 503, message: 'The database is unavailable; nothing was saved. Retry later.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class HookwayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(detail ?? ERRORS[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HookwayError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.headers = options?.headers;
  }

  toJSON(): { code: ErrorCode; detail: string } {
    return { code: this.code, detail: this.message };
  }
}

export const notFound = (what: string): HookwayError => new HookwayError('not_found', `${what} not found.`);
export const invalid = (detail: string): HookwayError => new HookwayError('validation', detail);

/** graphile-worker's coerceError: anything thrown becomes an Error that keeps its cause. */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : 'Non-error thrown', { cause: err });
}
