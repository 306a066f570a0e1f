// Request validation with two Ajv instances: query strings and path params arrive as text and are
// coerced (`?limit=20` → 20); JSON bodies are NOT coerced, so `{"thing1": true}` is refused rather
// than silently sent to WeChat as "true".
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requestTextInvalid } from './http.errors.ts'

function build(options: Options) {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * The first string (value or key) that Postgres cannot store as sent: a NUL (text and jsonb refuse
 * it) or a lone surrogate (encoded to UTF-8 it becomes U+FFFD, so "k\ud800" and "k\udc00" would be
 * one idempotency key). Answers the field's path and the rule, or undefined.
 */
export function findUnstorableText(
  value: unknown,
  path: string,
  depth = 0,
): { field: string; rule: 'no_nul' | 'well_formed_unicode' } | undefined {
  if (typeof value === 'string') {
    if (value.includes('\0')) return { field: path, rule: 'no_nul' }
    if (LONE_SURROGATE.test(value)) return { field: path, rule: 'well_formed_unicode' }
    return undefined
  }
  if (value === null || typeof value !== 'object' || depth > 32) return undefined
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key.replaceAll('\0', '\\0')}`
    const bad = findUnstorableText(key, at) ?? findUnstorableText(v, at, depth + 1)
    if (bad) return bad
  }
  return undefined
}

/**
 * A parsed JSON body (plain objects and arrays). Not a streamed body (an upload): that is a socket's
 * whole object graph, and the route that takes it reads and checks its lines itself.
 */
function isParsedJson(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false
  const proto: unknown = Object.getPrototypeOf(body)
  return Array.isArray(body) || proto === Object.prototype || proto === null
}

/** One check for every route, before its schema: path params, query string and a parsed JSON body. */
async function refuseUnstorableText(request: FastifyRequest) {
  const bad =
    findUnstorableText(request.params, 'params') ??
    findUnstorableText(request.query, 'querystring') ??
    // Only a parsed body: the callback receiver takes its body as text and checks it itself.
    (isParsedJson(request.body) ? findUnstorableText(request.body, 'body') : undefined)
  if (bad) throw requestTextInvalid(bad)
}

export function installValidation(app: FastifyInstance): void {
  const body = build({ coerceTypes: false })
  const text = build({ coerceTypes: 'array' })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema))
  app.addHook('preValidation', refuseUnstorableText)
}

/**
 * A body validator for one part of a request checked on its own (each item of a batch), with the
 * same options as request bodies. Answers the broken fields the way the error handler names them.
 */
export function compileBodyValidator(schema: object, prefix: string) {
  const validate = build({ coerceTypes: false }).compile(schema)
  return (value: unknown): { field: string; rule: string; message: string }[] => {
    if (validate(value)) return []
    return (validate.errors ?? []).map((v) => ({
      field: `${prefix}${v.instancePath.replaceAll('/', '.')}${
        v.keyword === 'required'
          ? `.${String((v.params as { missingProperty?: string }).missingProperty)}`
          : ''
      }`,
      rule: v.keyword,
      message: v.message ?? '',
    }))
  }
}
