// The answers Fastify and Node write themselves — a URL that does not decode, headers too large
// (431), a request during shutdown (503) — in the one error shape {error: {code, message, details}}.
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { AppError } from '../errors.ts'
import { sendAppError } from './http.error-handler.ts'
import { requestInvalid, serviceStopping } from './http.errors.ts'

/** Before a request exists (the HTTP parser refused it): no Accept-Language to read, so both languages. */
function clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const reason = status === 431 ? 'header_overflow' : status === 408 ? 'timeout' : 'bad_request'
  const body = JSON.stringify({
    error: {
      code: requestInvalid.code,
      message: `${requestInvalid.zh} / ${requestInvalid.en}`,
      details: { reason },
    },
  })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

export const answerShapeOptions = {
  // The bad-URL answer quotes the URL (which can hold a token); ours names the reason only.
  frameworkErrors: (error, request, reply) => {
    void sendAppError(
      reply,
      request,
      new AppError(
        { ...requestInvalid, status: error.statusCode ?? 400 },
        { reason: error.code === 'FST_ERR_BAD_URL' ? 'bad_url_encoding' : (error.code ?? 'bad_request') },
      ),
    )
  },
  clientErrorHandler,
  // Our own onRequest hook answers 503 in the error shape instead.
  return503OnClosing: false,
} satisfies Partial<FastifyServerOptions>

export function installAnswerShape(app: FastifyInstance): void {
  let stopping = false
  app.addHook('preClose', async () => {
    stopping = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (!stopping) return
    void reply.header('connection', 'close')
    throw serviceStopping()
  })
}
