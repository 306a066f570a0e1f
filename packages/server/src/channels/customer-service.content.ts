// The content of a customer-service message, checked before anything is written: the body object must
// match its msgtype, and each field its rule (WeChat's fields: packages/wechat/README.md). A refusal
// names the field (`content.text.content`) and the rule.
import { contentInvalid } from './channels.errors.ts'

export const CUSTOMER_SERVICE_MSGTYPES = ['text', 'image', 'link', 'miniprogrampage'] as const
export type CustomerServiceMsgtype = (typeof CUSTOMER_SERVICE_MSGTYPES)[number]

/**
 * WeChat does not document a length for mini-program customer-service text in the sources found;
 * 2048 UTF-8 bytes is the limit commonly given for customer-service text (a choice, see docs/channels.md).
 */
export const TEXT_MAX_BYTES = 2048
const TITLE_MAX = 64
const DESCRIPTION_MAX = 256
const URL_MAX = 1024

/** What WeChat gets besides touser, with wxpush's own image reference left in `image.mediaId`. */
export type CustomerServiceContent =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } | { mediaId: string } }
  | { msgtype: 'link'; link: { title: string; description: string; url: string; thumb_url: string } }
  | {
      msgtype: 'miniprogrampage'
      miniprogrampage: { title: string; pagepath: string; thumb_media_id: string }
    }

function refuse(field: string, rule: string, extra: Record<string, unknown> = {}): never {
  throw contentInvalid({ field, rule, ...extra })
}

function text(obj: Record<string, unknown>, key: string, path: string, max: number): string {
  const v = obj[key]
  if (v === undefined || v === null) refuse(`${path}.${key}`, 'required')
  if (typeof v !== 'string') refuse(`${path}.${key}`, 'string')
  if (v.trim() === '') refuse(`${path}.${key}`, 'not_empty')
  if ([...v].length > max) refuse(`${path}.${key}`, 'max_length', { max })
  return v
}

function httpUrl(obj: Record<string, unknown>, key: string, path: string): string {
  const v = text(obj, key, path, URL_MAX)
  let u: URL
  try {
    u = new URL(v)
  } catch {
    return refuse(`${path}.${key}`, 'url')
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') refuse(`${path}.${key}`, 'url')
  return v
}

function only(obj: Record<string, unknown>, path: string, keys: string[]): void {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) refuse(`${path}.${k}`, 'unknown_field')
}

function objectAt(c: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = c[key]
  if (v === undefined || v === null) refuse(`content.${key}`, 'required', { msgtype: key })
  if (typeof v !== 'object' || Array.isArray(v)) refuse(`content.${key}`, 'object')
  return v as Record<string, unknown>
}

/** Checks `content` and returns it in WeChat's shape. Throws channels.content_invalid. */
export function checkCustomerServiceContent(content: unknown): CustomerServiceContent {
  if (content === undefined || content === null) refuse('content', 'required')
  if (typeof content !== 'object' || Array.isArray(content)) refuse('content', 'object')
  const c = content as Record<string, unknown>
  const msgtype = c.msgtype
  if (typeof msgtype !== 'string' || !(CUSTOMER_SERVICE_MSGTYPES as readonly string[]).includes(msgtype))
    refuse('content.msgtype', 'one_of', { allowed: CUSTOMER_SERVICE_MSGTYPES })
  only(c, 'content', ['msgtype', msgtype])
  const body = objectAt(c, msgtype)
  const path = `content.${msgtype}`
  switch (msgtype as CustomerServiceMsgtype) {
    case 'text': {
      only(body, path, ['content'])
      const t = text(body, 'content', path, Number.MAX_SAFE_INTEGER)
      const bytes = Buffer.byteLength(t, 'utf8')
      if (bytes > TEXT_MAX_BYTES) refuse(`${path}.content`, 'max_bytes', { max: TEXT_MAX_BYTES, bytes })
      return { msgtype: 'text', text: { content: t } }
    }
    case 'image': {
      // wxpush's own id (POST /v1/media: uploaded to WeChat when needed) or WeChat's media_id as is.
      only(body, path, ['mediaId', 'media_id'])
      if ('mediaId' in body && 'media_id' in body) refuse(`${path}.mediaId`, 'one_of_mediaId_or_media_id')
      if ('media_id' in body)
        return { msgtype: 'image', image: { media_id: text(body, 'media_id', path, 256) } }
      return { msgtype: 'image', image: { mediaId: text(body, 'mediaId', path, 64) } }
    }
    case 'link': {
      only(body, path, ['title', 'description', 'url', 'thumb_url'])
      return {
        msgtype: 'link',
        link: {
          title: text(body, 'title', path, TITLE_MAX),
          description: text(body, 'description', path, DESCRIPTION_MAX),
          url: httpUrl(body, 'url', path),
          thumb_url: httpUrl(body, 'thumb_url', path),
        },
      }
    }
    case 'miniprogrampage': {
      only(body, path, ['title', 'pagepath', 'thumb_media_id'])
      const pagepath = text(body, 'pagepath', path, URL_MAX)
      if (pagepath.startsWith('/') || /\s/.test(pagepath)) refuse(`${path}.pagepath`, 'page_path')
      return {
        msgtype: 'miniprogrampage',
        miniprogrampage: {
          title: text(body, 'title', path, TITLE_MAX),
          pagepath,
          thumb_media_id: text(body, 'thumb_media_id', path, 256),
        },
      }
    }
  }
}
