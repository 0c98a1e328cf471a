import type { Socket } from 'node:net';
import { AmountTooLargeError } from '@novapos/domain';
import type {
  ConnectionError,
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { AppError, statusTitle, type ErrorCode, type FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { TEXT_MESSAGES } from './schemas.ts';

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
  // The text rule says what it refuses in words, not as its pattern.
  const pattern = e.params?.pattern;
  if (typeof pattern === 'string' && TEXT_MESSAGES[pattern] !== undefined) return TEXT_MESSAGES[pattern];
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
    // Every input inside its limits, their total past what is computed exactly: the client's to fix, not a bug.
    if (error instanceof AmountTooLargeError) {
      request.log.info({ what: error.what }, 'amount too large');
      return sendProblem(
        request,
        reply,
        422,
        'amount_too_large',
        `The ${error.what} is too large: NovaPOS computes amounts up to ${Number.MAX_SAFE_INTEGER} minor units. ` +
          'Lower the quantities or split the sale.',
      );
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

/**
 * Errors the router meets before any route runs (Fastify's `frameworkErrors` option), as problems like any other:
 * a path that is not valid percent-encoding (400), a path parameter longer than `maxParamLength` (414). No hook
 * has run, so the request id header is set here.
 */
export function onFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('X-Request-Id', request.id);
  request.log.info({ err: error }, 'request refused by the router');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendProblem(request, reply, 414, 'uri_too_long', 'A path parameter is too long');
  } else if (error.code === 'FST_ERR_BAD_URL') {
    void sendProblem(request, reply, 400, 'malformed_request', 'The URL is not valid percent-encoded UTF-8');
  } else {
    request.log.error({ err: error }, 'unhandled framework error');
    void sendProblem(
      request,
      reply,
      500,
      'internal_error',
      'Something went wrong on our side; the request id helps us find it',
    );
  }
}

/** What Node's HTTP parser refuses, by its error code; anything else it cannot parse is 400 `malformed_request`. */
const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    detail: 'The request line and headers exceed the 16 KiB the server reads',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', detail: 'The request did not arrive in time' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    code: 'payload_too_large',
    detail: 'The chunk extensions of the body are too large',
  },
};

/**
 * What Node's HTTP parser cannot read (Fastify's `clientErrorHandler` option): too large headers (431), a request
 * line too long to fit them (414), a timeout (408), a malformed message (400). No request exists yet, so the
 * problem is written on the socket by hand, with a new request id that the log line carries too; then the
 * connection is closed, as Node does.
 */
export function onClientError(this: { log: FastifyBaseLogger }, err: ConnectionError, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let known = CLIENT_ERRORS[err.code] ?? {
    status: 400,
    code: 'malformed_request' as const,
    detail: 'The request is not a valid HTTP/1.1 message',
  };
  // The parser stopped before the end of the request line: it is the URL that is too long, not the headers. (Node
  // hands the bytes of the chunk being parsed as a Buffer, whatever Fastify's type says.)
  const raw: unknown = err.rawPacket;
  if (
    err.code === 'HPE_HEADER_OVERFLOW' &&
    Buffer.isBuffer(raw) &&
    !raw.subarray(0, err.bytesParsed).includes('\r\n')
  ) {
    known = { status: 414, code: 'uri_too_long', detail: 'The URL exceeds the 16 KiB the server reads' };
  }
  const requestId = newId();
  this.log.info({ err, request_id: requestId, status: known.status }, 'request refused by the HTTP parser');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({
    type: `urn:novapos:problem:${known.code}`,
    title: statusTitle(known.status),
    status: known.status,
    code: known.code,
    detail: known.detail,
    request_id: requestId,
  });
  socket.end(
    `HTTP/1.1 ${known.status} ${statusTitle(known.status)}\r\n` +
      'Content-Type: application/problem+json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Error-Code: ${known.code}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
