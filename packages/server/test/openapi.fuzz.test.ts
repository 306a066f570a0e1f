// Property-based fuzz of the whole API from its own OpenAPI document, on both databases: requests are
// drawn from each operation's declared parameters and body (values that fit, values that break a
// rule, and arbitrary JSON), sent over real HTTP with the right kind of credential, and every answer
// must be below 500 and match the schema the document declares for its status.
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DB_KINDS } from '../src/testing/test-db.ts'
import { useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

type Schema = Record<string, unknown>
interface Parameter {
  in: 'path' | 'query'
  name: string
  required?: boolean
  schema: Schema
}
interface Operation {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: Schema }> }
  security?: Record<string, string[]>[]
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
}
interface Request {
  method: string
  path: string
  op: Operation
  query: Record<string, string>
  body: unknown
}

const ADMIN_KEY = 'fuzz-admin-key-0123456789abcdefghijklmnop'
const RUNS = 250

/** Values for a JSON schema: mostly ones that fit it, some that break one rule. */
function arbitraryOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const fits = fitting(schema, depth)
  return depth > 3
    ? fits
    : fc.oneof({ arbitrary: fits, weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 })
}

function fitting(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]))
  const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (anyOf) return fc.oneof(...anyOf.map((s) => arbitraryOf(s, depth + 1)))
  switch (schema.type) {
    case 'string': {
      const min = (schema.minLength as number | undefined) ?? 0
      const max = Math.min((schema.maxLength as number | undefined) ?? 40, 80)
      if (schema.format === 'date-time')
        return fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        )
      return fc.oneof(
        fc.string({ minLength: min, maxLength: Math.max(min, max) }),
        fc.string({ unit: 'grapheme', maxLength: max + 2 }),
        fc.constantFrom('', ' ', '0', '-1', '../x', '%00', 'null', '中文', 'a'.repeat(max + 1)),
      )
    }
    case 'integer':
    case 'number': {
      const min = Math.ceil((schema.minimum as number | undefined) ?? -5)
      const max = Math.max(Math.floor((schema.maximum as number | undefined) ?? 1_000), min)
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(-1, 0, 1e12, 2 ** 53, 0.5))
    }
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(arbitraryOf((schema.items as Schema | undefined) ?? {}, depth + 1), { maxLength: 4 })
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>
      const required = new Set((schema.required ?? []) as string[])
      const record: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [k, s] of Object.entries(props)) record[k] = arbitraryOf(s, depth + 1)
      const known = Object.keys(props).length > 0
      return known
        ? fc.record(record, { requiredKeys: [...required].filter((k) => k in props) })
        : fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), {
            maxKeys: 4,
          })
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

/** Path and query values are text: anything a URL can carry, or the stack's real ids now and then. */
function textOf(schema: Schema, real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: arbitraryOf(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), weight: 3 },
    { arbitrary: fc.constantFrom(...real), weight: 2 },
  )
}

function requestsOf(doc: { paths: Record<string, Record<string, Operation>> }, real: string[]) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  )
  return fc.constantFrom(...ops).chain(({ path, method, op }) => {
    const params = op.parameters ?? []
    const pathArb = fc.record(
      Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, textOf(p.schema, real)])),
    )
    const queryArb = fc.record(
      Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, textOf(p.schema, real)])),
      { requiredKeys: [] },
    )
    const bodySchema = op.requestBody?.content['application/json']?.schema
    const bodyArb = bodySchema ? arbitraryOf(bodySchema) : fc.constant(undefined)
    return fc
      .record({ values: pathArb, query: queryArb, body: bodyArb })
      .map(({ values, query, body }): Request => ({
        method,
        op,
        path: path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? '')),
        query: query as Record<string, string>,
        body,
      }))
  })
}

/** The declared answer of a status, with ErrorBody inlined, compiled once. */
function answerValidator(doc: { components: { schemas: Record<string, Schema> } }) {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const inline = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(inline)
    if (v && typeof v === 'object') {
      const ref = (v as { $ref?: string }).$ref
      if (ref?.startsWith('#/components/schemas/'))
        return inline(doc.components.schemas[ref.slice('#/components/schemas/'.length)])
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inline(x)]))
    }
    return v
  }
  const cache = new Map<Schema, ValidateFunction>()
  return (op: Operation, status: number, body: unknown): string | undefined => {
    const declared = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`]
    if (!declared) return `status ${status} is not declared`
    const schema = declared.content?.['application/json']?.schema
    if (!schema) return undefined // text answers (echostr, metrics)
    let validate = cache.get(schema)
    if (!validate) cache.set(schema, (validate = ajv.compile(inline(schema) as Schema)))
    return validate(body) ? undefined : JSON.stringify(validate.errors)
  }
}

describe.each(DB_KINDS)('OpenAPI fuzz on %s', (kind) => {
  const stack = useTestStack({ kind, env: { WXPUSH_ADMIN_KEY: ADMIN_KEY } })

  it(
    `answers ${RUNS} drawn requests below 500, each matching its declared schema`,
    { timeout: 600_000 },
    async () => {
      const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as Parameters<
        typeof requestsOf
      >[0] &
        Parameters<typeof answerValidator>[0]
      const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
      const user = await createTestUser(stack)
      const { apiKey: appAdminKey, id: keyId } = await stack.wxpush.services.apps.issueApiKey(
        stack.appId,
        'admin',
      )
      const real = [stack.appId, templateId, 'order_notice', user.userId, user.openid, keyId]
      const check = answerValidator(doc)
      const credential = (op: Operation) => {
        const scheme = op.security?.[0]
        if (!scheme) return undefined
        if ('adminKey' in scheme) return ADMIN_KEY
        if ('session' in scheme) return user.token
        return scheme['apiKey']?.includes('admin') ? appAdminKey : stack.apiKey
      }

      const seen = { ok: 0, refused: 0 }
      await fc.assert(
        fc.asyncProperty(requestsOf(doc, real), async (r) => {
          const url = new URL(stack.apiUrl + r.path)
          for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, v)
          const key = credential(r.op)
          const res = await fetch(url, {
            method: r.method,
            headers: {
              ...(key ? { authorization: `Bearer ${key}` } : {}),
              ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(r.body === undefined || r.method === 'GET' ? {} : { body: JSON.stringify(r.body) }),
          })
          const text = await res.text()
          if (res.status < 300) seen.ok++
          else seen.refused++
          const type = res.headers.get('content-type') ?? ''
          const body: unknown = type.includes('json') ? JSON.parse(text) : text
          expect(res.status, `${r.method} ${url.pathname}${url.search} → ${text.slice(0, 300)}`).toBeLessThan(
            500,
          )
          expect(
            check(r.op, res.status, body),
            `${r.method} ${url.pathname} → ${res.status} ${text.slice(0, 300)}`,
          ).toBeUndefined()
        }),
        { numRuns: RUNS, endOnFailure: true },
      )
    },
  )
})
