// The OpenAPI document: served by the running stack, equal to the committed docs/openapi.json,
// valid by a standard OpenAPI 3.1 validator, and every operation declares its answers.
import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { DOCS_DIR } from '../src/cli/docs.command.ts'
import { errorCatalogue } from '../src/errors.catalogue.ts'
import { useTestStack } from '../src/testing/test-stack.ts'

interface Operation {
  summary?: string
  security?: unknown[]
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> }

describe('OpenAPI document', () => {
  const stack = useTestStack({ kind: 'pglite' })
  let served: Document | undefined
  const document = async (): Promise<Document> => {
    if (served) return served
    const res = await fetch(`${stack.apiUrl}/openapi.json`)
    expect(res.status).toBe(200)
    served = (await res.json()) as Document
    return served
  }

  it('GET /openapi.json is the committed docs/openapi.json (run npm run docs after changing a route)', async () => {
    const committed = readFileSync(`${DOCS_DIR}openapi.json`, 'utf8')
    expect(`${JSON.stringify(await document(), null, 2)}\n`).toBe(committed)
  })

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(
      structuredClone(await document()) as unknown as Parameters<Validator['validate']>[0],
    )
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('every operation has a summary in both languages, a success answer and the error shape', async () => {
    const doc = await document()
    const missing: string[] = []
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const name = `${method.toUpperCase()} ${path}`
        if (!op.summary || !/[\u4e00-\u9fff]/.test(op.summary) || !/ \/ [A-Z]/.test(op.summary))
          missing.push(`${name}: summary`)
        const codes = Object.keys(op.responses ?? {})
        const success = codes.filter((c) => /^2\d\d$/.test(c))
        if (success.length === 0) missing.push(`${name}: 2xx`)
        for (const c of success) if (!op.responses?.[c]?.content) missing.push(`${name}: ${c} schema`)
        for (const c of ['4XX', '5XX']) {
          const schema = op.responses?.[c]?.content?.['application/json']?.schema
          if (JSON.stringify(schema) !== JSON.stringify({ $ref: '#/components/schemas/ErrorBody' }))
            missing.push(`${name}: ${c}`)
        }
      }
    }
    expect(missing).toEqual([])
    // The one /v1 route of the contract that must be there, and the count of the rest as a floor.
    expect(Object.keys(doc.paths)).toContain('/v1/messages')
    expect(Object.values(doc.paths).flatMap((ops) => Object.keys(ops)).length).toBeGreaterThanOrEqual(48)
  })

  it('the error shape lists every catalogued code, and each /v1 route but login and health needs a key', async () => {
    const doc = await document()
    const body = (doc.components as { schemas: Record<string, unknown> }).schemas['ErrorBody'] as {
      properties: { error: { properties: { code: { anyOf?: { const?: string; enum?: string[] }[] } } } }
    }
    const listed = (body.properties.error.properties.code.anyOf ?? []).flatMap((b) =>
      b.const !== undefined ? [b.const] : (b.enum ?? []),
    )
    expect(listed.sort()).toEqual(
      errorCatalogue()
        .map((e) => e.code)
        .sort(),
    )
    const open = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => (op.security ?? []).length === 0)
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      )
    expect(open.sort()).toEqual(['GET /v1/health', 'POST /v1/auth/login'])
  })
})

describe('API reference pages', () => {
  const stack = useTestStack({ kind: 'pglite' })

  it('serves /docs and its script from the package, loading nothing from another host', async () => {
    const page = await fetch(`${stack.apiUrl}/docs/`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('/openapi.json')
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const src of scripts) {
      expect(src).not.toMatch(/^(https?:)?\/\//)
      const asset = await fetch(new URL(src, `${stack.apiUrl}/docs/`))
      expect(asset.status).toBe(200)
      const size = (await asset.arrayBuffer()).byteLength
      console.log(`docs asset ${src}: ${(size / 1024).toFixed(0)} KiB`)
    }
  })
})
