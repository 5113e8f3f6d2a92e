import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, InkanError, type ErrorCode } from '../core/index.js';

/** The problem document (RFC 9457) with Inkan's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  instance?: string;
  [extra: string]: unknown;
}

/** RFC 9457 §3.1.1: a URI naming the problem type; ours are URNs named after the code. */
export function problemOf(e: InkanError, instance?: string): Problem {
  return {
    type: `urn:inkan:problem:${e.code.toLowerCase().replaceAll('_', '-')}`,
    title: ERRORS[e.code].en,
    status: e.status,
    code: e.code,
    ...(instance === undefined ? {} : { instance }),
    ...e.extra,
  };
}

/** Maps what Fastify itself throws (body parsing, schema validation, limits) to our codes. */
export function toInkanError(err: FastifyError | Error): InkanError {
  if (err instanceof InkanError) return err;
  const fe = err as FastifyError & {
    validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[];
  };
  if (fe.validation !== undefined) {
    const errors = fe.validation.map((v) => {
      const missing = v.params?.['missingProperty'];
      const extra = v.params?.['additionalProperty'];
      const path = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      const field =
        typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : path;
      return { field, message: v.message ?? 'is not valid' };
    });
    return new InkanError('VALIDATION_FAILED', { errors });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InkanError('MALFORMED_JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new InkanError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new InkanError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new InkanError('VALIDATION_FAILED', {
        errors: [{ field: 'ref', message: 'is not a valid path segment' }],
      });
  }
  if (err instanceof SyntaxError) return new InkanError('MALFORMED_JSON');
  if (fe.statusCode === 404) return new InkanError('NOT_FOUND');
  if (fe.statusCode === 405) return new InkanError('METHOD_NOT_ALLOWED');
  if (fe.statusCode === 413) return new InkanError('PAYLOAD_TOO_LARGE');
  if (fe.statusCode === 415) return new InkanError('UNSUPPORTED_MEDIA_TYPE');
  if (fe.statusCode === 400) return new InkanError('VALIDATION_FAILED', { errors: [] });
  return new InkanError('INTERNAL', {}, { cause: err });
}

/** The one error handler: every refusal leaves as problem+json (Hono's single errorHandler). */
export function sendProblem(
  err: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const e = toInkanError(err);
  if (e.code === 'INTERNAL') request.log.error({ err }, 'unhandled error');
  // The database stayed locked by other work (a long import, another server): worth a retry
  // (the screens answer it alike: web/shared/service-busy.ts).
  if (e.code === 'SERVICE_BUSY') {
    request.log.warn({ code: e.code }, 'database busy');
    reply.header('retry-after', '1');
  }
  return reply
    .status(e.status)
    .type('application/problem+json')
    .send(problemOf(e, request.url.split('?')[0]));
}
