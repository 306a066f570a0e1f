// WeChat's public template library and the app's private templates, through /wxaapi/newtmpl/:
// browse categories, titles and keywords; add a private template (then sync it and give it an
// alias); delete one. WeChat's refusals keep their errcode and the catalogue's zh/en explanation:
//   a catalogued permanent errcode (200011–200021, 40037 …)  → 422 templates.wechat_refused
//   busy, quota, token, transport, an uncatalogued errcode    → 502 templates.wechat_failed
import type { WechatClient, WechatFail, WechatOk, WechatResult } from '@wxpush/wechat'
import { describeErrcode, WechatTransportError } from '@wxpush/wechat'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { withTokenRetry } from '../tokens/tokens.retry.ts'
import { aliasTaken, templateSyncFailed, wechatFailed, wechatRefused } from './templates.errors.ts'
import type { TemplateRow, TemplatesStore } from './templates.store.ts'
import type { Db } from '../db/db.ts'

/** What deltemplate answers for a template WeChat no longer has (the simulator's choice; assumed). */
const TEMPLATE_GONE = 40037

type Kind = 'one_time' | 'long_term'
const kindOf = (type: number): Kind => (type === 3 ? 'long_term' : 'one_time')

function refusal(operation: string, answer: WechatFail) {
  const info = describeErrcode(answer.errcode)
  const details = {
    operation,
    errcode: answer.errcode,
    errmsg: answer.errmsg,
    explanation: { zh: info.zh, en: info.en },
  }
  return info.kind === 'permanent' && info.reason !== 'wechat_error'
    ? wechatRefused(details)
    : wechatFailed(details)
}

export function createTemplateLibrary(deps: {
  db: Db
  store: TemplatesStore
  wechat: WechatClient
  tokens: TokenProvider
  /** The registry's sync and setAlias (passed in: the registry builds this library). */
  sync: (appId: string) => Promise<{ synced: number; removed: number }>
  setAlias: (appId: string, id: string, alias: string | null) => Promise<void>
  resolve: (appId: string, ref: string) => Promise<TemplateRow>
  /** Drops this process's cached lookups of the app's templates. */
  forget: (appId: string) => void
}) {
  async function ask<T>(
    appId: string,
    operation: string,
    call: (accessToken: string) => Promise<WechatResult<T>>,
  ): Promise<WechatResult<T>> {
    try {
      return await withTokenRetry(deps.tokens, appId, call)
    } catch (err) {
      if (err instanceof WechatTransportError)
        throw wechatFailed({ operation, transport: err.kind }, { cause: err })
      throw err
    }
  }

  async function must<T>(
    appId: string,
    operation: string,
    call: (accessToken: string) => Promise<WechatResult<T>>,
  ): Promise<WechatOk<T>> {
    const answer = await ask(appId, operation, call)
    if (!answer.ok) throw refusal(operation, answer)
    return answer
  }

  async function categories(appId: string) {
    const r = await must(appId, 'getcategory', (accessToken) => deps.wechat.getCategory({ accessToken }))
    return { items: r.data.map((c) => ({ id: c.id, name: c.name })) }
  }

  return {
    categories,

    /** Public titles of the given categories; without ids, of every category the app has. */
    async titles(appId: string, q: { ids?: number[]; start: number; limit: number; keyword?: string }) {
      const ids = q.ids ?? (await categories(appId)).items.map((c) => c.id)
      if (ids.length === 0) return { count: 0, items: [] }
      const r = await must(appId, 'getpubtemplatetitles', (accessToken) =>
        deps.wechat.getPubTemplateTitles({
          accessToken,
          ids,
          start: q.start,
          limit: q.limit,
          ...(q.keyword === undefined ? {} : { keyword: q.keyword }),
        }),
      )
      return {
        count: r.count,
        items: r.data.map((t) => ({
          tid: t.tid,
          title: t.title,
          kind: kindOf(t.type),
          categoryId: t.categoryId,
        })),
      }
    },

    async keywords(appId: string, tid: number) {
      const r = await must(appId, 'getpubtemplatekeywords', (accessToken) =>
        deps.wechat.getPubTemplateKeywords({ accessToken, tid }),
      )
      return {
        tid,
        count: r.count,
        // WeChat calls the keyword type `rule`; the registry calls it `type`.
        items: r.data.map((k) => ({ kid: k.kid, name: k.name, example: k.example, type: k.rule })),
      }
    },

    /** addtemplate → sync → alias. The alias is checked first, so a taken one creates nothing. */
    async add(appId: string, p: { tid: number; kidList: number[]; sceneDesc?: string; alias?: string }) {
      if (p.alias !== undefined) {
        const holder = await deps.store.findByAliasOrId(deps.db, appId, p.alias)
        if (holder) throw aliasTaken({ alias: p.alias, template: holder.id })
      }
      const added = await must(appId, 'addtemplate', (accessToken) =>
        deps.wechat.addTemplate({
          accessToken,
          tid: p.tid,
          kidList: p.kidList,
          ...(p.sceneDesc === undefined ? {} : { sceneDesc: p.sceneDesc }),
        }),
      )
      await deps.sync(appId)
      if (p.alias !== undefined) await deps.setAlias(appId, added.priTmplId, p.alias)
      const row = await deps.store.findByAliasOrId(deps.db, appId, added.priTmplId)
      if (!row)
        throw templateSyncFailed({
          template: added.priTmplId,
          reason: 'not listed by gettemplate after addtemplate',
        })
      return row
    },

    /** deltemplate, then the row is marked deleted (old messages still refer to it). */
    async remove(appId: string, ref: string) {
      const t = await deps.resolve(appId, ref)
      const answer = await ask(appId, 'deltemplate', (accessToken) =>
        deps.wechat.deleteTemplate({ accessToken, priTmplId: t.id }),
      )
      // Deleted at WeChat already (in WeChat's own console, say): the registry catches up.
      if (!answer.ok && answer.errcode !== TEMPLATE_GONE) throw refusal('deltemplate', answer)
      await deps.store.markDeleted(deps.db, appId, t.id)
      deps.forget(appId)
      return { id: t.id, alias: t.alias, deleted: true }
    },
  }
}
