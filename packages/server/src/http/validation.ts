// Request validation with two Ajv instances: query strings and path params arrive as text and are
// coerced (`?limit=20` → 20); JSON bodies are NOT coerced, so `{"thing1": true}` is refused rather
// than silently sent to WeChat as "true".
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

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

export function installValidation(app: FastifyInstance): void {
  const body = build({ coerceTypes: false })
  const text = build({ coerceTypes: 'array' })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema))
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
