// GET /metrics in Prometheus text format. Like most exporters it has no auth: bind the API to a
// private address, or scrape through a proxy that adds it.
import type { FastifyInstance } from 'fastify'
import type { Metrics } from './metrics.registry.ts'
import { Type } from 'typebox'
import { doc } from '../http/openapi.ts'

const metrics = {
  schema: {
    ...doc({ tag: 'service', auth: 'none', zh: 'Prometheus 指标', en: 'Prometheus metrics' }),
    response: {
      200: { description: 'Prometheus text', content: { 'text/plain': { schema: Type.String() } } },
    },
  },
}

export function metricsRoutes(deps: { metrics: Metrics }) {
  return async function (app: FastifyInstance) {
    app.get('/metrics', metrics, async (_request, reply) => {
      const text = await deps.metrics.registry.metrics()
      return reply.type(deps.metrics.registry.contentType).send(text)
    })
  }
}
