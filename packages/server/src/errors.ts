// One error shape for every route: {error: {code, message, details}} with a 4xx status.
// Each code is defined once with defineError() in its domain's *.errors.ts, listed in
// errors.catalogue.ts and documented in docs/errors.md (generated; a test keeps it in sync).
// The HTTP answer is written by http/http.error-handler.ts.

export interface ErrorDefinition {
  code: string
  status: number
  zh: string
  en: string
}

export class AppError extends Error {
  readonly code: string
  readonly status: number
  readonly zh: string
  readonly en: string
  readonly details: Record<string, unknown> | undefined

  constructor(def: ErrorDefinition, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(`${def.code}: ${def.en}`, options)
    this.name = 'AppError'
    this.code = def.code
    this.status = def.status
    this.zh = def.zh
    this.en = def.en
    this.details = details
  }
}

export type ErrorFactory = ((details?: Record<string, unknown>, options?: { cause?: unknown }) => AppError) &
  ErrorDefinition

export function defineError(def: ErrorDefinition): ErrorFactory {
  if (!/^[a-z]+\.[a-z0-9_]+$/.test(def.code))
    throw new Error(`error code must be domain.snake_case: ${def.code}`)
  const factory = (details?: Record<string, unknown>, options?: { cause?: unknown }) =>
    new AppError(def, details, options)
  return Object.assign(factory, def)
}
