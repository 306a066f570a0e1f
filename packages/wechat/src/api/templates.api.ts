// Subscription template management under /wxaapi/newtmpl/. Source: docs/wechat.md §5.

import { WECHAT_PATHS } from '../facts.ts'
import type { Transport } from './transport.ts'
import { list, num, str, toResult, type WechatResult } from './result.ts'

export interface WechatTemplate {
  priTmplId: string
  title: string
  /** '商品名称:{{thing1.DATA}}\n金额:{{amount3.DATA}}' — parse it with parseTemplateContent. */
  content: string
  example: string
  /** 2 one-time, 3 long-term. */
  type: number
  keywordEnumValueList?: { keywordCode: string; enumValueList: string[] }[]
}

function toTemplate(r: Record<string, unknown>): WechatTemplate {
  const template: WechatTemplate = {
    priTmplId: str(r['priTmplId']) ?? '',
    title: str(r['title']) ?? '',
    content: str(r['content']) ?? '',
    example: str(r['example']) ?? '',
    type: num(r['type']) ?? 0,
  }
  if (Array.isArray(r['keywordEnumValueList'])) {
    template.keywordEnumValueList = list(r['keywordEnumValueList']).map((k) => ({
      keywordCode: str(k['keywordCode']) ?? '',
      enumValueList: Array.isArray(k['enumValueList']) ? k['enumValueList'].map((v) => String(v)) : [],
    }))
  }
  return template
}

export function templatesApi(transport: Transport) {
  const token = (accessToken: string) => ({ access_token: accessToken })
  return {
    async getCategory(p: {
      accessToken: string
    }): Promise<WechatResult<{ data: { id: number; name: string }[] }>> {
      const path = WECHAT_PATHS.templateCategory
      const raw = await transport.call({ method: 'GET', path, query: token(p.accessToken) })
      return toResult(raw, path, (r) => ({
        data: list(r['data']).map((c) => ({ id: num(c['id']) ?? 0, name: str(c['name']) ?? '' })),
      }))
    },

    /** Public library titles of the given categories. `limit` ≤ 30; ids are sent comma-joined, unquoted. */
    async getPubTemplateTitles(p: {
      accessToken: string
      ids: number[]
      start: number
      limit: number
      keyword?: string
    }): Promise<
      WechatResult<{
        count: number
        data: { tid: number; title: string; type: number; categoryId: string }[]
      }>
    > {
      const path = WECHAT_PATHS.pubTemplateTitles
      const raw = await transport.call({
        method: 'GET',
        path,
        query: {
          ...token(p.accessToken),
          ids: p.ids.join(','),
          start: p.start,
          limit: p.limit,
          keyword: p.keyword,
        },
      })
      return toResult(raw, path, (r) => ({
        count: num(r['count']) ?? 0,
        data: list(r['data']).map((t) => ({
          tid: num(t['tid']) ?? 0,
          title: str(t['title']) ?? '',
          type: num(t['type']) ?? 0,
          // The official example sends it as a string ("616") although the table types it as a number.
          categoryId: str(t['categoryId']) ?? '',
        })),
      }))
    },

    /** Keywords of a public template; `rule` is the keyword type (thing, time, …). */
    async getPubTemplateKeywords(p: {
      accessToken: string
      tid: number
    }): Promise<
      WechatResult<{ count: number; data: { kid: number; name: string; example: string; rule: string }[] }>
    > {
      const path = WECHAT_PATHS.pubTemplateKeywords
      const raw = await transport.call({
        method: 'GET',
        path,
        query: { ...token(p.accessToken), tid: p.tid },
      })
      return toResult(raw, path, (r) => ({
        count: num(r['count']) ?? 0,
        data: list(r['data']).map((k) => ({
          kid: num(k['kid']) ?? 0,
          name: str(k['name']) ?? '',
          example: str(k['example']) ?? '',
          rule: str(k['rule']) ?? '',
        })),
      }))
    },

    /** Adds a private template from 2–5 keywords (kidList); sceneDesc ≤ 15 characters. */
    async addTemplate(p: {
      accessToken: string
      tid: number
      kidList: number[]
      sceneDesc?: string
    }): Promise<WechatResult<{ priTmplId: string }>> {
      const path = WECHAT_PATHS.addTemplate
      // tid as a string, as in the official sample body ({"tid":"401","kidList":[1,2],…}).
      const body = {
        tid: String(p.tid),
        kidList: p.kidList,
        ...(p.sceneDesc === undefined ? {} : { sceneDesc: p.sceneDesc }),
      }
      const raw = await transport.call({ method: 'POST', path, query: token(p.accessToken), body })
      return toResult(raw, path, (r) => {
        const priTmplId = str(r['priTmplId'])
        return priTmplId === undefined ? undefined : { priTmplId }
      })
    },

    async deleteTemplate(p: { accessToken: string; priTmplId: string }): Promise<WechatResult<object>> {
      const path = WECHAT_PATHS.deleteTemplate
      const raw = await transport.call({
        method: 'POST',
        path,
        query: token(p.accessToken),
        body: { priTmplId: p.priTmplId },
      })
      return toResult(raw, path, () => ({}))
    },

    async getTemplates(p: { accessToken: string }): Promise<WechatResult<{ data: WechatTemplate[] }>> {
      const path = WECHAT_PATHS.getTemplates
      const raw = await transport.call({ method: 'GET', path, query: token(p.accessToken) })
      return toResult(raw, path, (r) => ({ data: list(r['data']).map(toTemplate) }))
    },
  }
}
