import Fastify from 'fastify'
import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { installErrorHandler } from './http.error-handler.ts'
import { installOpenApi } from './openapi.ts'
import { installResponseCheck } from './response-check.ts'

const View = Type.Object({ id: Type.String(), note: Type.Union([Type.String(), Type.Null()]) })

async function appWith(check: boolean, answer: unknown) {
  const app = Fastify()
  installErrorHandler(app)
  await installOpenApi(app, '0.0.0')
  if (check) installResponseCheck(app)
  app.get('/thing', { schema: { response: { 200: View } } }, async () => answer)
  return app
}

describe('answers are written through their declared schemas', () => {
  it('drops an undeclared field (a secret) from the answer', async () => {
    const app = await appWith(false, { id: 'a', note: null, secret: 's3cret' })
    const res = await app.inject({ url: '/thing' })
    expect(res.json()).toEqual({ id: 'a', note: null })
    expect(res.body).not.toContain('s3cret')
  })

  it('with the check on, an answer breaking its schema is a 500 naming the route, not a silent ""', async () => {
    const app = await appWith(true, { id: 'a', note: 42 })
    const res = await app.inject({ url: '/thing' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ error: { code: 'server.internal', details: { route: '/thing' } } })
    const ok = await (await appWith(true, { id: 'a', note: 'n' })).inject({ url: '/thing' })
    expect(ok.json()).toEqual({ id: 'a', note: 'n' })
  })

  it('an error answer passes the check in the catalogued error shape', async () => {
    const app = await appWith(true, null)
    const res = await app.inject({ url: '/nowhere' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: { code: 'request.not_found' } })
  })
})
