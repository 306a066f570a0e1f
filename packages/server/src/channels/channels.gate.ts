// POST /v1/messages carries an optional `channel`. Without it (or "subscribe") the route goes on as
// before. This hook runs before the body schema of subscription messages is checked, so a body
// written for another channel is answered by that channel: the retired ones with their 410.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isRetiredChannel, retiredChannelError } from './channels.retired.ts'

export type ChannelGate = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

export function createChannelGate(): ChannelGate {
  return async function channelGate(request) {
    const body = request.body as { channel?: unknown } | null | undefined
    const channel = body && typeof body === 'object' ? body.channel : undefined
    if (isRetiredChannel(channel)) throw retiredChannelError(channel)
    return undefined
  }
}
