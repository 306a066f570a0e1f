// Serving the built console (production): files from dist/, index.html for page paths, long
// caching for hashed assets only, nothing outside dist/, and a clear 503 when it is not built.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { consoleAssets } from '../src/console/console.assets.ts'
import { installErrorHandler } from '../src/http/http.error-handler.ts'

async function appFor(root: string) {
  const app = Fastify()
  installErrorHandler(app)
  await app.register(consoleAssets({ mode: 'built', root }))
  return app
}

describe('the built console', () => {
  it('serves dist/, falls back to index.html for page paths, and never leaves dist/', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wxpush-console-dist-'))
    mkdirSync(join(root, 'dist/assets'), { recursive: true })
    writeFileSync(join(root, 'dist/index.html'), '<!doctype html><title>console</title>')
    writeFileSync(join(root, 'dist/assets/index-abc.js'), 'console.log(1)')
    writeFileSync(join(root, 'secret.txt'), 'not for the web')
    const app = await appFor(root)

    const page = await app.inject('/console/users/usr_1')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/)

    const asset = await app.inject('/console/assets/index-abc.js')
    expect(asset.body).toBe('console.log(1)')
    expect(asset.headers['cache-control']).toMatch(/immutable/)

    const escape = await app.inject('/console/%2e%2e/secret.txt')
    expect(escape.body).not.toContain('not for the web')

    const api = await app.inject('/console/api/nothing')
    expect(api.statusCode).toBe(404)
    expect(api.json()).toMatchObject({ error: { code: 'request.not_found' } })

    expect((await app.inject('/console')).headers.location).toBe('/console/')
    await app.close()
  })

  it('answers 503 console.not_built when dist/ is missing', async () => {
    const app = await appFor(mkdtempSync(join(tmpdir(), 'wxpush-console-none-')))
    const res = await app.inject('/console/')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: { code: 'console.not_built' } })
    await app.close()
  })
})
