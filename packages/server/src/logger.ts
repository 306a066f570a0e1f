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

/**
 * Query values that authenticate a request: a push URL's signatures let anyone who reads the log
 * post forged events under them (within the timestamp window), a token or secret is a secret.
 */
const SECRET_QUERY = /([?&](?:signature|msg_signature|access_token|secret|appsecret)=)[^&#]*/gi

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]')
}

/** The request as logged at debug level: Fastify's fields, with the URL's secrets redacted. */
function requestSerializer(req: {
  method?: string
  url?: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }
}

/** `stream`: where the lines go (default stdout); tests pass one to read every line. */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: requestSerializer },
  }
  return stream ? pino(options, stream) : pino(options)
}
