// Every failure becomes {error: {code, message, details}}: catalogued errors with their status,
// validation failures as request.invalid naming each field and rule, a lost database as 503.
// Anything not catalogued becomes a 500 with a generic message; the full error goes to the log,
// where secrets are redacted.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors.ts'
import {
  databaseUnavailable,
  internalError,
  requestInvalid,
  requestNotFound,
  requestValueInvalid,
} from './http.errors.ts'

// Connection-level failures (server restarting, network gone), by Node error code or SQLSTATE
// class 08 (connection exception) and 57P0x (operator intervention: shutdown, crash recovery).
function isDatabaseDown(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string')
    return /Connection terminated|connection timeout/i.test(String((error as Error).message))
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
    code.startsWith('08') ||
    /^57P0[1-4]$/.test(code)
  )
}

// SQLSTATE class 22 (data exception): a value Postgres cannot take — an out-of-range date or number,
// a character the encoding refuses. The request carried it, so it is the client's 422, not our 500.
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)
}

export function wantsEnglish(request: FastifyRequest): boolean {
  const header = request.headers['accept-language']
  return typeof header === 'string' && /^\s*en\b/i.test(header)
}

export function sendAppError(reply: FastifyReply, request: FastifyRequest, err: AppError) {
  return send(reply, request, err)
}

function send(reply: FastifyReply, request: FastifyRequest, err: AppError) {
  return reply.status(err.status).send({
    error: { code: err.code, message: wantsEnglish(request) ? err.en : err.zh, details: err.details ?? {} },
  })
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return send(reply, request, error)
    if ('validation' in error && error.validation) {
      // TypeBox/Ajv validation: name each field and the rule it broke.
      const fields = error.validation.map((v) => ({
        field: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}${
          v.keyword === 'required'
            ? `.${String((v.params as { missingProperty?: string }).missingProperty)}`
            : ''
        }`,
        rule: v.keyword,
        message: v.message ?? '',
      }))
      return send(reply, request, requestInvalid({ fields }))
    }
    const status = (error as FastifyError).statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(
        reply,
        request,
        new AppError(
          { ...requestInvalid, status },
          { reason: (error as FastifyError).code ?? 'bad_request' },
        ),
      )
    }
    if (isDataException(error)) {
      request.log.info({ sqlstate: (error as { code?: unknown }).code }, 'value refused by the database')
      return send(reply, request, requestValueInvalid({ sqlstate: (error as { code?: unknown }).code }))
    }
    if (isDatabaseDown(error)) {
      request.log.warn({ err: error }, 'database unavailable / 数据库不可用')
      return send(reply, request, databaseUnavailable())
    }
    request.log.error({ err: error }, 'unhandled error')
    return send(reply, request, internalError())
  })
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, requestNotFound({ path: request.url.split('?')[0] })),
  )
}
