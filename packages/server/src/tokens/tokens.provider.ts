// The access_token, shared by every process through the database.
//
// - Readers use the stored token while it has more than AHEAD_MS left; an in-process copy saves
//   the read on the hot path.
// - A stale token is replaced by exactly one process: it takes the row's refresh lease, asks WeChat,
//   stores the result. The others wait for the row to change (they never call WeChat themselves,
//   so the classic endpoint's "each call invalidates the last token" cannot bite).
// - After a token error (40001/40014/42001) the caller asks for a refresh *of that token*; if another
//   process already replaced it, the new stored token is returned without calling WeChat.
// - When a token endpoint refuses the AppSecret itself (40001 there, 40125, 40243), the refusal is stored
//   with the hash of that secret and nobody asks WeChat again until the app's secret is different
//   (rotated): every caller gets tokens.credentials_invalid at once, and the daily quota is left alone.
import { setTimeout as sleep } from 'node:timers/promises'
import type { WechatClient } from '@wxpush/wechat'
import { describeErrcode, SECRET_REFUSED_ERRCODES } from '@wxpush/wechat'
import type { AppsRegistry } from '../apps/apps.registry.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { hashSecret } from '../secrets/secrets.box.ts'
import { credentialsInvalid, tokenUnavailable } from './tokens.errors.ts'
import type { TokensStore } from './tokens.store.ts'
import type { Db } from '../db/db.ts'

const AHEAD_MS = 5 * 60_000 // refresh when less than 5 minutes are left (WeChat's overlap window)
const LEASE_MS = 15_000 // a refresher that dies releases the lease after this
const WAIT_STEP_MS = 50
const WAIT_MAX_MS = 20_000

interface CachedToken {
  token: string
  hash: string
  expiresAt: number
}

export function createTokenProvider(deps: {
  db: Db
  store: TokensStore
  apps: AppsRegistry
  wechat: WechatClient
  secrets: SecretBox
  onRefresh?: (appId: string) => void
  onCredentialsRefused?: (appId: string, errcode: number) => void
}) {
  const cache = new Map<string, CachedToken>()
  const inflight = new Map<string, Promise<CachedToken>>()

  const fresh = (t: CachedToken | undefined, failedHash: string | null) =>
    t !== undefined && t.hash !== failedHash && t.expiresAt - Date.now() > AHEAD_MS

  async function readStored(appId: string): Promise<CachedToken | undefined> {
    const row = await deps.store.read(deps.db, appId)
    if (!row?.token_enc || !row.token_hash || !row.expires_at) return undefined
    return {
      token: deps.secrets.open(row.token_enc),
      hash: row.token_hash,
      expiresAt: row.expires_at.getTime(),
    }
  }

  type Credentials = Awaited<ReturnType<AppsRegistry['credentials']>>

  /** Throws tokens.credentials_invalid when WeChat refused this very secret before. */
  async function checkNotRefused(appId: string): Promise<Credentials> {
    const creds = await deps.apps.credentials(appId)
    const row = await deps.store.read(deps.db, appId)
    if (row?.refused_secret_hash && row.refused_secret_hash === hashSecret(creds.secret)) {
      throw credentialsInvalid({ appId, errcode: row.refused_errcode, since: row.refused_at?.toISOString() })
    }
    return creds
  }

  async function fetchFromWechat(appId: string, creds: Credentials, failedHash: string | null) {
    const ask = (forceRefresh: boolean) =>
      creds.tokenMode === 'classic'
        ? deps.wechat.getAccessToken({ appid: creds.appid, secret: creds.secret })
        : deps.wechat.getStableAccessToken({ appid: creds.appid, secret: creds.secret, forceRefresh })
    let answer = await ask(false)
    // stable_token hands back the same token while it lives; when that very token was refused,
    // force a new one (WeChat allows this 20 times a day, 30 s apart).
    // Compared with the refused token itself (not this process's cache, which may hold another).
    if (answer.ok && failedHash !== null && creds.tokenMode === 'stable') {
      if (hashSecret(answer.accessToken) === failedHash) answer = await ask(true)
    }
    if (!answer.ok && SECRET_REFUSED_ERRCODES.has(answer.errcode)) {
      await deps.store.markRefused(deps.db, {
        appId,
        secretHash: hashSecret(creds.secret),
        errcode: answer.errcode,
      })
      deps.onCredentialsRefused?.(appId, answer.errcode)
      throw credentialsInvalid({ appId, errcode: answer.errcode })
    }
    if (!answer.ok) {
      const info = describeErrcode(answer.errcode)
      throw tokenUnavailable({ appId, errcode: answer.errcode, explanation: { zh: info.zh, en: info.en } })
    }
    return {
      token: answer.accessToken,
      hash: hashSecret(answer.accessToken),
      expiresAt: Date.now() + answer.expiresIn * 1000,
    }
  }

  async function refresh(appId: string, failedHash: string | null): Promise<CachedToken> {
    const deadline = Date.now() + WAIT_MAX_MS
    for (;;) {
      const stored = await readStored(appId)
      if (fresh(stored, failedHash)) return stored!
      const creds = await checkNotRefused(appId)
      if (await deps.store.tryLease(deps.db, { appId, leaseMs: LEASE_MS, aheadMs: AHEAD_MS, failedHash })) {
        try {
          const got = await fetchFromWechat(appId, creds, failedHash)
          await deps.store.store(deps.db, {
            appId,
            tokenEnc: deps.secrets.seal(got.token),
            tokenHash: got.hash,
            expiresAt: new Date(got.expiresAt),
          })
          deps.onRefresh?.(appId)
          return got
        } catch (err) {
          await deps.store.releaseLease(deps.db, appId)
          throw err
        }
      }
      if (Date.now() > deadline) throw tokenUnavailable({ appId, reason: 'refresh_timeout' })
      await sleep(WAIT_STEP_MS)
    }
  }

  function singleFlight(appId: string, failedHash: string | null): Promise<CachedToken> {
    const running = inflight.get(appId)
    if (running) return running
    const p = refresh(appId, failedHash)
      .then((t) => {
        cache.set(appId, t)
        return t
      })
      .finally(() => inflight.delete(appId))
    inflight.set(appId, p)
    return p
  }

  return {
    /** A valid token for the app: from memory, else the database, else one refresh for everyone. */
    async get(appId: string): Promise<string> {
      const cached = cache.get(appId)
      if (fresh(cached, null)) return cached!.token
      return (await singleFlight(appId, null)).token
    },

    /** The token with its expiry, for GET /v1/apps/:appId/access-token: never log it. */
    async current(appId: string): Promise<{ accessToken: string; expiresAt: Date }> {
      const cached = cache.get(appId)
      const t = fresh(cached, null) ? cached! : await singleFlight(appId, null)
      return { accessToken: t.token, expiresAt: new Date(t.expiresAt) }
    },

    /**
     * The apps whose current secret WeChat refused (a refusal of a secret rotated since does not count):
     * for /v1/health, metrics and the admin app list.
     */
    async refusedCredentials(): Promise<{ appId: string; errcode: number | null; since: Date | null }[]> {
      const out: { appId: string; errcode: number | null; since: Date | null }[] = []
      for (const row of await deps.store.listRefused(deps.db)) {
        const creds = await deps.apps.credentials(row.app_id)
        if (row.refused_secret_hash === hashSecret(creds.secret)) {
          out.push({ appId: row.app_id, errcode: row.refused_errcode, since: row.refused_at })
        }
      }
      return out
    },

    /** Call after WeChat refused `token` with a token errcode: a new token, fetched at most once. */
    async refreshAfterFailure(appId: string, token: string): Promise<string> {
      const failedHash = hashSecret(token)
      const cached = cache.get(appId)
      if (cached && cached.hash !== failedHash && fresh(cached, failedHash)) return cached.token
      return (await singleFlight(appId, failedHash)).token
    },
  }
}

export type TokenProvider = ReturnType<typeof createTokenProvider>
