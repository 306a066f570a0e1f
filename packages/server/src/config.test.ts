import { describe, expect, it } from 'vitest'
import { loadConfig, trustProxyOption } from './config.ts'

describe('loadConfig', () => {
  it('gives every setting its default from an empty environment', () => {
    const r = loadConfig({})
    expect(r.ok).toBe(true)
    if (r.ok)
      expect(r.config).toMatchObject({
        WXPUSH_PORT: 3000,
        WXPUSH_MODE: 'production',
        WXPUSH_RETRY_UNCERTAIN: true,
      })
  })

  it('converts numbers and booleans from their text', () => {
    const r = loadConfig({ WXPUSH_PORT: '8080', WXPUSH_RETRY_UNCERTAIN: 'false' })
    expect(r.ok && r.config.WXPUSH_PORT).toBe(8080)
    expect(r.ok && r.config.WXPUSH_RETRY_UNCERTAIN).toBe(false)
  })

  it('answers one line per bad variable naming it and its rule, and hides URLs and keys', () => {
    const r = loadConfig({
      WXPUSH_PORT: 'abc',
      WXPUSH_MODE: 'prod',
      DATABASE_URL: 'mysql://u:pw@h/db',
      WXPUSH_MASTER_KEY: 'short',
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toHaveLength(4)
    expect(r.errors.find((e) => e.startsWith('WXPUSH_PORT='))).toMatch(/integer/)
    expect(r.errors.find((e) => e.startsWith('WXPUSH_MODE='))).toMatch(/one of production, dev/)
    expect(r.errors.join('\n')).not.toMatch(/pw@|short/)
  })

  it('reads WXPUSH_TRUST_PROXY as off, on or a list of proxies', () => {
    expect(trustProxyOption('false')).toBe(false)
    expect(trustProxyOption('true')).toBe(true)
    expect(trustProxyOption('10.0.0.1,10.1.0.0/16')).toEqual(['10.0.0.1', '10.1.0.0/16'])
    expect(loadConfig({ WXPUSH_TRUST_PROXY: 'yes please' }).ok).toBe(false)
  })
})
