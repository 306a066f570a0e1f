// Per-app message push configuration: what was entered in the mini program's 消息推送配置 (Token,
// EncodingAESKey, 消息加密方式, 数据格式). Token and key are sealed at rest and never answered back.
import type { AppsRegistry } from '../apps/apps.registry.ts'
import type { Db } from '../db/db.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { callbackConfigInvalid, callbackNotConfigured } from './callbacks.errors.ts'
import type { CallbackFormat, CallbackMode, CallbacksStore } from './callbacks.store.ts'

export interface CallbackSettings {
  token: string
  encodingAesKey: string | null
  mode: CallbackMode
  format: CallbackFormat
}

type Row = NonNullable<Awaited<ReturnType<CallbacksStore['findConfig']>>>

function view(row: Row) {
  return {
    appId: row.app_id,
    mode: row.mode,
    format: row.format,
    tokenSet: true,
    encodingAesKeySet: row.encoding_aes_key_enc !== null,
    updatedAt: row.updated_at.toISOString(),
  }
}

export type CallbackConfigView = ReturnType<typeof view>

export function createCallbackConfigs(deps: {
  db: Db
  store: CallbacksStore
  secrets: SecretBox
  apps: AppsRegistry
}) {
  const { db, store, secrets } = deps
  return {
    /** Sets the configuration; an omitted token or key keeps the stored one. */
    async set(p: {
      appId: string
      token?: string | undefined
      encodingAesKey?: string | undefined
      mode: CallbackMode
      format: CallbackFormat
    }): Promise<CallbackConfigView> {
      await deps.apps.getApp(p.appId)
      const old = await store.findConfig(db, p.appId)
      const tokenEnc = p.token !== undefined ? secrets.seal(p.token) : old?.token_enc
      if (!tokenEnc) throw callbackConfigInvalid({ field: 'token', rule: 'required' })
      const keyEnc =
        p.encodingAesKey !== undefined ? secrets.seal(p.encodingAesKey) : (old?.encoding_aes_key_enc ?? null)
      if (p.mode !== 'plain' && keyEnc === null)
        throw callbackConfigInvalid({ field: 'encodingAesKey', rule: 'required', mode: p.mode })
      const row = await store.upsertConfig(db, {
        appId: p.appId,
        tokenEnc,
        encodingAesKeyEnc: keyEnc,
        mode: p.mode,
        format: p.format,
      })
      return view(row)
    },

    async get(appId: string): Promise<CallbackConfigView> {
      const row = await store.findConfig(db, appId)
      if (!row) throw callbackNotConfigured({ appId })
      return view(row)
    },

    /** The opened settings, for verifying pushes only: never log or return them. */
    async load(appId: string): Promise<CallbackSettings | undefined> {
      const row = await store.findConfig(db, appId)
      if (!row) return undefined
      return {
        token: secrets.open(row.token_enc),
        encodingAesKey: row.encoding_aes_key_enc === null ? null : secrets.open(row.encoding_aes_key_enc),
        mode: row.mode,
        format: row.format,
      }
    },
  }
}

export type CallbackConfigs = ReturnType<typeof createCallbackConfigs>
