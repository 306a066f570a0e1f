// POST /v1/campaigns, GET /v1/campaigns[/:id], POST /v1/campaigns/:id/recipients (NDJSON or CSV,
// streamed), POST /v1/campaigns/:id/start | pause | resume | cancel.
import type { Readable } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { Db } from '../db/db.ts'
import { wantsEnglish } from '../http/http.error-handler.ts'
import { appOf } from '../http/auth.ts'
import type { Audience } from './campaigns.audience.ts'
import { uploadContentType } from './campaigns.errors.ts'
import type { CampaignAction, CampaignLifecycle } from './campaigns.lifecycle.ts'
import { campaignProgress } from './campaigns.progress.ts'
import {
  CampaignIdParams,
  CampaignListView,
  CampaignView,
  CreateCampaignBody,
  CreatedCampaignView,
  ListCampaignsQuery,
  UploadView,
} from './campaigns.schemas.ts'
import { doc } from '../http/openapi.ts'
import type { CampaignsStore } from './campaigns.store.ts'

const ACTION_TEXT: Record<CampaignAction, { zh: string; en: string }> = {
  start: { zh: '开始群发', en: 'Start a campaign' },
  pause: { zh: '暂停群发', en: 'Pause a campaign' },
  resume: { zh: '继续群发', en: 'Resume a campaign' },
  cancel: { zh: '取消群发', en: 'Cancel a campaign' },
}

const UPLOAD_TYPES = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' } as const

export function campaignsRoutes(deps: {
  db: Db
  store: CampaignsStore
  audience: Audience
  lifecycle: CampaignLifecycle
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  const { db, store } = deps
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)
    // Uploads are read as a stream by the handler, never buffered whole.
    app.addContentTypeParser(Object.keys(UPLOAD_TYPES), (_request, payload, done) => done(null, payload))

    app.post<{ Body: CreateCampaignBody }>(
      '/v1/campaigns',
      // 100 000 inline openids of ~30 bytes: a few MiB.
      {
        schema: {
          ...doc({
            tag: 'campaigns',
            auth: 'apiKey',
            zh: '创建群发',
            en: 'Create a campaign',
            notes:
              '201：已创建；200：同一 idempotencyKey 的已有群发。/ 201: created; 200: the campaign already created under the same idempotencyKey.',
          }),
          body: CreateCampaignBody,
          response: { 200: CreatedCampaignView, 201: CreatedCampaignView },
        },
        bodyLimit: 8 * 1024 * 1024,
      },
      async (request, reply) => {
        const r = await deps.audience.create(appOf(request), request.body)
        return reply.status(r.duplicate ? 200 : 201).send({ id: r.id, status: r.status })
      },
    )

    app.get<{ Params: Static<typeof CampaignIdParams> }>(
      '/v1/campaigns/:id',
      {
        schema: {
          ...doc({
            tag: 'campaigns',
            auth: 'apiKey',
            zh: '查询群发及其进度',
            en: 'A campaign and its progress',
          }),
          params: CampaignIdParams,
          response: { 200: CampaignView },
        },
      },
      async (request) => deps.lifecycle.view(appOf(request), request.params.id),
    )

    app.get<{ Querystring: Static<typeof ListCampaignsQuery> }>(
      '/v1/campaigns',
      {
        schema: {
          ...doc({
            tag: 'campaigns',
            auth: 'apiKey',
            zh: '列出群发（新的在前）',
            en: 'List campaigns, newest first',
          }),
          querystring: ListCampaignsQuery,
          response: { 200: CampaignListView },
        },
      },
      async (request) => {
        const q = request.query
        const limit = q.limit ?? 20
        const before = q.cursor ? decodeCursor(q.cursor) : undefined
        const rows = await store.list(db, {
          appId: appOf(request),
          status: q.status,
          ...(before ? { before } : {}),
          limit,
        })
        const items = []
        for (const c of rows) items.push(await campaignProgress(db, store, c))
        const last = rows.at(-1)
        return {
          items,
          nextCursor:
            rows.length === limit && last
              ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url')
              : null,
        }
      },
    )

    app.post<{ Params: Static<typeof CampaignIdParams> }>(
      '/v1/campaigns/:id/recipients',
      {
        schema: {
          ...doc({
            tag: 'campaigns',
            auth: 'apiKey',
            zh: '上传收件人（NDJSON 或 CSV，流式读取）',
            en: 'Upload recipients (NDJSON or CSV, streamed)',
          }),
          params: CampaignIdParams,
          consumes: Object.keys(UPLOAD_TYPES),
          response: { 200: UploadView },
        },
      },
      async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
        const format = UPLOAD_TYPES[type as keyof typeof UPLOAD_TYPES]
        if (!format) throw uploadContentType({ contentType: type, accepted: Object.keys(UPLOAD_TYPES) })
        return deps.audience.upload({
          appId: appOf(request),
          id: request.params.id,
          format,
          body: request.body as Readable,
          english: wantsEnglish(request),
        })
      },
    )

    for (const action of ['start', 'pause', 'resume', 'cancel'] as CampaignAction[]) {
      app.post<{ Params: Static<typeof CampaignIdParams> }>(
        `/v1/campaigns/:id/${action}`,
        {
          schema: {
            ...doc({ tag: 'campaigns', auth: 'apiKey', ...ACTION_TEXT[action] }),
            params: CampaignIdParams,
            response: { 200: CampaignView },
          },
        },
        async (request) => deps.lifecycle.act(appOf(request), request.params.id, action),
      )
    }
  }
}

function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(at ?? '')
  if (!id || Number.isNaN(createdAt.getTime())) return undefined
  return { createdAt, id }
}
