// Apps and their API keys: create, read the secret for WeChat calls, rotate, issue and check keys.
import type { SecretBox } from '../secrets/secrets.box.ts'
import { hashSecret } from '../secrets/secrets.box.ts'
import { newId, newSecret } from '../ids.ts'
import { apiKeyInvalid, appExists, appNotFound } from './apps.errors.ts'
import type { AppsStore } from './apps.store.ts'
import type { Db } from '../db/db.ts'

// last_used_at is written at most once a minute per key: not a write on every request.
const TOUCH_EVERY_MS = 60_000

export function createAppsRegistry({ db, store, secrets }: { db: Db; store: AppsStore; secrets: SecretBox }) {
  return {
    async createApp(p: { appId: string; name?: string; secret: string; tokenMode: 'stable' | 'classic' }) {
      const { inserted } = await store.insertApp(db, {
        id: p.appId,
        name: p.name ?? p.appId,
        secretEnc: secrets.seal(p.secret),
        tokenMode: p.tokenMode,
      })
      if (!inserted) throw appExists({ appId: p.appId })
      return { appId: p.appId }
    },

    async getApp(appId: string) {
      const app = await store.findApp(db, appId)
      if (!app) throw appNotFound({ appId })
      return { appId: app.id, name: app.name, tokenMode: app.token_mode, createdAt: app.created_at }
    },

    /** The decrypted secret, for WeChat calls only: never log it or return it. */
    async credentials(appId: string) {
      const app = await store.findApp(db, appId)
      if (!app) throw appNotFound({ appId })
      return { appid: app.id, secret: secrets.open(app.secret_enc), tokenMode: app.token_mode }
    },

    async rotateSecret(appId: string, secret: string) {
      await this.getApp(appId)
      await store.updateSecret(db, appId, secrets.seal(secret))
    },

    /** Issues a key; the plain key is in the answer once and never again. */
    async issueApiKey(appId: string, scope: 'app' | 'admin' = 'app') {
      await this.getApp(appId)
      const apiKey = newSecret(scope === 'admin' ? 'wxpa' : 'wxpk')
      const id = newId('key')
      await store.insertApiKey(db, {
        id,
        appId,
        keyHash: hashSecret(apiKey),
        prefix: apiKey.slice(0, 9),
        scope,
      })
      return { id, apiKey, scope }
    },

    async checkApiKey(apiKey: string) {
      const key = await store.findLiveApiKey(db, hashSecret(apiKey))
      if (!key) throw apiKeyInvalid()
      if (!key.last_used_at || Date.now() - key.last_used_at.getTime() > TOUCH_EVERY_MS)
        await store.touchApiKey(db, key.id)
      return { keyId: key.id, appId: key.app_id, scope: key.scope }
    },

    listApps: () => store.listApps(db),
    listApiKeys: (appId: string) => store.listApiKeys(db, appId),
    revokeApiKey: (appId: string, keyId: string) => store.revokeApiKey(db, appId, keyId),
  }
}

export type AppsRegistry = ReturnType<typeof createAppsRegistry>
