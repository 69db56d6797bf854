/**
 * An error the HTTP edge turns into a response: a stable machine-readable code, the status,
 * whether retrying can help, and optional details (for validation: every failing field path).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retriable = false,
    readonly details?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        retriable: this.retriable,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export interface ErrorBody {
  readonly error: { code: string; message: string; retriable: boolean; details?: unknown };
}
