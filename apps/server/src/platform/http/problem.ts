import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, statusTitle, type ErrorCode, type FieldError } from '../errors.ts';

/** Sends an RFC 9457 problem with the code in the body and in X-Error-Code. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  detail: string,
  more: { errors?: readonly FieldError[] | undefined; extra?: Readonly<Record<string, unknown>> | undefined } = {},
): FastifyReply {
  return reply
    .code(status)
    .header('X-Error-Code', code)
    .type('application/problem+json')
    .send({
      ...more.extra,
      type: `urn:novapos:problem:${code}`,
      title: statusTitle(status),
      status,
      code,
      detail,
      instance: request.url.split('?')[0],
      request_id: request.id,
      ...(more.errors === undefined ? {} : { errors: more.errors }),
    });
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/items/0/qty` + the missing property → `items[0].qty`, the way a client names a field. */
function fieldOf(e: AjvError, context: string | undefined): string {
  const parts = (e.instancePath ?? '').split('/').filter((p) => p !== '');
  const missing = e.params?.missingProperty;
  const extra = e.params?.additionalProperty;
  if (typeof missing === 'string') parts.push(missing);
  if (typeof extra === 'string') parts.push(extra);
  const path = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return path === '' ? (context ?? 'body') : path;
}

function messageOf(e: AjvError): string {
  if (typeof e.params?.additionalProperty === 'string') return 'is not a known field';
  return e.message ?? 'is invalid';
}

const FRAMEWORK_ERRORS: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', detail: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'malformed_json', detail: 'The Content-Length is wrong' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', detail: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', detail: 'The body is not valid JSON' },
};

/**
 * The one error handler: expected failures become 4xx problems with their code; anything else is a 500 whose
 * details stay in the log, never in the response.
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers);
      return sendProblem(request, reply, error.status, error.code, error.message, {
        errors: error.errors,
        extra: error.extra,
      });
    }
    const validation = error.validation as AjvError[] | undefined;
    if (validation !== undefined) {
      const errors = validation.map((e) => ({ field: fieldOf(e, error.validationContext), message: messageOf(e) }));
      const first = errors[0];
      const detail = first === undefined ? 'The request is invalid' : `${first.field}: ${first.message}`;
      return sendProblem(request, reply, 400, 'validation_failed', detail, { errors });
    }
    const known = FRAMEWORK_ERRORS[error.code];
    if (known !== undefined) return sendProblem(request, reply, known.status, known.code, known.detail);
    if (error instanceof SyntaxError)
      return sendProblem(request, reply, 400, 'malformed_json', 'The body is not valid JSON');
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      request.log.info({ err: error }, 'client error from the framework');
      return sendProblem(request, reply, status, status === 404 ? 'not_found' : 'validation_failed', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      500,
      'internal_error',
      'Something went wrong on our side; the request id helps us find it',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}
