// The SDK's own cost per call: 10 000 sends through @wxpush/sdk and through raw undici against one
// loopback server that answers 202 at once, side by side in one run. What remains is the client's
// work (idempotency key, JSON, fetch vs undici.request), not the service's.
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { request } from 'undici'
import { createClient } from '../packages/sdk/src/index.ts'

const SENDS = 10_000
const CONCURRENCY = 16
const answer = JSON.stringify({ id: 'm1', status: 'queued', duplicate: false })
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end(answer))
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`
const body = { to: { openid: 'o1' }, template: 'order_notice', data: { thing1: '合同A' } }

async function timed(send: () => Promise<unknown>): Promise<number> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < SENDS) await send()
    }),
  )
  return performance.now() - start
}

const sdk = createClient({ baseUrl, apiKey: 'k' })
const raw = () =>
  request(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.body.json())

await timed(raw) // warm-up of both paths
await timed(() => sdk.messages.send(body))
const rawMs = await timed(raw)
const sdkMs = await timed(() => sdk.messages.send(body))
server.close()

const result = {
  sends: SENDS,
  concurrency: CONCURRENCY,
  rawUndiciMs: Math.round(rawMs),
  sdkMs: Math.round(sdkMs),
  overheadPerSendUs: Math.round(((sdkMs - rawMs) * 1000) / SENDS),
  ratio: Number((sdkMs / rawMs).toFixed(2)),
}
console.log(
  `${SENDS} sends: raw undici ${result.rawUndiciMs} ms, @wxpush/sdk ${result.sdkMs} ms (×${result.ratio}, ${result.overheadPerSendUs} µs a send)`,
)
mkdirSync(new URL('results/', import.meta.url), { recursive: true })
writeFileSync(new URL('results/sdk-overhead.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`)
