// Console sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), only
// its hash in the database; a CSRF token per session that every state-changing call must echo in
// the x-csrf-token header; roles and per-operator app access; a login rate limit.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ConsoleRole } from '../db/db.schema.ts'
import type { Db } from '../db/db.ts'
import { hashSecret } from '../secrets/secrets.box.ts'
import {
  consoleAppForbidden,
  consoleCsrfInvalid,
  consoleLoginFailed,
  consoleLoginRateLimited,
  consoleRoleForbidden,
  consoleSessionMissing,
} from './console.errors.ts'
import { decoyHash, verifyPassword } from './console.passwords.ts'
import type { ConsoleStore } from './console.store.ts'

export const COOKIE = 'wxpush_console'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface Operator {
  username: string
  role: ConsoleRole
  /** The apps this operator sees; 'all' for an admin. */
  apps: string[] | 'all'
  csrfToken: string
}

declare module 'fastify' {
  interface FastifyRequest {
    operator: Operator | null
  }
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (typeof header !== 'string') return undefined
  for (const part of header.split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim())
  }
  return undefined
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(hashSecret(a))
  const y = Buffer.from(hashSecret(b))
  return timingSafeEqual(x, y)
}

/**
 * Failed logins per username and per address in a sliding window, in this process's memory (several
 * processes each count their own). An address may fail more often than one username: an office
 * behind one NAT address has several operators.
 */
export function createLoginLimiter(p: { perUser: number; perAddress: number; windowMs: number }) {
  const failures = new Map<string, number[]>()
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => t > now - p.windowMs)
  return {
    check(keys: string[], now = Date.now()) {
      for (const key of keys)
        if (recent(key, now).length >= (key.startsWith('ip:') ? p.perAddress : p.perUser))
          throw consoleLoginRateLimited({ retryAfterS: Math.ceil(p.windowMs / 1000) })
    },
    fail(keys: string[], now = Date.now()) {
      if (failures.size > 10_000) failures.clear()
      for (const key of keys) failures.set(key, [...recent(key, now), now])
    },
    succeed(keys: string[]) {
      for (const key of keys) failures.delete(key)
    },
  }
}

export function createConsoleAuth(deps: {
  db: Db
  store: ConsoleStore
  sessionTtlS: number
  loginLimiter: ReturnType<typeof createLoginLimiter>
}) {
  const { db, store } = deps

  function cookie(request: FastifyRequest, value: string, maxAgeS: number) {
    const secure = request.protocol === 'https' ? '; Secure' : ''
    return `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`
  }

  return {
    async login(request: FastifyRequest, reply: FastifyReply, username: string, password: string) {
      const keys = [`u:${username}`, `ip:${request.ip}`]
      deps.loginLimiter.check(keys)
      const op = await store.findOperator(db, username)
      const ok = await verifyPassword(password, op?.password_hash ?? (await decoyHash()))
      if (!op || !ok) {
        deps.loginLimiter.fail(keys)
        throw consoleLoginFailed()
      }
      deps.loginLimiter.succeed(keys)
      const token = randomBytes(32).toString('base64url')
      const csrfToken = randomBytes(24).toString('base64url')
      await store.insertSession(db, {
        tokenHash: hashSecret(token),
        username,
        csrfToken,
        expiresAt: new Date(Date.now() + deps.sessionTtlS * 1000),
      })
      reply.header('set-cookie', cookie(request, token, deps.sessionTtlS))
      return {
        username,
        role: op.role,
        apps: op.role === 'admin' ? ('all' as const) : op.app_ids,
        csrfToken,
      } satisfies Operator
    },

    async logout(request: FastifyRequest, reply: FastifyReply) {
      const token = readCookie(request, COOKIE)
      if (token) await store.deleteSession(db, hashSecret(token))
      reply.header('set-cookie', cookie(request, '', 0))
    },

    /** preValidation: a live session, and the CSRF token on anything but GET/HEAD/OPTIONS. */
    async requireOperator(request: FastifyRequest) {
      const token = readCookie(request, COOKIE)
      if (!token) throw consoleSessionMissing()
      const s = await store.findSession(db, hashSecret(token))
      if (!s) throw consoleSessionMissing()
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token']
        if (typeof sent !== 'string' || !sameToken(sent, s.csrf_token)) throw consoleCsrfInvalid()
      }
      request.operator = {
        username: s.username,
        role: s.role,
        apps: s.role === 'admin' ? 'all' : s.app_ids,
        csrfToken: s.csrf_token,
      }
    },
  }
}

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>

/** The operator of a request that passed requireOperator. */
export function operatorOf(request: FastifyRequest): Operator {
  if (!request.operator) throw consoleSessionMissing()
  return request.operator
}

const RANK: Record<ConsoleRole, number> = { viewer: 0, operator: 1, admin: 2 }

export function requireRole(request: FastifyRequest, need: ConsoleRole): Operator {
  const op = operatorOf(request)
  if (RANK[op.role] < RANK[need]) throw consoleRoleForbidden({ need, role: op.role })
  return op
}

/** The app in the path, when this operator may see it. */
export function requireApp(request: FastifyRequest, appId: string): Operator {
  const op = operatorOf(request)
  if (op.apps !== 'all' && !op.apps.includes(appId)) throw consoleAppForbidden({ appId })
  return op
}
