// The per-app rate limit's waiting cost (issue 10 point 1): a limit far below one send a second with
// sends waiting on it. Counts the bucket's UPDATEs (store.take) and this process's CPU over a window,
// then deletes the limit and times how long the waiters take to notice. Postgres, in-process stack.
//   npx tsx bench/ratelimit-wait.ts [--rate 1e-300] [--waiters 8] [--seconds 5] [--label after]
import { startTestStack } from '../packages/server/src/testing/test-stack.ts'
import {
  createTestTemplate,
  ORDER_DATA,
  ORDER_TEMPLATE,
  seedUsersWithCredits,
} from '../packages/server/src/testing/test-users.ts'
import { arg, machine, writeResult } from './bench.support.ts'

const rate = Number(arg('rate', '1e-300'))
const waiters = Number(arg('waiters', '8'))
const seconds = Number(arg('seconds', '5'))
const label = arg('label', 'current')

const stack = await startTestStack({
  kind: 'postgres',
  env: { WXPUSH_DISPATCH_CONCURRENCY: String(waiters), WXPUSH_DISPATCH_BATCH: String(waiters) },
})
const s = stack.wxpush.services
let takes = 0
const take = s.rateLimitsStore.take.bind(s.rateLimitsStore)
s.rateLimitsStore.take = async (db, appId, want) => {
  takes++
  return take(db, appId, want)
}
// Written through the store, as a row stored before the API bounded the setting would be.
await s.rateLimitsStore.set(s.db, { appId: stack.appId, ratePerS: rate, burst: 1 })
s.rateLimiter.forget(stack.appId)
const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
const users = await seedUsersWithCredits(stack, { users: waiters + 1, templateId, credits: 1 })
for (const u of users)
  await stack.api('POST', '/v1/messages', {
    to: { openid: u.openid },
    template: templateId,
    data: ORDER_DATA,
  })
await new Promise((r) => setTimeout(r, 1_000)) // let the waits begin

takes = 0
const cpu0 = process.cpuUsage()
const t0 = performance.now()
await new Promise((r) => setTimeout(r, seconds * 1_000))
const elapsedS = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const updatesPerS = takes / elapsedS
const cpuPercent = ((cpu.user + cpu.system) / 1e6 / elapsedS) * 100

// Delete the limit as the API does, and time until every message is sent.
await s.rateLimitsStore.remove(s.db, stack.appId)
s.rateLimiter.forget(stack.appId)
const d0 = performance.now()
let drainedMs: number | null = null
while (performance.now() - d0 < 20_000) {
  const open = await s.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '!=', 'sent')
    .executeTakeFirstOrThrow()
  if (Number(open.n) === 0) {
    drainedMs = Math.round(performance.now() - d0)
    break
  }
  await new Promise((r) => setTimeout(r, 20))
}
const s0 = performance.now()
const stopped = await Promise.race([
  stack.close().then(() => Math.round(performance.now() - s0)),
  new Promise<null>((r) => setTimeout(() => r(null), 30_000)),
])

const result = {
  label,
  ratePerS: rate,
  waiters,
  windowS: Math.round(elapsedS * 10) / 10,
  bucketUpdatesPerS: Math.round(updatesPerS * 10) / 10,
  cpuPercentOfOneCore: Math.round(cpuPercent),
  msUntilAllSentAfterDelete: drainedMs,
  msToStop: stopped,
  machine: machine(),
}
console.log(JSON.stringify(result, null, 2))
writeResult(`ratelimit-wait.${label}.json`, result)
process.exit(0)
