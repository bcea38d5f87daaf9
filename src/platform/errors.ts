/**
 * Typed errors with stable codes. This file is the one place that maps a code to an HTTP status
 * and to a CLI exit code; routes and commands never pick statuses themselves.
 */
export const errorCodes = {
  BAD_REQUEST: { status: 400, exit: 2 },
  VALIDATION_FAILED: { status: 400, exit: 2 },
  CONFIG_INVALID: { status: 500, exit: 2 },
  UNAUTHENTICATED: { status: 401, exit: 1 },
  FORBIDDEN: { status: 403, exit: 1 },
  NOT_FOUND: { status: 404, exit: 2 },
  CONFLICT: { status: 409, exit: 1 },
  PAYLOAD_TOO_LARGE: { status: 413, exit: 2 },
  UNAVAILABLE: { status: 503, exit: 3 },
  CHECK_FAILED: { status: 422, exit: 1 },
  INTERNAL: { status: 500, exit: 1 },
} as const satisfies Record<string, { status: number; exit: number }>;

export type ErrorCode = keyof typeof errorCodes;

/** CLI exit codes: 0 ok, 1 check failed or denied, 2 usage/config/input error, 3 server unreachable. */
export const exitCodes = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export class RampartError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RampartError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get exitCode(): number {
    return errorCodes[this.code].exit;
  }
}

export function isRampartError(err: unknown): err is RampartError {
  return err instanceof RampartError;
}

/** The wire shape of every API error. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function toErrorBody(err: RampartError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}
