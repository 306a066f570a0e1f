// WXPUSH_CHECK_RESPONSES (tests, dev): every answer is validated against the schema its route
// declares BEFORE fast-json-stringify writes it. The serializer alone would hide a mismatch: it drops
// undeclared fields (which is what keeps secrets out) but also turns a null into "" or 0. A mismatch
// is answered 500 and logged, so the suite fails on the route, not in a client later.
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { internalError } from './http.errors.ts'
import { ErrorBody } from './openapi.ts'

/** The declared answer for a status: exact code first, then its class (`4xx`), then `default`. */
export function declaredResponse(response: Record<string, unknown> | undefined, status: number) {
  if (!response) return undefined
  return response[String(status)] ?? response[`${String(status)[0]}xx`] ?? response['default']
}

function jsonSchemaOf(declared: unknown): unknown {
  // The {content: {'application/json': {schema}}} form of a response.
  const content = (declared as { content?: Record<string, { schema: unknown }> }).content
  if (content) return content['application/json']?.schema
  return declared
}

export function installResponseCheck(app: FastifyInstance): void {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema(ErrorBody)
  const compiled = new WeakMap<object, ValidateFunction>()

  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const response = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)
      ?.response
    const declared = declaredResponse(response, reply.statusCode)
    const schema = declared === undefined ? undefined : jsonSchemaOf(declared)
    if (schema === undefined || schema === null || typeof schema !== 'object') return payload
    let validate = compiled.get(schema)
    if (!validate) {
      validate = ajv.compile(schema)
      compiled.set(schema, validate)
    }
    // Through JSON first: the wire form (Dates as strings) is what the schema describes.
    if (validate(JSON.parse(JSON.stringify(payload)) as unknown)) return payload
    request.log.error(
      { route: request.routeOptions.url, status: reply.statusCode, errors: validate.errors },
      'answer does not match its declared schema / 答复与声明的结构不符',
    )
    void reply.code(500)
    const e = internalError({ reason: 'response_schema', route: request.routeOptions.url ?? '' })
    return { error: { code: e.code, message: e.en, details: e.details } }
  })
}
