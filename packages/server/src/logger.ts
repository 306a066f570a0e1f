// pino, with every field that can hold a secret redacted wherever it appears (two levels deep).
import pino, { type Logger } from 'pino'

const SECRET_FIELDS = [
  'secret',
  'appSecret',
  'accessToken',
  'access_token',
  'sessionKey',
  'session_key',
  'apiKey',
  'token',
  'encodingAesKey',
  'masterKey',
  'authorization',
]

export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`])

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } })
}
