// POST /v1/campaigns, GET /v1/campaigns[/:id], POST /v1/campaigns/:id/recipients (NDJSON or CSV,
// streamed), POST /v1/campaigns/:id/start | pause | resume | cancel.
import type { Readable } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import { wantsEnglish } from '../http/http.error-handler.ts'
import { appOf } from '../http/auth.ts'
import type { Audience } from './campaigns.audience.ts'
import { uploadContentType } from './campaigns.errors.ts'
import type { CampaignAction, CampaignLifecycle } from './campaigns.lifecycle.ts'
import { CampaignIdParams, CreateCampaignBody, ListCampaignsQuery } from './campaigns.schemas.ts'

const UPLOAD_TYPES = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' } as const

export function campaignsRoutes(deps: {
  audience: Audience
  lifecycle: CampaignLifecycle
  requireApiKey: (r: FastifyRequest) => Promise<void>
}) {
  return async function (app: FastifyInstance) {
    app.addHook('preValidation', deps.requireApiKey)
    // Uploads are read as a stream by the handler, never buffered whole.
    app.addContentTypeParser(Object.keys(UPLOAD_TYPES), (_request, payload, done) => done(null, payload))

    app.post<{ Body: CreateCampaignBody }>(
      '/v1/campaigns',
      // 100 000 inline openids of ~30 bytes: a few MiB.
      { schema: { body: CreateCampaignBody }, bodyLimit: 8 * 1024 * 1024 },
      async (request, reply) => {
        const r = await deps.audience.create(appOf(request), request.body)
        return reply.status(r.duplicate ? 200 : 201).send({ id: r.id, status: r.status })
      },
    )

    app.get<{ Params: Static<typeof CampaignIdParams> }>(
      '/v1/campaigns/:id',
      { schema: { params: CampaignIdParams } },
      async (request) => deps.lifecycle.view(appOf(request), request.params.id),
    )

    app.get<{ Querystring: Static<typeof ListCampaignsQuery> }>(
      '/v1/campaigns',
      { schema: { querystring: ListCampaignsQuery } },
      async (request) => {
        const q = request.query
        return deps.lifecycle.list(appOf(request), {
          status: q.status,
          cursor: q.cursor,
          limit: q.limit ?? 20,
        })
      },
    )

    app.post<{ Params: Static<typeof CampaignIdParams> }>(
      '/v1/campaigns/:id/recipients',
      { schema: { params: CampaignIdParams } },
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
        { schema: { params: CampaignIdParams } },
        async (request) => deps.lifecycle.act(appOf(request), request.params.id, action),
      )
    }
  }
}
