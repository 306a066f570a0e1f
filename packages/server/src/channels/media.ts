// Images for customer-service messages: accepted once by wxpush (POST /v1/media), uploaded to WeChat
// as temporary media when a message first needs them, and that media_id reused while it lives (3 days
// from the upload, WECHAT-REFERENCE §7.3 / packages/wechat/README.md), re-uploaded after.
import { createHash } from 'node:crypto'
import type { WechatClient, WechatResult } from '@wxpush/wechat'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import { mediaNotImage, mediaTooLarge } from './channels.errors.ts'
import type { MediaStore } from './media.store.ts'

/** WeChat's limit for mini programs is unconfirmed (2 MB and 10 MB are both published): the lower one. */
export const MEDIA_MAX_BYTES = 2 * 1024 * 1024
export const WECHAT_MEDIA_TTL_MS = 3 * 86_400_000
/** Re-upload this long before WeChat's media_id expires, so a send never races the expiry. */
const REUPLOAD_MARGIN_MS = 3_600_000

/** The image type from its first bytes (the name or declared type proves nothing). */
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

type MediaIdAnswer = { ok: true; mediaId: string } | { ok: false; answer: WechatResult<{ msgid?: string }> }

export function createMedia(deps: { db: Db; store: MediaStore; wechat: WechatClient }) {
  const { db, store } = deps
  // Messages sent at the same time with the same image share one upload (in this process; another
  // process may upload it once more, which costs a call and nothing else).
  const inflight = new Map<string, Promise<MediaIdAnswer>>()

  async function resolve(
    appId: string,
    id: string,
    accessToken: string,
    now: number,
  ): Promise<MediaIdAnswer> {
    const m = await store.find(db, appId, id)
    if (!m) return { ok: false, answer: { ok: false, errcode: 40007, errmsg: `wxpush: no media ${id}` } }
    if (
      m.wechat_media_id &&
      m.uploaded_at &&
      m.uploaded_at.getTime() + WECHAT_MEDIA_TTL_MS - REUPLOAD_MARGIN_MS > now
    )
      return { ok: true, mediaId: m.wechat_media_id }
    const up = await deps.wechat.uploadTempImage({
      accessToken,
      bytes: Buffer.from(m.bytes),
      contentType: m.content_type,
    })
    if (!up.ok) return { ok: false, answer: up }
    await store.recordUpload(db, m.id, up.mediaId, new Date(now))
    return { ok: true, mediaId: up.mediaId }
  }

  return {
    /** Checks and stores an upload; the same bytes give the same id. */
    async accept(appId: string, body: unknown) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0)
      if (bytes.length > MEDIA_MAX_BYTES)
        throw mediaTooLarge({ field: 'body', max: MEDIA_MAX_BYTES, size: bytes.length })
      const contentType = imageTypeOf(bytes)
      if (!contentType) throw mediaNotImage({ field: 'body', size: bytes.length })
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const row = await store.put(db, { id: newId('med'), appId, contentType, bytes, sha256 })
      return {
        id: row.id,
        contentType: row.content_type,
        size: row.size,
        createdAt: row.created_at.toISOString(),
      }
    },

    /**
     * WeChat's media_id for this image: the last one while it has more than the margin to live, else a
     * new upload (recorded). A WeChat refusal of the upload is answered as the send's result.
     */
    wechatMediaId(appId: string, id: string, accessToken: string, now = Date.now()): Promise<MediaIdAnswer> {
      const key = `${appId}/${id}`
      const running = inflight.get(key)
      if (running) return running
      const p = resolve(appId, id, accessToken, now).finally(() => inflight.delete(key))
      inflight.set(key, p)
      return p
    },
  }
}

export type Media = ReturnType<typeof createMedia>
