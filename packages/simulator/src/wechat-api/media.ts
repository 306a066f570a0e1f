// Temporary media (WECHAT-REFERENCE §7.3): `POST /cgi-bin/media/upload?type=image` with the file in the
// multipart field `media`; mini programs may upload images only (40004 otherwise). The media_id lives
// 3 days; `GET /cgi-bin/media/get?media_id=` returns the file, or 40007 for an unknown or expired id.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import type { App, Media } from '../world.ts'
import { ok, queryOf, wxError } from './answer.ts'
import { authedRoute } from './route.ts'

export const MEDIA_TTL_MS = 3 * 86_400_000
const UPLOAD = '/cgi-bin/media/upload'
const GET = '/cgi-bin/media/get'

/** A 1×1 transparent PNG: what the simulated user sends as "an image". */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
)

export function storeMedia(ctx: SimContext, app: App, contentType: string, bytes: Buffer): Media {
  const media: Media = {
    mediaId: randomBytes(48).toString('base64url'),
    appid: app.appid,
    contentType,
    bytes,
    createdAt: ctx.clock.now(),
  }
  ctx.world.media.set(media.mediaId, media)
  return media
}

/** The image type from its first bytes (WeChat looks at the file, not at its name). */
export function imageTypeOf(bytes: Buffer): string | undefined {
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 6 && bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif'
  return undefined
}

/** The file of one field of a multipart/form-data body, or undefined. */
export function multipartField(body: Buffer, contentType: string, field: string): Buffer | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const boundary = m?.[1] ?? m?.[2]
  if (!boundary) return undefined
  const delimiter = Buffer.from(`--${boundary}`)
  let at = body.indexOf(delimiter)
  while (at !== -1) {
    const start = at + delimiter.length
    const next = body.indexOf(delimiter, start)
    if (next === -1) break
    const part = body.subarray(start, next)
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8')
      if (new RegExp(`name="${field}"`, 'i').test(headers)) {
        let content = part.subarray(headerEnd + 4)
        if (content.subarray(-2).toString('latin1') === '\r\n') content = content.subarray(0, -2)
        return content
      }
    }
    at = next
  }
  return undefined
}

export function registerMediaRoutes(ctx: SimContext, fastify: FastifyInstance): void {
  authedRoute(ctx, fastify, 'POST', UPLOAD, (req, app) => {
    if (queryOf(req).type !== 'image') return wxError(ctx, 40004)
    const body = req.body
    const contentType = String(req.headers['content-type'] ?? '')
    const file = Buffer.isBuffer(body) ? multipartField(body, contentType, 'media') : undefined
    if (!file || file.length === 0) return wxError(ctx, 40004)
    const type = imageTypeOf(file)
    if (!type) return wxError(ctx, 40004)
    const media = storeMedia(ctx, app, type, file)
    return ok({ type: 'image', media_id: media.mediaId, created_at: Math.floor(media.createdAt / 1000) })
  })

  authedRoute(ctx, fastify, 'GET', GET, (req, app) => {
    const media = ctx.world.media.get(queryOf(req).media_id ?? '')
    if (!media || media.appid !== app.appid || media.createdAt + MEDIA_TTL_MS <= ctx.clock.now())
      return wxError(ctx, 40007)
    return { errcode: 0, body: '', file: { contentType: media.contentType, bytes: media.bytes } }
  })
}

/** Is this media_id one the app may send now (a customer-service image)? */
export function mediaUsable(ctx: SimContext, app: App, mediaId: string): boolean {
  const media = ctx.world.media.get(mediaId)
  return !!media && media.appid === app.appid && media.createdAt + MEDIA_TTL_MS > ctx.clock.now()
}
