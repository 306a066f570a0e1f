// wx.login code → openid (jscode2session) → our user and our own session token.
// The session_key stays on the server, sealed; the mini program gets only our token.
import type { WechatClient } from '@wxpush/wechat'
import { describeErrcode, WechatTransportError } from '@wxpush/wechat'
import type { AppsRegistry } from '../apps/apps.registry.ts'
import { newSecret } from '../ids.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { hashSecret } from '../secrets/secrets.box.ts'
import {
  loginCodeInvalid,
  loginCodeUsed,
  loginFailed,
  loginTooFrequent,
  loginUserBlocked,
  loginWechatTimeout,
  loginWechatUnavailable,
  sessionInvalid,
} from './users.errors.ts'
import type { UsersStore } from './users.store.ts'
import type { Db } from '../db/db.ts'

const LOGIN_ERRORS = new Map([
  [40029, loginCodeInvalid],
  [40163, loginCodeUsed],
  [45011, loginTooFrequent],
  [40226, loginUserBlocked],
])

export function createLogin(deps: {
  db: Db
  store: UsersStore
  apps: AppsRegistry
  wechat: WechatClient
  secrets: SecretBox
  sessionTtlS: number
}) {
  return {
    async login(p: { appId: string; code: string }) {
      const creds = await deps.apps.credentials(p.appId)
      let answer
      try {
        answer = await deps.wechat.code2Session({ appid: creds.appid, secret: creds.secret, code: p.code })
      } catch (err) {
        if (!(err instanceof WechatTransportError)) throw err
        const details = { transport: err.kind, ...(err.status ? { httpStatus: err.status } : {}) }
        throw (err.kind === 'timeout' ? loginWechatTimeout : loginWechatUnavailable)(details, { cause: err })
      }
      if (!answer.ok) {
        const known = LOGIN_ERRORS.get(answer.errcode)
        if (known) throw known({ errcode: answer.errcode })
        const info = describeErrcode(answer.errcode)
        throw loginFailed({ errcode: answer.errcode, explanation: { zh: info.zh, en: info.en } })
      }
      const user = await deps.store.upsertOnLogin(deps.db, {
        appId: p.appId,
        openid: answer.openid,
        unionid: answer.unionid ?? null,
        sessionKeyEnc: deps.secrets.seal(answer.sessionKey),
      })
      const token = newSecret('wxps')
      const expiresAt = new Date(Date.now() + deps.sessionTtlS * 1000)
      await deps.store.insertSession(deps.db, {
        tokenHash: hashSecret(token),
        userId: user.id,
        appId: p.appId,
        expiresAt,
      })
      return { token, userId: user.id, openid: user.openid, expiresAt }
    },

    async checkSession(token: string) {
      const s = await deps.store.findLiveSession(deps.db, hashSecret(token))
      if (!s) throw sessionInvalid()
      return { userId: s.user_id, appId: s.app_id }
    },
  }
}

export type Login = ReturnType<typeof createLogin>
