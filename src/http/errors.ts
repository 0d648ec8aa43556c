import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { translate, type Locale } from '../i18n/index.js';
import { describeIssue } from './validation-messages.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

function body(request: FastifyRequest, code: string, fallback: string, params: Record<string, unknown> = {}, details?: unknown): ErrorBody {
  const locale: Locale = request.locale ?? 'zh-CN';
  const message = translate(locale, code, { ...params, requestId: request.id }) ?? fallback;
  return { error: { code, message, ...(details === undefined ? {} : { details }) }, requestId: request.id };
}

/** Answers with an error of ours, outside the error handler (e.g. not-found, access refused). */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, params: Record<string, unknown> = {}): FastifyReply {
  return reply.status(status).send(body(request, code, code, params));
}

/** Fastify's own client-error codes, mapped to ours. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_json_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/**
 * The one error handler: domain errors and client mistakes become `{error: {code, message, details}}`
 * in the caller's language; anything else is logged and answered with a generic 500.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    return reply.status(error.status).send(body(request, error.code, error.message, error.params, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const locale: Locale = request.locale ?? 'zh-CN';
    const where = error.validationContext ?? 'body';
    const issues = error.validation.map((v) => {
      const segments = v.instancePath.split('/').filter(Boolean);
      const issue = { ...(v.params as object), code: v.keyword, message: v.message, path: segments } as Parameters<typeof describeIssue>[0];
      // Unknown keys sit on the object itself: name them in the path, so the user sees which one.
      const keys = (v.params as { keys?: string[] }).keys;
      const path = [where, ...segments, ...(v.keyword === 'unrecognized_keys' && keys ? [keys.join(',')] : [])].join('.');
      return { path, code: v.keyword, message: describeIssue(issue, locale) };
    });
    const summary = issues
      .slice(0, 3)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    return reply.status(400).send(body(request, 'validation_failed', `Invalid input: ${summary}`, { summary }, { issues }));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return reply.status(500).send(body(request, 'internal_error', 'Internal error'));
  }
  if (error.statusCode === 429) {
    const seconds = Math.max(1, Math.ceil(Number(reply.getHeader('retry-after') ?? 60)));
    return reply.status(429).send(body(request, 'rate_limited', 'Too many requests', { seconds }, { seconds }));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? 'malformed_json' : 'bad_request');
    return reply.status(status).send(body(request, code, error.message, { reason: error.message, limit: '1 MB' }));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(body(request, 'internal_error', 'Internal error'));
}
