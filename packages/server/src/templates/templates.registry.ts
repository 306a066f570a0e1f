// The template registry: pulled from WeChat (gettemplate), parsed into typed keywords (with the enum
// values of keywordEnumValueList), resolved by the team's alias or WeChat's id. `library` reaches
// WeChat's public library and adds or deletes private templates (templates.library.ts).
import type { WechatClient, WechatTemplate } from '@wxpush/wechat'
import { describeErrcode, parseTemplateContent, WechatTransportError, withEnumValues } from '@wxpush/wechat'
import type { TemplateKeyword } from '../db/db.schema.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { withTokenRetry } from '../tokens/tokens.retry.ts'
import { aliasTaken, templateNotFound, templateSyncFailed } from './templates.errors.ts'
import { createTemplateLibrary } from './templates.library.ts'
import type { TemplateRow, TemplatesStore } from './templates.store.ts'
import type { Db } from '../db/db.ts'

/** Postgres' unique_violation: two requests gave the same alias at the same moment. */
const UNIQUE_VIOLATION = '23505'

export function keywordsOf(t: WechatTemplate): TemplateKeyword[] {
  return withEnumValues(parseTemplateContent(t.content), t.keywordEnumValueList).map((k) => ({
    key: k.key,
    type: k.type,
    name: k.name ?? k.key,
    ...(k.enumValues ? { enumValues: k.enumValues } : {}),
  }))
}

// resolve() runs for every message: a lookup is kept this long in the process. A change made here
// (sync, alias, delete) drops it at once; one made by another process is seen within this time.
const RESOLVE_CACHE_MS = 5_000

export function createTemplateRegistry(deps: {
  db: Db
  store: TemplatesStore
  wechat: WechatClient
  tokens: TokenProvider
}) {
  const cache = new Map<string, { until: number; template: TemplateRow }>()
  const forget = (appId: string) => {
    for (const key of cache.keys()) if (key.startsWith(`${appId}\u0000`)) cache.delete(key)
  }

  async function sync(appId: string) {
    let answer
    try {
      answer = await withTokenRetry(deps.tokens, appId, (accessToken) =>
        deps.wechat.getTemplates({ accessToken }),
      )
    } catch (err) {
      if (err instanceof WechatTransportError)
        throw templateSyncFailed({ transport: err.kind }, { cause: err })
      throw err
    }
    if (!answer.ok) {
      const info = describeErrcode(answer.errcode)
      throw templateSyncFailed({ errcode: answer.errcode, explanation: { zh: info.zh, en: info.en } })
    }
    for (const t of answer.data) {
      await deps.store.upsert(deps.db, {
        appId,
        id: t.priTmplId,
        title: t.title,
        kind: t.type === 3 ? 'long_term' : 'one_time',
        content: t.content,
        example: t.example ?? '',
        keywords: keywordsOf(t),
      })
    }
    const removed = await deps.store.markMissingDeleted(
      deps.db,
      appId,
      answer.data.map((t) => t.priTmplId),
    )
    forget(appId)
    return { synced: answer.data.length, removed }
  }

  async function resolve(appId: string, ref: string): Promise<TemplateRow> {
    const key = `${appId}\u0000${ref}`
    const hit = cache.get(key)
    if (hit && hit.until > Date.now()) return hit.template
    const t = await deps.store.findByAliasOrId(deps.db, appId, ref)
    if (!t) throw templateNotFound({ template: ref })
    if (cache.size > 10_000) cache.clear()
    cache.set(key, { until: Date.now() + RESOLVE_CACHE_MS, template: t })
    return t
  }

  async function setAlias(appId: string, id: string, alias: string | null) {
    if (alias) {
      const holder = await deps.store.findByAliasOrId(deps.db, appId, alias)
      if (holder && holder.id !== id) throw aliasTaken({ alias, template: holder.id })
    }
    let updated: boolean
    try {
      updated = await deps.store.setAlias(deps.db, appId, id, alias)
    } catch (err) {
      if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) throw aliasTaken({ alias }, { cause: err })
      throw err
    }
    if (!updated) throw templateNotFound({ template: id })
    forget(appId)
  }

  return {
    sync,
    resolve,
    list: (appId: string) => deps.store.list(deps.db, appId),
    setAlias,
    library: createTemplateLibrary({ ...deps, sync, setAlias, resolve, forget }),
  }
}

export type TemplateRegistry = ReturnType<typeof createTemplateRegistry>
