// The official-account bridge (docs/channels.md): link an official account to an app (its AppSecret
// and Token sealed at rest, checked with WeChat before anything is kept), read its followers with
// their unionid, give its access_token to the dispatcher, say per user whether the fallback can apply,
// and write the fallback message when it does.
//
// The official account's access_token is cached per process (in memory) and fetched with
// stable_token, which answers the same token to every process while it is valid.
import type { WechatClient, WechatResult } from '@wxpush/wechat'
import { OFFICIAL_ACCOUNT_BATCH_MAX } from '@wxpush/wechat'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import type { SecretBox } from '../secrets/secrets.box.ts'
import { withTokenRetry } from '../tokens/tokens.retry.ts'
import { noLinkedAccount, officialAccountRefused, wechatFailed } from './channels.errors.ts'
import type { FollowerRow, OfficialAccountStore } from './official-account.store.ts'

/** Why the fallback cannot apply to a user, or 'applies'. */
export type FallbackState =
  'applies' | 'no_linked_account' | 'no_unionid' | 'unknown_follower' | 'not_follower'

export interface OfficialAccountMessage {
  templateId: string
  data: Record<string, string>
  url?: string | undefined
  page?: string | undefined
}

const REFRESH_MARGIN_MS = 300_000

export function createOfficialAccounts(deps: {
  db: Db
  store: OfficialAccountStore
  secrets: SecretBox
  wechat: WechatClient
}) {
  const { db, store, wechat } = deps
  const cache = new Map<string, { token: string; expiresAt: number; oaAppid: string }>()

  async function fetchToken(appId: string, forceRefresh: boolean): Promise<string> {
    const link = await store.find(db, appId)
    if (!link) throw noLinkedAccount({ field: 'fallback' })
    const answer = await wechat.getStableAccessToken({
      appid: link.oa_appid,
      secret: deps.secrets.open(link.secret_enc),
      ...(forceRefresh ? { forceRefresh } : {}),
    })
    if (!answer.ok) throw wechatFailed({ errcode: answer.errcode, api: 'stable_token (official account)' })
    cache.set(appId, {
      token: answer.accessToken,
      expiresAt: Date.now() + answer.expiresIn * 1000,
      oaAppid: link.oa_appid,
    })
    return answer.accessToken
  }

  /** The official account's token source, in the shape withTokenRetry takes. */
  const tokens = {
    async get(appId: string): Promise<string> {
      const c = cache.get(appId)
      if (c && c.expiresAt - REFRESH_MARGIN_MS > Date.now()) return c.token
      return fetchToken(appId, false)
    },
    async refreshAfterFailure(appId: string, token: string): Promise<string> {
      const c = cache.get(appId)
      if (c && c.token !== token) return c.token
      cache.delete(appId)
      return fetchToken(appId, true)
    },
  }

  function view(link: NonNullable<Awaited<ReturnType<OfficialAccountStore['find']>>>) {
    return {
      linked: true as const,
      officialAccount: link.oa_appid,
      linkedAt: new Date(link.updated_at).toISOString(),
      followersSyncedAt: link.followers_synced_at ? new Date(link.followers_synced_at).toISOString() : null,
    }
  }

  return {
    tokens,

    /** Checks the AppID / AppSecret with WeChat (a token is fetched), then keeps them sealed. */
    async link(appId: string, p: { appId: string; secret: string; token: string }) {
      const answer = await wechat.getStableAccessToken({ appid: p.appId, secret: p.secret })
      if (!answer.ok) throw officialAccountRefused({ field: 'secret', errcode: answer.errcode })
      await store.link(db, {
        appId,
        oaAppid: p.appId,
        secretEnc: deps.secrets.seal(p.secret),
        tokenEnc: deps.secrets.seal(p.token),
      })
      cache.set(appId, {
        token: answer.accessToken,
        expiresAt: Date.now() + answer.expiresIn * 1000,
        oaAppid: p.appId,
      })
      return view((await store.find(db, appId))!)
    },

    async get(appId: string) {
      const link = await store.find(db, appId)
      return link ? view(link) : { linked: false as const }
    },

    async unlink(appId: string): Promise<void> {
      cache.delete(appId)
      await store.unlink(db, appId)
    },

    /** Reads every follower (user/get pages, user/info/batchget by 100) and keeps them by unionid. */
    async syncFollowers(appId: string) {
      if (!(await store.find(db, appId))) throw noLinkedAccount({ field: 'appId' })
      const call = <T>(fn: (accessToken: string) => Promise<WechatResult<T>>) =>
        withTokenRetry(tokens, appId, fn)
      const openids: string[] = []
      let next = ''
      for (;;) {
        const page = await call((accessToken) =>
          wechat.listOfficialAccountFollowers({ accessToken, nextOpenid: next }),
        )
        if (!page.ok) throw wechatFailed({ errcode: page.errcode, api: 'user/get' })
        openids.push(...page.openids)
        if (page.nextOpenid === '' || page.openids.length === 0) break
        next = page.nextOpenid
      }
      const followers: FollowerRow[] = []
      let withoutUnionid = 0
      for (let i = 0; i < openids.length; i += OFFICIAL_ACCOUNT_BATCH_MAX) {
        const batch = openids.slice(i, i + OFFICIAL_ACCOUNT_BATCH_MAX)
        const info = await call((accessToken) =>
          wechat.officialAccountUserInfo({ accessToken, openids: batch }),
        )
        if (!info.ok) throw wechatFailed({ errcode: info.errcode, api: 'user/info/batchget' })
        for (const u of info.users) {
          if (u.unionid)
            followers.push({ unionid: u.unionid, openid: u.openid, following: u.subscribe === 1 })
          else withoutUnionid++
        }
      }
      const at = new Date()
      await store.replaceFollowers(db, { appId, followers, at })
      return {
        followers: openids.length,
        matchedByUnionid: followers.length,
        withoutUnionid,
        syncedAt: at.toISOString(),
      }
    },

    /** Whether the fallback can reach this user, and why not. */
    async stateOf(appId: string, recipient: { openid: string } | { userId: string }) {
      const link = await store.find(db, appId)
      const user = await store.userWithFollower(db, { appId, recipient })
      if (!user) return undefined
      const state: FallbackState = !link
        ? 'no_linked_account'
        : !user.unionid
          ? 'no_unionid'
          : user.following === null
            ? 'unknown_follower'
            : user.following
              ? 'applies'
              : 'not_follower'
      return {
        userId: user.userId,
        unionid: user.unionid,
        follower: user.following,
        followerOpenid: user.followerOpenid,
        checkedAt: user.checkedAt ? new Date(user.checkedAt).toISOString() : null,
        officialAccount: link?.oa_appid ?? null,
        fallback: state,
      }
    },

    /**
     * Writes the fallback message when the user follows the linked account; answers why not otherwise.
     * `written: false` with a state 'applies' means the idempotency key was already used.
     */
    async enqueue(p: {
      appId: string
      recipient: { openid: string } | { userId: string }
      message: OfficialAccountMessage
      idempotencyKey: string | null
    }) {
      const s = await this.stateOf(p.appId, p.recipient)
      if (!s || s.fallback !== 'applies') return { id: null, state: s?.fallback ?? null }
      const id = newId('msg')
      const written = await store.enqueue(db, {
        id,
        appId: p.appId,
        userId: s.userId,
        openid: s.followerOpenid!,
        templateId: p.message.templateId,
        data: p.message.data,
        content: {
          ...(p.message.url ? { url: p.message.url } : {}),
          ...(p.message.page ? { miniprogram: { appid: p.appId, pagepath: p.message.page } } : {}),
        },
        idempotencyKey: p.idempotencyKey,
        now: new Date(),
      })
      return { id: written ? id : null, state: s.fallback }
    },
  }
}

export type OfficialAccounts = ReturnType<typeof createOfficialAccounts>
