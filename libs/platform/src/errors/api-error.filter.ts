import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import type { RouteTable } from '../http/route-table';
import { ApiError, type ErrorBody } from './api-error';

const METHOD_NOT_ALLOWED = 'BLW_METHOD_NOT_ALLOWED';

/** Framework errors (Fastify's body parser, Nest's 404) mapped onto the same error shape. */
const FRAMEWORK_CODES: Record<number, string> = {
  400: 'BLW_BAD_REQUEST',
  404: 'BLW_NOT_FOUND',
  405: METHOD_NOT_ALLOWED,
  413: 'BLW_PAYLOAD_TOO_LARGE',
  415: 'BLW_UNSUPPORTED_MEDIA_TYPE',
};

/** Fastify's own error codes that deserve a more precise code than their status. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BLW_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BLW_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BLW_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'BLW_UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one place where errors become HTTP responses. Unknown errors are 500 and logged, never
 * leaked. Registered globally for every app by runApp; errors of consumer handlers pass through.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  /** With the app's routes, a known path asked with another method is 405 + Allow, not 404. */
  constructor(private readonly routes?: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Consumer handlers (RPC context) must fail with their own error, code and retriable flag
    // intact: the messaging pipeline classifies it. Nest's default RPC filter would replace it
    // with { status: 'error', message: 'Internal server error' }.
    if (host.getType() !== 'http') return throwError(() => exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = exception instanceof ApiError ? exception : this.methodNotAllowed(exception, reply.request);
    if (error) {
      void reply.status(error.status).headers(error.headers).send(error.body());
      return;
    }
    const status = statusOf(exception);
    if (status >= 400 && status < 500) {
      const message = exception instanceof Error ? exception.message : 'bad request';
      const body: ErrorBody = {
        error: {
          code: FASTIFY_CODES[fastifyCode(exception)] ?? FRAMEWORK_CODES[status] ?? `BLW_HTTP_${status}`,
          message,
          retriable: false,
        },
      };
      void reply.status(status).send(body);
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    void reply.status(500).send({ error: { code: 'BLW_INTERNAL', message: 'internal error', retriable: true } });
  }

  /**
   * A client error raised before any route matched (Nest's not-found handler, or Fastify refusing
   * the body of a request it would not have routed anyway, such as a QUERY without Content-Type)
   * for a path the app serves under other methods: 405 with Allow (RFC 9110 §15.5.6), not 404.
   */
  private methodNotAllowed(exception: unknown, request: FastifyRequest): ApiError | undefined {
    const status = statusOf(exception);
    if (!this.routes || status < 400 || status >= 500 || request.routeOptions?.url) return undefined;
    const allow = this.routes.allowed(request.url).join(', ');
    if (!allow) return undefined;
    return new ApiError(405, METHOD_NOT_ALLOWED, `${request.method} is not served here; allowed: ${allow}`, false, undefined, {
      allow,
    });
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  const s = (exception as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : 500;
}

/** Nest's Fastify adapter wraps Fastify's errors in an HttpException with the original as `cause`. */
function fastifyCode(exception: unknown): string {
  const e = exception as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : '';
}
