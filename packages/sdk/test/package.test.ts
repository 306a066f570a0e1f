// The package as published: its types follow docs/openapi.json (generated, drift-checked), and the
// build gives an ES module and a CommonJS module with the same exports.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildSdk } from '../scripts/build.ts'
import { renderTypes, TYPES_FILE } from '../scripts/types.ts'

describe('@wxpush/sdk package', () => {
  it('src/openapi.ts is generated from docs/openapi.json (run npm run types -w packages/sdk)', async () => {
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(await renderTypes())
  })

  it('builds to ESM and CJS with the same exports', { timeout: 180_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'wxpush-sdk-'))
    try {
      buildSdk(out)
      const cjs = createRequire(import.meta.url)(join(out, 'cjs/index.js')) as Record<string, unknown>
      const esm = (await import(pathToFileURL(join(out, 'esm/index.js')).href)) as Record<string, unknown>
      expect(Object.keys(cjs).sort()).toEqual(['WxpushError', 'createClient', 'verifyWebhook'])
      expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort())
      expect(readFileSync(join(out, 'esm/index.d.ts'), 'utf8')).toContain('createClient')
      const client = (cjs.createClient as (o: object) => { messages: object })({
        baseUrl: 'http://x',
        apiKey: 'k',
      })
      expect(Object.keys(client.messages)).toEqual(['send', 'sendBatch', 'get', 'list', 'cancel'])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
