// The template registry: pulled from WeChat (gettemplate), parsed into typed keywords, resolved by
// the team's alias or WeChat's id.
import type { WechatClient } from '@wxpush/wechat'
import { describeErrcode, parseTemplateContent } from '@wxpush/wechat'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { withTokenRetry } from '../tokens/tokens.retry.ts'
import { aliasTaken, templateNotFound, templateSyncFailed } from './templates.errors.ts'
import type { TemplatesStore } from './templates.store.ts'

export function createTemplateRegistry(deps: {
  store: TemplatesStore
  wechat: WechatClient
  tokens: TokenProvider
}) {
  return {
    async sync(appId: string) {
      const answer = await withTokenRetry(deps.tokens, appId, (accessToken) =>
        deps.wechat.getTemplates({ accessToken }),
      )
      if (!answer.ok) {
        const info = describeErrcode(answer.errcode)
        throw templateSyncFailed({ errcode: answer.errcode, explanation: { zh: info.zh, en: info.en } })
      }
      for (const t of answer.data) {
        const enums = new Map(
          (t.keywordEnumValueList ?? []).map((e) => [e.keywordCode.replace(/\.DATA$/, ''), e.enumValueList]),
        )
        const keywords = parseTemplateContent(t.content).map((k) => {
          const enumValues = enums.get(k.key)
          return { key: k.key, type: k.type, name: k.name ?? k.key, ...(enumValues ? { enumValues } : {}) }
        })
        await deps.store.upsert({
          appId,
          id: t.priTmplId,
          title: t.title,
          kind: t.type === 3 ? 'long_term' : 'one_time',
          content: t.content,
          example: t.example ?? '',
          keywords,
        })
      }
      const removed = await deps.store.markMissingDeleted(
        appId,
        answer.data.map((t) => t.priTmplId),
      )
      return { synced: answer.data.length, removed }
    },

    async resolve(appId: string, ref: string) {
      const t = await deps.store.findByAliasOrId(appId, ref)
      if (!t) throw templateNotFound({ template: ref })
      return t
    },

    list: (appId: string) => deps.store.list(appId),

    async setAlias(appId: string, id: string, alias: string | null) {
      if (alias) {
        const holder = await deps.store.findByAliasOrId(appId, alias)
        if (holder && holder.id !== id) throw aliasTaken({ alias, template: holder.id })
      }
      if (!(await deps.store.setAlias(appId, id, alias))) throw templateNotFound({ template: id })
    },
  }
}

export type TemplateRegistry = ReturnType<typeof createTemplateRegistry>
