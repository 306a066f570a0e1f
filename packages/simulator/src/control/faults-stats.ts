// Control API: fault rules and call statistics.
import type { FastifyInstance } from 'fastify'
import type { SimContext } from '../context.ts'
import type { FaultInput } from '../faults.ts'
import { ControlError, bodyOf } from './control-errors.ts'

function optNumber(b: Record<string, unknown>, key: string): number | undefined {
  const v = b[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ControlError('invalid_body', { field: key })
  return v
}

export function parseFault(b: Record<string, unknown>): FaultInput {
  if (typeof b.path !== 'string' || b.path === '') throw new ControlError('invalid_body', { field: 'path' })
  const rate = optNumber(b, 'rate') ?? 1
  if (rate < 0 || rate > 1) throw new ControlError('invalid_body', { field: 'rate', reason: '0..1' })
  const fault: FaultInput = {
    path: b.path.split('?')[0] ?? b.path,
    errcode: optNumber(b, 'errcode'),
    status: optNumber(b, 'status'),
    delayMs: optNumber(b, 'delayMs'),
    count: optNumber(b, 'count'),
    drop: b.drop === true,
    invalidateToken: b.invalidateToken === true,
    after: b.after === true,
    rate,
  }
  if (
    fault.errcode === undefined &&
    fault.status === undefined &&
    fault.delayMs === undefined &&
    !fault.drop &&
    !fault.invalidateToken
  ) {
    throw new ControlError('invalid_body', { reason: 'errcode, status, delayMs, drop or invalidateToken' })
  }
  return fault
}

export function registerFaultStatsControl(ctx: SimContext, app: FastifyInstance): void {
  app.post('/control/faults', async (req) => {
    const b = bodyOf(req)
    const list = Array.isArray(b.faults) ? (b.faults as Record<string, unknown>[]) : [b]
    for (const f of list.map(parseFault)) ctx.faults.add(f)
    return ctx.faults.list()
  })
  app.get('/control/faults', async () => ctx.faults.list())
  app.delete('/control/faults', async (req) => {
    const b = bodyOf(req)
    return ctx.faults.remove({
      id: typeof b.id === 'number' ? b.id : undefined,
      path: typeof b.path === 'string' ? b.path : undefined,
    })
  })
  app.get('/control/stats', async () => ctx.stats.toJSON())
  app.delete('/control/stats', async () => {
    ctx.stats.reset()
    return ctx.stats.toJSON()
  })
}
