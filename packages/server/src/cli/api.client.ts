// The HTTP API as the CLI's client commands see it (messages, users, templates list, campaigns): the
// address and key from WXPUSH_URL + WXPUSH_API_KEY, or from the dev.json `npm run dev` writes into
// WXPUSH_DATA_DIR. A refusal is a CliApiError carrying the service's code, for the exit code and the
// explanation printed from the catalogue.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { errorCatalogue } from '../errors.catalogue.ts'

/** Exit codes of the client commands (docs/cli.md). */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const

export class CliApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message)
    this.name = 'CliApiError'
  }

  /** The catalogue's explanation in both languages, with the details the service gave. */
  explain(): string {
    const known = errorCatalogue().find((e) => e.code === this.code)
    const why = known ? `${known.zh} / ${known.en}` : this.message
    return `${this.status} ${this.code}: ${why} ${JSON.stringify(this.details ?? {})}`
  }
}

export function apiTarget(env: Record<string, string | undefined>) {
  if (env.WXPUSH_URL && env.WXPUSH_API_KEY)
    return { url: env.WXPUSH_URL.replace(/\/$/, ''), key: env.WXPUSH_API_KEY }
  const file = resolve(env.WXPUSH_DATA_DIR ?? './.wxpush', 'dev.json')
  if (existsSync(file)) {
    const dev = JSON.parse(readFileSync(file, 'utf8')) as { apiUrl: string; apiKey: string }
    return { url: dev.apiUrl.replace(/\/$/, ''), key: dev.apiKey }
  }
  throw new Error(
    `需要 WXPUSH_URL 与 WXPUSH_API_KEY（或 ${file}）/ set WXPUSH_URL and WXPUSH_API_KEY (or run npm run dev)`,
  )
}

export function apiClient(env: Record<string, string | undefined>) {
  const api = apiTarget(env)
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response
    try {
      res = await fetch(api.url + path, {
        method,
        headers: {
          authorization: `Bearer ${api.key}`,
          ...(env.WXPUSH_LANG === 'en' ? { 'accept-language': 'en' } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    } catch (cause) {
      throw new CliApiError(0, 'cli.unreachable', `${api.url}: ${(cause as Error).message}`, {})
    }
    const answer = (await res.json()) as T & { error?: { code: string; message: string; details?: unknown } }
    if (!res.ok && answer.error)
      throw new CliApiError(res.status, answer.error.code, answer.error.message, answer.error.details)
    return answer
  }
}
