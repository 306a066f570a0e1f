// GET /metrics in Prometheus text format. Like most exporters it has no auth: bind the API to a
// private address, or scrape through a proxy that adds it.
import type { FastifyInstance } from 'fastify'
import type { Metrics } from './metrics.registry.ts'

export function metricsRoutes(deps: { metrics: Metrics }) {
  return async function (app: FastifyInstance) {
    app.get('/metrics', async (_request, reply) => {
      const text = await deps.metrics.registry.metrics()
      return reply.type(deps.metrics.registry.contentType).send(text)
    })
  }
}
