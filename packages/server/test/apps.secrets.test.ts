// Secrets at rest and the keys that guard them: the master key is required in production, a
// sealed secret opens only under its own master key, and the admin API is off without its key.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../src/errors.ts'
import { ConfigError, startWxpush } from '../src/main.ts'
import { createSecretBox } from '../src/secrets/secrets.box.ts'

const dirs: string[] = []
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'wxpush-secrets-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const masterKey = () => randomBytes(32).toString('base64')

describe('secrets at rest and the admin key', () => {
  it('stops the start in production mode without WXPUSH_MASTER_KEY, naming the variable', async () => {
    const dir = freshDir()
    const started = startWxpush({ env: { WXPUSH_DATA_DIR: dir, WXPUSH_LOG_LEVEL: 'silent' }, listen: false })
    await expect(started).rejects.toBeInstanceOf(ConfigError)
    await expect(started).rejects.toThrow(/WXPUSH_MASTER_KEY/)
    // Nothing was generated: production never invents a key.
    expect(existsSync(join(dir, 'master.key'))).toBe(false)
  })

  it('hides a malformed master key or admin key in the error and names the variable', async () => {
    const bad = 'not-a-key-but-a-secret-value'
    const err = await startWxpush({
      env: { WXPUSH_MASTER_KEY: bad, WXPUSH_ADMIN_KEY: 'short-admin-secret', WXPUSH_LOG_LEVEL: 'silent' },
      listen: false,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    const message = (err as ConfigError).message
    expect(message).toContain('WXPUSH_MASTER_KEY')
    expect(message).toContain('WXPUSH_ADMIN_KEY')
    expect(message).not.toContain(bad)
    expect(message).not.toContain('short-admin-secret')
  })

  it('cannot open a secret sealed under another master key, and says so without the secret', () => {
    const plain = 'app-secret-0123456789abcdef'
    const sealed = createSecretBox(masterKey()).seal(plain)
    expect(sealed).not.toContain(plain)
    let caught: unknown
    try {
      createSecretBox(masterKey()).open(sealed)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('secrets.unreadable')
    expect(
      JSON.stringify({ message: (caught as AppError).message, details: (caught as AppError).details }),
    ).not.toContain(plain)
  })

  it('answers admin.disabled in production when WXPUSH_ADMIN_KEY is unset', async () => {
    const running = await startWxpush({
      env: { WXPUSH_DATA_DIR: freshDir(), WXPUSH_MASTER_KEY: masterKey(), WXPUSH_LOG_LEVEL: 'silent' },
      listen: false,
    })
    try {
      const res = await running.app.inject({
        method: 'GET',
        url: '/v1/admin/apps',
        headers: { authorization: 'Bearer anything-at-all-0123456789abcdefghij' },
      })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ error: { code: 'admin.disabled' } })
      const off = await running.app.inject({ method: 'GET', url: '/v1/apps/wx1/access-token' })
      expect(off.statusCode).toBe(404)
      expect(off.json()).toMatchObject({ error: { code: 'tokens.access_token_disabled' } })
    } finally {
      await running.stop()
    }
  }, 180_000) // a PGlite start with migrations: 42 s under load; see vitest.config.ts

  it('generates an admin key into the data folder in dev mode and keeps it across restarts', async () => {
    const dir = freshDir()
    const start = () =>
      startWxpush({
        env: { WXPUSH_MODE: 'dev', WXPUSH_DATA_DIR: dir, WXPUSH_LOG_LEVEL: 'silent' },
        listen: false,
      })
    const first = await start()
    await first.stop()
    const key = readFileSync(join(dir, 'admin.key'), 'utf8').trim()
    expect(key.length).toBeGreaterThanOrEqual(32)
    const second = await start()
    try {
      expect(readFileSync(join(dir, 'admin.key'), 'utf8').trim()).toBe(key)
      const ok = await second.app.inject({
        method: 'GET',
        url: '/v1/admin/apps',
        headers: { authorization: `Bearer ${key}` },
      })
      expect(ok.statusCode).toBe(200)
      expect(ok.json()).toEqual({ items: [] })
    } finally {
      await second.stop()
    }
  }, 180_000) // two PGlite starts: 30 s under load; see vitest.config.ts
})
