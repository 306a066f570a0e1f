// The console's one way to call /console/api: the session cookie goes by itself (same origin),
// the CSRF token is added to every call that changes something.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message)
  }
}

let csrfToken = ''
export function setCsrfToken(token: string) {
  csrfToken = token
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken
  const res = await fetch(`/console/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: Record<string, unknown> }
  }
  if (!res.ok) {
    const e = json.error
    throw new ApiError(res.status, e?.code ?? 'http', e?.message ?? `HTTP ${res.status}`, e?.details ?? {})
  }
  return json as T
}

export interface Operator {
  username: string
  role: 'admin' | 'operator' | 'viewer'
  apps: string[] | 'all'
  csrfToken: string
}
export interface AppItem {
  appId: string
  name: string
}
export interface Keyword {
  key: string
  type: string
  name: string
  enumValues?: string[]
}
export interface Template {
  id: string
  alias: string | null
  title: string
  kind: 'one_time' | 'long_term'
  content: string
  keywords: Keyword[]
  example: string
  syncedAt: string
}
export interface Explained {
  errcode: number
  kind: string
  reason: string
  zh: string
  en: string
}
export interface Message {
  id: string
  status: string
  to: { userId: string; openid: string }
  template: string
  data: Record<string, string>
  page?: string
  attempts: number
  createdAt: string
  runAt: string
  sentAt?: string
  deliveredAt?: string
  errcode?: number
  reason?: string
  errcodeExplained?: Explained
  history?: { status: string; at: string; reason?: string; errcode?: number; errcodeExplained?: Explained }[]
}
export interface UserItem {
  userId: string
  openid: string
  unionid: string | null
  createdAt: string
  lastLoginAt: string | null
  tags: string[]
}
