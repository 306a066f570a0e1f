// pino, with every field that can hold a secret redacted wherever it appears (two levels deep).
import pino, { type DestinationStream, type Logger } from 'pino'

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
  'adminKey',
  'sessionToken',
  'cookie',
]

export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`])

/** `stream`: where the lines go (default stdout); tests pass one to read every line. */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }
  return stream ? pino(options, stream) : pino(options)
}
