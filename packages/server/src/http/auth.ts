// Two kinds of callers: business backends with an API key (one app each), and mini programs with
// the session token from POST /v1/auth/login. Both come as `Authorization: Bearer …`.
import type { FastifyRequest } from 'fastify'
import type { AppsRegistry } from '../apps/apps.registry.ts'
import { apiKeyMissing, forbidden } from '../apps/apps.errors.ts'
import { hashSecret } from '../secrets/secrets.box.ts'
import type { Login } from '../users/users.login.ts'
import { sessionMissing } from '../users/users.errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: { appId: string; scope: 'app' | 'admin'; keyId: string } | null
    session: { appId: string; userId: string } | null
  }
}

// A checked key is trusted for this long in this process. A revocation through this process's admin
// API drops the entry at once (forget); other processes notice within KEY_CACHE_MS.
const KEY_CACHE_MS = 10_000

/** The token of `Authorization: Bearer <token>`: the one parser for API keys, sessions and the admin key. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization
  if (typeof h !== 'string') return undefined
  const m = /^Bearer\s+(\S+)$/i.exec(h)
  return m?.[1]
}

export function createApiKeyAuth(apps: AppsRegistry) {
  // Keyed by the key's hash: the plain key is not kept in memory longer than the request.
  const cache = new Map<
    string,
    { until: number; value: { appId: string; scope: 'app' | 'admin'; keyId: string } }
  >()
  async function requireApiKey(request: FastifyRequest) {
    const key = bearerToken(request)
    if (!key) throw apiKeyMissing()
    const keyHash = hashSecret(key)
    const hit = cache.get(keyHash)
    if (hit && hit.until > Date.now()) {
      request.apiKey = hit.value
      return
    }
    const checked = await apps.checkApiKey(key)
    const value = { appId: checked.appId, scope: checked.scope, keyId: checked.keyId }
    if (cache.size > 10_000) cache.clear()
    cache.set(keyHash, { until: Date.now() + KEY_CACHE_MS, value })
    request.apiKey = value
  }
  return Object.assign(requireApiKey, {
    /** Drops a revoked key from this process's cache, so the revocation holds at once here. */
    forget(keyId: string) {
      for (const [hash, entry] of cache) if (entry.value.keyId === keyId) cache.delete(hash)
    },
  })
}

export function requireAdminScope(request: FastifyRequest) {
  if (request.apiKey?.scope !== 'admin') throw forbidden({ need: 'admin' })
}

/** Routes under /v1/apps/:appId/…: the key must be an admin-scope key of that very app. */
export function requireAppAdmin(request: FastifyRequest, appId: string): string {
  requireAdminScope(request)
  if (request.apiKey?.appId !== appId) throw forbidden({ need: 'a key of this app', appId })
  return appId
}

export function createSessionAuth(login: Login) {
  return async function requireSession(request: FastifyRequest) {
    const token = bearerToken(request)
    if (!token) throw sessionMissing()
    request.session = await login.checkSession(token)
  }
}

/** The app of an API-key request; routes that take a key always run after requireApiKey. */
export function appOf(request: FastifyRequest): string {
  if (!request.apiKey) throw apiKeyMissing()
  return request.apiKey.appId
}
