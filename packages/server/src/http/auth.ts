// Two kinds of callers: business backends with an API key (one app each), and mini programs with
// the session token from POST /v1/auth/login. Both come as `Authorization: Bearer …`.
import type { FastifyRequest } from 'fastify'
import type { AppsRegistry } from '../apps/apps.registry.ts'
import { apiKeyMissing, forbidden } from '../apps/apps.errors.ts'
import type { Login } from '../users/users.login.ts'
import { sessionMissing } from '../users/users.errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: { appId: string; scope: 'app' | 'admin'; keyId: string } | null
    session: { appId: string; userId: string } | null
  }
}

// A checked key is trusted for this long in this process: a revocation takes effect within it.
const KEY_CACHE_MS = 10_000

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization
  if (typeof h !== 'string') return undefined
  const m = /^Bearer\s+(\S+)$/i.exec(h)
  return m?.[1]
}

export function createApiKeyAuth(apps: AppsRegistry) {
  const cache = new Map<
    string,
    { until: number; value: { appId: string; scope: 'app' | 'admin'; keyId: string } }
  >()
  return async function requireApiKey(request: FastifyRequest) {
    const key = bearer(request)
    if (!key) throw apiKeyMissing()
    const hit = cache.get(key)
    if (hit && hit.until > Date.now()) {
      request.apiKey = hit.value
      return
    }
    const checked = await apps.checkApiKey(key)
    const value = { appId: checked.appId, scope: checked.scope, keyId: checked.keyId }
    if (cache.size > 10_000) cache.clear()
    cache.set(key, { until: Date.now() + KEY_CACHE_MS, value })
    request.apiKey = value
  }
}

export function requireAdminScope(request: FastifyRequest) {
  if (request.apiKey?.scope !== 'admin') throw forbidden({ need: 'admin' })
}

export function createSessionAuth(login: Login) {
  return async function requireSession(request: FastifyRequest) {
    const token = bearer(request)
    if (!token) throw sessionMissing()
    request.session = await login.checkSession(token)
  }
}

/** The app of an API-key request; routes that take a key always run after requireApiKey. */
export function appOf(request: FastifyRequest): string {
  if (!request.apiKey) throw apiKeyMissing()
  return request.apiKey.appId
}
