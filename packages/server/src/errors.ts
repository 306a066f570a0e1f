// One error shape for every route: {error: {code, message, details}} with a 4xx status.
// Each code is defined once with defineError() in its domain's *.errors.ts and documented in
// docs/errors.md (generated; a test keeps it in sync). Anything not catalogued becomes a 500 with
// a generic message; the full error goes to the log, where secrets are redacted.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export interface ErrorDefinition {
  code: string
  status: number
  zh: string
  en: string
}

export class AppError extends Error {
  readonly code: string
  readonly status: number
  readonly zh: string
  readonly en: string
  readonly details: Record<string, unknown> | undefined

  constructor(def: ErrorDefinition, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(`${def.code}: ${def.en}`, options)
    this.name = 'AppError'
    this.code = def.code
    this.status = def.status
    this.zh = def.zh
    this.en = def.en
    this.details = details
  }
}

const registry = new Map<string, ErrorDefinition>()

export type ErrorFactory = ((details?: Record<string, unknown>, options?: { cause?: unknown }) => AppError) &
  ErrorDefinition

export function defineError(def: ErrorDefinition): ErrorFactory {
  if (!/^[a-z]+\.[a-z0-9_]+$/.test(def.code))
    throw new Error(`error code must be domain.snake_case: ${def.code}`)
  if (registry.has(def.code)) throw new Error(`error code defined twice: ${def.code}`)
  registry.set(def.code, def)
  const factory = (details?: Record<string, unknown>, options?: { cause?: unknown }) =>
    new AppError(def, details, options)
  return Object.assign(factory, def)
}

export function definedErrors(): ErrorDefinition[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code))
}

export const requestInvalid = defineError({
  code: 'request.invalid',
  status: 400,
  zh: '请求不合法',
  en: 'The request is not valid',
})
export const requestNotFound = defineError({
  code: 'request.not_found',
  status: 404,
  zh: '没有这个接口',
  en: 'No such route',
})
export const requestTextInvalid = defineError({
  code: 'request.text_invalid',
  status: 422,
  zh: '文本不合法：不能含 NUL 字符（\\u0000），且必须是合法的 Unicode（不能有孤立的代理项），见 details.field 与 details.rule',
  en: 'Invalid text: no NUL character (\\u0000) and well-formed Unicode only (no lone surrogate); see details.field and details.rule',
})
export const requestValueInvalid = defineError({
  code: 'request.value_invalid',
  status: 422,
  zh: '某个值超出了数据库能存储的范围（如日期或数字越界）',
  en: 'A value is outside what the database can store (a date or a number out of range, say)',
})
export const serviceStopping = defineError({
  code: 'server.stopping',
  status: 503,
  zh: '服务正在停止，请稍后重试或换一个实例',
  en: 'The service is stopping; retry later or on another instance',
})
export const internalError = defineError({
  code: 'server.internal',
  status: 500,
  zh: '服务内部错误，详情已记入日志',
  en: 'Internal error; the details are in the server log',
})

export const databaseUnavailable = defineError({
  code: 'server.database_unavailable',
  status: 503,
  zh: '数据库暂时不可用，请稍后重试；已接受的消息不会丢失',
  en: 'The database is unavailable for a moment; retry later. Messages already accepted are not lost',
})

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
