// POST /v1/messages carries an optional `channel`. Without it (or "subscribe") the route goes on as
// before. This hook runs before the body schema of subscription messages is checked, so a body
// written for another channel is answered by that channel: the retired ones with their 410, a
// customer-service message by its own outbox (202), a message with `fallback: "official_account"` by
// official-account.fallback.ts.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { appOf } from '../http/auth.ts'
import { requestInvalid } from '../http/http.errors.ts'
import { isRetiredChannel, retiredChannelError } from './channels.retired.ts'
import type { CustomerServiceOutbox } from './customer-service.outbox.ts'
import type { Fallback } from './official-account.fallback.ts'

export type ChannelGate = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

const CHANNELS = ['subscribe', 'customer_service', 'template', 'uniform']

export function createChannelGate(deps: {
  customerService: CustomerServiceOutbox
  fallback: Fallback
}): ChannelGate {
  return async function channelGate(request, reply) {
    const body = request.body as Record<string, unknown> | null | undefined
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
    if ('fallback' in body || 'officialAccount' in body) {
      const sent = await deps.fallback(appOf(request), body)
      return reply.status(sent.status).send(sent.answer)
    }
    if (!('channel' in body)) return undefined
    const channel = body.channel
    if (isRetiredChannel(channel)) throw retiredChannelError(channel)
    if (channel === 'customer_service') {
      const accepted = await deps.customerService.enqueue(appOf(request), body)
      return reply.status(accepted.duplicate ? 200 : 202).send(accepted)
    }
    if (channel === 'subscribe') {
      // The subscription-message schema does not know `channel`: it is the default.
      delete body.channel
      return undefined
    }
    throw requestInvalid({ field: 'channel', rule: 'one_of', allowed: CHANNELS })
  }
}
