// createClient({baseUrl, apiKey}): the wxpush HTTP API for a Node backend. Writes carry an
// idempotency key (generated when the caller gives none), so a call that timed out or met a network
// error, a 429 or a 503 is retried safely with backoff; any other 4xx is never retried.
import { randomUUID } from 'node:crypto'
import { WxpushError } from './errors.ts'
import type {
  BatchResults,
  Campaign,
  CampaignPage,
  CampaignQuery,
  CreateCampaign,
  CreatedCampaign,
  Enqueued,
  FoundUsers,
  Message,
  MessagePage,
  MessageQuery,
  SendMessage,
  SyncResult,
  TagChange,
  TemplateList,
  UploadResult,
  User,
  UserConsents,
  UserQuery,
  UserTags,
} from './types.ts'

export interface ClientOptions {
  /** The service's address, e.g. http://127.0.0.1:3000 */
  baseUrl: string
  /** An API key of the app (wxpush apps key). */
  apiKey: string
  /** Per attempt, in milliseconds (default 10 000). */
  timeoutMs?: number
  /** Retries after the first attempt for retriable failures (default 3). */
  retries?: number
  /** First backoff in milliseconds, doubled each retry with jitter (default 200). */
  backoffMs?: number
  /** Accept-Language of error messages: 'zh' (default) or 'en'. */
  language?: 'zh' | 'en'
  /** Another fetch (a proxy-aware one, say); default the global fetch. */
  fetch?: typeof fetch
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  query?: Record<string, string | number | undefined> | undefined
  body?: unknown
  raw?: { contentType: string; text: string }
  /** Safe to send twice: reads, and writes keyed by an idempotency key or idempotent by nature. */
  retriable: boolean
}

const RETRY_STATUSES = new Set([429, 503])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const seg = (s: string) => encodeURIComponent(s)

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get('retry-after')
  if (!h) return undefined
  const s = Number(h)
  return Number.isFinite(s) ? Math.min(s * 1000, 30_000) : undefined
}

async function errorOf(res: Response): Promise<WxpushError> {
  const text = await res.text()
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> }
    }
    if (body.error?.code)
      return new WxpushError({
        status: res.status,
        code: body.error.code,
        message: body.error.message ?? '',
        details: body.error.details ?? {},
      })
  } catch {
    // not JSON: a proxy's page, say
  }
  return new WxpushError({
    status: res.status,
    code: 'sdk.bad_answer',
    message: `HTTP ${res.status}`,
    details: { body: text.slice(0, 200) },
  })
}

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const retries = options.retries ?? 3
  const backoffMs = options.backoffMs ?? 200
  const doFetch = options.fetch ?? fetch
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.apiKey}`,
    'accept-language': options.language === 'en' ? 'en' : 'zh-CN',
  }

  async function once(call: Call): Promise<Response> {
    const url = new URL(base + call.path)
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v))
    const body = call.raw ? call.raw.text : call.body === undefined ? undefined : JSON.stringify(call.body)
    const contentType = call.raw ? call.raw.contentType : 'application/json'
    try {
      return await doFetch(url, {
        method: call.method,
        headers: body === undefined ? headers : { ...headers, 'content-type': contentType },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError'
      throw new WxpushError({
        status: 0,
        code: timedOut ? 'sdk.timeout' : 'sdk.network',
        message: timedOut
          ? `${timeoutMs} ms 内无答复 / no answer within ${timeoutMs} ms`
          : String((cause as Error).message),
        details: { method: call.method, path: call.path },
        cause,
      })
    }
  }

  async function request<T>(call: Call): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const last = !call.retriable || attempt >= retries
      const wait = backoffMs * 2 ** attempt * (0.5 + Math.random())
      let res: Response
      try {
        res = await once(call)
      } catch (err) {
        if (last) throw err
        await sleep(wait)
        continue
      }
      if (res.ok) return (await res.json()) as T
      if (!last && RETRY_STATUSES.has(res.status)) {
        await res.body?.cancel()
        await sleep(retryAfterMs(res) ?? wait)
        continue
      }
      throw await errorOf(res)
    }
  }

  const keyed = <B extends { idempotencyKey?: string }>(body: B): B => ({
    ...body,
    idempotencyKey: body.idempotencyKey ?? randomUUID(),
  })

  return {
    messages: {
      /** Queues one message; a retry after a lost answer returns the same message (same key). */
      send: (body: SendMessage) =>
        request<Enqueued>({ method: 'POST', path: '/v1/messages', body: keyed(body), retriable: true }),
      /** 1–1 000 messages, one result each, in order; each item gets its own idempotency key. */
      sendBatch: (messages: SendMessage[]) =>
        request<BatchResults>({
          method: 'POST',
          path: '/v1/messages/batch',
          body: { messages: messages.map(keyed) },
          retriable: true,
        }),
      get: (id: string) =>
        request<Message>({ method: 'GET', path: `/v1/messages/${seg(id)}`, retriable: true }),
      list: (query: MessageQuery = {}) =>
        request<MessagePage>({ method: 'GET', path: '/v1/messages', query, retriable: true }),
      cancel: (id: string) =>
        request<{ id: string; status: 'cancelled' }>({
          method: 'POST',
          path: `/v1/messages/${seg(id)}/cancel`,
          retriable: true,
        }),
    },
    users: {
      get: (id: string) => request<User>({ method: 'GET', path: `/v1/users/${seg(id)}`, retriable: true }),
      /** {openid} answers one user; {tag, cursor?, limit?} a page of the users with that tag. */
      find: (query: UserQuery) =>
        request<FoundUsers>({ method: 'GET', path: '/v1/users', query, retriable: true }),
      /** Adds and removes tags (a set change: sending it twice changes nothing more). */
      tags: (id: string, change: TagChange) =>
        request<UserTags>({
          method: 'PUT',
          path: `/v1/users/${seg(id)}/tags`,
          body: change,
          retriable: true,
        }),
      consents: (id: string) =>
        request<UserConsents>({ method: 'GET', path: `/v1/users/${seg(id)}/consents`, retriable: true }),
    },
    templates: {
      list: () => request<TemplateList>({ method: 'GET', path: '/v1/templates', retriable: true }),
      sync: () => request<SyncResult>({ method: 'POST', path: '/v1/templates/sync', retriable: true }),
    },
    campaigns: {
      create: (body: CreateCampaign) =>
        request<CreatedCampaign>({
          method: 'POST',
          path: '/v1/campaigns',
          body: keyed(body),
          retriable: true,
        }),
      get: (id: string) =>
        request<Campaign>({ method: 'GET', path: `/v1/campaigns/${seg(id)}`, retriable: true }),
      list: (query: CampaignQuery = {}) =>
        request<CampaignPage>({ method: 'GET', path: '/v1/campaigns', query, retriable: true }),
      /** Recipient lines as NDJSON or CSV text; not retried (a second upload adds the lines again). */
      upload: (id: string, text: string, format: 'ndjson' | 'csv') =>
        request<UploadResult>({
          method: 'POST',
          path: `/v1/campaigns/${seg(id)}/recipients`,
          raw: { contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson', text },
          retriable: false,
        }),
      start: (id: string) => act(id, 'start'),
      pause: (id: string) => act(id, 'pause'),
      resume: (id: string) => act(id, 'resume'),
      cancel: (id: string) => act(id, 'cancel'),
    },
  }

  // A state change answered 409 on a second try: not retried, the caller reads the campaign.
  function act(id: string, action: 'start' | 'pause' | 'resume' | 'cancel') {
    return request<Campaign>({ method: 'POST', path: `/v1/campaigns/${seg(id)}/${action}`, retriable: false })
  }
}

export type WxpushClient = ReturnType<typeof createClient>
